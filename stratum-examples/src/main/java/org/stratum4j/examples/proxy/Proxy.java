package org.stratum4j.examples.proxy;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.engine.Authorizer;
import org.stratum4j.core.engine.BanPolicy;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.engine.ShareSink;
import org.stratum4j.core.engine.Vardiff;
import org.stratum4j.core.job.Coinbase;
import org.stratum4j.core.job.CoinbaseBuilder;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.proxy.ExtranonceSplit;
import org.stratum4j.examples.pool.ConfigException;
import org.stratum4j.examples.pool.PoolConfig;
import org.stratum4j.examples.stats.PoolStats;
import org.stratum4j.examples.stats.StatsServer;
import org.stratum4j.examples.web.MemoryDashboard;
import org.stratum4j.examples.web.WebServer;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.ClientTls;
import org.stratum4j.transport.nio.Listener;
import org.stratum4j.transport.nio.StratumServer;

/**
 * The mining proxy: a {@link StratumServer} for the farm's miners in front of a
 * {@link PoolEngine} that judges their shares against upstream jobs, an {@link UpstreamSwitch}
 * that keeps one session with the first healthy upstream pool, and a {@link ForwardingSink} that
 * sends on the shares meeting the upstream's difficulty and gives the miners the upstream's
 * verdicts. Miners' extranonces are indexes under the upstream's ({@link ExtranonceSplit}), so
 * they survive a change of upstream: only the jobs change.
 */
public final class Proxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);

    private final ProxyConfig config;
    private final ClientGroup clients;
    private final UpstreamSwitch upstreams;
    private final PoolEngine engine;
    private final StratumServer server;
    private final MinerBook miners;
    private final StatsServer stats;
    private final WebServer web;

    private Proxy(ProxyConfig config, ClientGroup clients, UpstreamSwitch upstreams, PoolEngine engine, StratumServer server,
                  MinerBook miners, StatsServer stats, WebServer web) {
        this.web = web;
        this.config = config;
        this.clients = clients;
        this.upstreams = upstreams;
        this.engine = engine;
        this.server = server;
        this.miners = miners;
        this.stats = stats;
    }

    /**
     * Starts the miners' ports, the stats port and the first upstream session (in the background:
     * miners who connect before it is ready get their first job when it is).
     *
     * @throws ConfigException when a port cannot be bound or a file cannot be read
     */
    public static Proxy start(ProxyConfig c) throws ConfigException {
        Clock clock = Clock.systemUTC();
        ClientTls tls;
        try {
            tls = c.tlsInsecure ? ClientTls.insecureTrustAll() : c.tlsTrust != null ? ClientTls.trusting(c.tlsTrust) : ClientTls.systemTrust();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--tls-trust " + c.tlsTrust + ": " + e.getMessage());
        }
        ClientGroup clients;
        try {
            clients = ClientGroup.start(1);
        } catch (IOException e) {
            throw new ConfigException("cannot start the upstream client: " + e.getMessage());
        }
        Upstream.Settings settings = new Upstream.Settings(c.upstreamUser, c.upstreamPassword, c.versionMask, c.minerExtranonce2Size,
                ProxyConfig.INDEX_BYTES, tls, c.upstreamTimeout);
        PoolEngine[] engineRef = new PoolEngine[1];
        StratumServer[] serverRef = new StratumServer[1];
        // The dashboard sits in the sink chain behind the forwarding sink it also hears blocks from.
        MemoryDashboard[] board = new MemoryDashboard[1];
        UpstreamSwitch upstreams = new UpstreamSwitch(c.upstreams, settings, c.upstreamTimeout, c.returnAfter, clients, clock, (job, versionMask) -> {
            MemoryDashboard d = board[0];
            if (d != null) {
                Notify n = job.notifyMessage();
                Coinbase.bip34Height(n.coinb1()).ifPresent(h -> d.chainTip(h - 1, n.nbits().difficulty()));
            }
            if (serverRef[0] != null) {
                // Miners' masks follow the upstream's (narrowed with mining.set_version_mask before this job reaches them).
                engineRef[0].core().changeVersionMask(versionMask);
                serverRef[0].announce(engineRef[0].announce(job));
            }
        });
        MinerBook miners = new MinerBook();
        ShareSink forwarding = new ForwardingSink(upstreams, miners, c.upstreamUser, c.perMinerWorkers, (height, hash, worker, status) -> {
            MemoryDashboard d = board[0];
            if (d != null) {
                d.block(height, hash, worker, status);
            }
        });
        MemoryDashboard dashboard = c.webPort == null ? null : new MemoryDashboard(clock, forwarding);
        board[0] = dashboard;
        PoolStats poolStats = new PoolStats(clock, dashboard == null ? forwarding : dashboard, null);
        Vardiff.Builder vardiff = Vardiff.builder().secondsPerShare(c.vardiffSecondsPerShare).minimum(c.vardiffMin);
        if (c.vardiffMax != null) {
            vardiff.maximum(c.vardiffMax);
        }
        PoolEngine engine = PoolEngine.builder()
                .clock(clock)
                .payouts(t -> {
                    throw new IllegalStateException("a proxy mines upstream work and has no templates of its own");
                })
                .blockSubmitter(b -> CompletableFuture.completedFuture(Optional.of("a proxy sends blocks upstream as shares")))
                .coinbaseBuilder(CoinbaseBuilder.defaults().withExtranonceSizes(ProxyConfig.INDEX_BYTES, c.minerExtranonce2Size))
                .extranonces(ExtranonceSplit.indexes(ProxyConfig.INDEX_BYTES))
                .versionMask(c.versionMask)
                .difficultyPolicy(vardiff.build())
                .initialDifficulty(c.difficulty)
                .authorizer(c.perMinerWorkers ? upstreamAuthorizer(upstreams, c.upstreamUser) : Authorizer.acceptWellFormed())
                .shareSink(poolStats)
                .banPolicy(c.banThreshold == 0 ? BanPolicy.never()
                        : BanPolicy.invalidShares(c.banThreshold, 0.9, Duration.ofMinutes(1), Duration.ofMinutes(10)))
                .build();
        StratumServer.Builder sb = StratumServer.builder(engine).maxConnections(c.maxConnections);
        for (PoolConfig.Port p : c.ports) {
            InetSocketAddress at = c.bind == null ? new InetSocketAddress(p.port()) : new InetSocketAddress(c.bind, p.port());
            Listener l = Listener.on(at);
            sb.listen(p.difficulty() == null ? l : l.withStartingDifficulty(p.difficulty()));
        }
        StratumServer server = sb.build();
        try {
            server.start();
        } catch (IOException e) {
            clients.close();
            throw new ConfigException(e.getMessage());
        }
        StatsServer stats = null;
        if (c.statsPort != null) {
            try {
                stats = StatsServer.start(new InetSocketAddress(c.statsBind, c.statsPort), poolStats, engine, server.metrics(), "proxy", null,
                        List.of(section(upstreams, miners, poolStats)),
                        () -> upstreams.current() == null ? "no upstream pool is connected" : null);
            } catch (IOException e) {
                server.close();
                clients.close();
                throw new ConfigException(e.getMessage());
            }
        }
        WebServer web = null;
        if (dashboard != null) {
            dashboard.software(engine::minerSoftware);
            InetSocketAddress at = c.webBind == null ? new InetSocketAddress(c.webPort) : new InetSocketAddress(c.webBind, c.webPort);
            try {
                // A farm names its miners as it likes (the server still keeps names to safe characters), not by address.
                web = WebServer.start(at, dashboard, clock, c.webTitle, name -> true);
            } catch (IOException e) {
                server.close();
                if (stats != null) {
                    stats.close();
                }
                clients.close();
                throw new ConfigException("--web-port " + c.webPort + ": " + e.getMessage());
            }
        }
        engineRef[0] = engine;
        serverRef[0] = server;
        upstreams.start();
        Proxy proxy = new Proxy(c, clients, upstreams, engine, server, miners, stats, web);
        proxy.banner();
        return proxy;
    }

    /** Each miner authorized upstream as {@code account.miner}; refused when no upstream is connected or it says no. */
    private static Authorizer upstreamAuthorizer(UpstreamSwitch upstreams, String account) {
        return request -> {
            Upstream u = upstreams.current();
            if (u == null) {
                return CompletableFuture.completedFuture(Authorizer.Result.refused("no upstream pool is connected; try again shortly"));
            }
            String name = ForwardingSink.upstreamWorker(account, request.worker());
            return u.authorize(name).handle((refused, e) -> {
                if (e != null) {
                    return Authorizer.Result.refused("the upstream pool did not answer: " + Upstream.rootMessage(e));
                }
                return refused == null ? Authorizer.Result.OK : Authorizer.Result.refused("the upstream pool refused " + name + ": "
                        + refused.message());
            });
        };
    }

    /** {@code /stats} → {@code proxy}: the upstream in use, the pools, and each miner's counts. */
    private static StatsServer.Section section(UpstreamSwitch upstreams, MinerBook miners, PoolStats poolStats) {
        return new StatsServer.Section() {
            @Override
            public String name() {
                return "proxy";
            }

            @Override
            public void write(JsonGenerator g) throws IOException {
                Upstream u = upstreams.current();
                if (u == null) {
                    g.writeNullField("upstream");
                } else {
                    g.writeObjectFieldStart("upstream");
                    g.writeStringField("url", u.url().toString());
                    g.writeNumberField("session", u.number());
                    g.writeStringField("since", String.valueOf(upstreams.currentSince()));
                    g.writeNumberField("difficulty", u.difficulty().toDouble());
                    g.writeStringField("version_mask", String.format("%08x", u.versionMask()));
                    g.writeStringField("extranonce", String.valueOf(u.split()));
                    g.writeEndObject();
                }
                g.writeArrayFieldStart("upstreams");
                for (var url : upstreams.urls()) {
                    g.writeString(url.toString());
                }
                g.writeEndArray();
                g.writeNumberField("switches", upstreams.switches());
                g.writeObjectFieldStart("miners");
                Map<String, PoolStats.WorkerStats> rates = poolStats.workers();
                for (Map.Entry<String, MinerBook.Counts> m : miners.snapshot().entrySet()) {
                    MinerBook.Counts n = m.getValue();
                    PoolStats.WorkerStats w = rates.get(m.getKey());
                    g.writeObjectFieldStart(m.getKey());
                    g.writeNumberField("hashrate", w == null ? 0 : w.hashrate());
                    g.writeNumberField("accepted", n.accepted());
                    g.writeNumberField("rejected", n.rejected());
                    g.writeNumberField("forwarded", n.forwarded());
                    g.writeNumberField("upstream_accepted", n.upstreamAccepted());
                    g.writeNumberField("upstream_rejected", n.upstreamRejected());
                    g.writeNumberField("stale", n.stale());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
        };
    }

    private void banner() {
        for (InetSocketAddress a : server.boundAddresses()) {
            LOG.info("stratum4j proxy: point miners at stratum+tcp://{}:{}", a.getAddress().isAnyLocalAddress() ? "127.0.0.1"
                    : a.getAddress().getHostAddress(), a.getPort());
        }
        LOG.info("upstream pools, in order: {}; mining as {}{}", config.upstreams, config.upstreamUser,
                config.perMinerWorkers ? ".MINER for each miner" : "");
        if (web != null) {
            LOG.info("dashboard on http://{}:{}/", web.address().getAddress().isAnyLocalAddress() ? "127.0.0.1"
                    : web.address().getAddress().getHostAddress(), web.address().getPort());
        }
        if (stats != null) {
            LOG.info("stats on http://{}:{}/stats (also /metrics, /health)", stats.address().getAddress().getHostAddress(),
                    stats.address().getPort());
        }
    }

    /** The miners' ports, bound. */
    public List<InetSocketAddress> boundAddresses() {
        return server.boundAddresses();
    }

    /** The stats port, bound, when there is one. */
    public Optional<InetSocketAddress> statsAddress() {
        return Optional.ofNullable(stats).map(StatsServer::address);
    }

    /** The URL of the upstream pool the proxy mines on, or empty while it has none. */
    public Optional<String> upstream() {
        return Optional.ofNullable(upstreams.current()).map(u -> u.url().toString());
    }

    /** Changes of upstream since start. */
    public long upstreamSwitches() {
        return upstreams.switches();
    }

    /** The dashboard's address, when there is one. */
    public Optional<InetSocketAddress> webAddress() {
        return Optional.ofNullable(web).map(WebServer::address);
    }

    /** The engine judging the miners' shares. */
    public PoolEngine engine() {
        return engine;
    }

    /** Per-miner counts: accepted and rejected here, forwarded, the upstream's verdicts, stale. */
    public Map<String, MinerBook.Counts> miners() {
        return miners.snapshot();
    }

    @Override
    public void close() {
        server.close();
        if (stats != null) {
            stats.close();
        }
        if (web != null) {
            web.close();
        }
        upstreams.close();
        clients.close();
    }
}
