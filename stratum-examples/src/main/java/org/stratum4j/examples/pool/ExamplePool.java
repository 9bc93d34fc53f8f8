package org.stratum4j.examples.pool;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.engine.BanPolicy;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.engine.DifficultyPolicy;
import org.stratum4j.core.engine.ExtranonceAllocator;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.engine.TemplateSource;
import org.stratum4j.core.engine.Vardiff;
import org.stratum4j.examples.bitcoind.BitcoindChain;
import org.stratum4j.examples.bitcoind.BitcoindRpc;
import org.stratum4j.examples.bitcoind.ChainInfo;
import org.stratum4j.examples.bitcoind.RpcAuth;
import org.stratum4j.examples.bitcoind.RpcException;
import org.stratum4j.examples.demo.DemoChain;
import org.stratum4j.examples.store.ShareStore;
import org.stratum4j.examples.stats.PoolStats;
import org.stratum4j.examples.stats.PplnsWindow;
import org.stratum4j.examples.stats.StatsServer;
import org.stratum4j.transport.nio.Listener;
import org.stratum4j.transport.nio.StratumServer;
import org.stratum4j.transport.nio.TlsConfig;

/**
 * The example pool, wired from a {@link PoolConfig}: a chain (demo or Bitcoin Core) feeding the
 * engine, the engine behind a {@link StratumServer}, and payouts by mode. {@link #start} either
 * returns a running pool or fails with a {@link ConfigException} naming the problem, having
 * released whatever it had started.
 */
public final class ExamplePool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExamplePool.class);

    static {
        // Before the stats port's or the dashboard's HTTP server reads the JVM's settings.
        org.stratum4j.examples.web.WebServer.boundRequestTimes();
    }

    private final PoolConfig config;
    private final Network network;
    private final PoolEngine engine;
    private final StratumServer server;
    private final TemplateSource chain;
    private final DemoChain demo;
    private final PoolStats stats;
    private final PoolStorage storage;
    private volatile boolean draining;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PoolPayouts payouts;
    private final PoolAlerts alerts;
    private final PoolWeb web;
    private final StatsServer statsServer;
    private final PoolSv2 sv2;

    private ExamplePool(PoolConfig config, Network network, PoolEngine engine, StratumServer server, TemplateSource chain,
                        DemoChain demo, PoolStats stats, PoolStorage storage, PoolPayouts payouts, PoolAlerts alerts,
                        PoolWeb web, StatsServer statsServer, PoolSv2 sv2) {
        this.sv2 = sv2;
        this.storage = storage;
        this.alerts = alerts;
        this.web = web;
        this.payouts = payouts;
        this.config = config;
        this.network = network;
        this.engine = engine;
        this.server = server;
        this.chain = chain;
        this.demo = demo;
        this.stats = stats;
        this.statsServer = statsServer;
    }

    /**
     * Starts everything.
     *
     * @throws ConfigException when a setting cannot be used (an address of the wrong network, a port in use, an
     *     unreachable node, unreadable TLS files)
     */
    public static ExamplePool start(PoolConfig c) throws ConfigException {
        Clock clock = Clock.systemUTC();
        Network network;
        TemplateSource chain;
        BlockSubmitter submitter;
        DemoChain demo = null;
        if (c.chain == PoolConfig.Chain.DEMO) {
            DemoChain.Builder b = DemoChain.builder().clock(clock).networkDifficulty(c.demoNetworkDifficulty);
            if (c.demoBlockInterval != null) {
                b.blockInterval(c.demoBlockInterval);
            }
            demo = b.build();
            network = DemoChain.NETWORK;
            chain = demo;
            submitter = demo;
        } else {
            RpcAuth auth = c.rpcCookie != null ? RpcAuth.cookie(c.rpcCookie) : RpcAuth.password(c.rpcUser, c.rpcPassword);
            // A long poll that outlasts 30 s is given up and the template fetched anew: new transactions reach
            // miners at least that often even where the long poll is not honoured.
            BitcoindRpc rpc = BitcoindRpc.builder(c.rpcUrl, auth).longPollTimeout(java.time.Duration.ofSeconds(30)).build();
            try {
                ChainInfo info = rpc.getBlockchainInfo();
                network = info.network();
                if (info.initialBlockDownload()) {
                    LOG.warn("Bitcoin Core is still syncing (height {}); templates may be refused until it is done", info.blocks());
                }
            } catch (RpcException e) {
                rpc.close();
                throw new ConfigException("Bitcoin Core at " + c.rpcUrl + " cannot be used: " + e.getMessage());
            }
            BitcoindChain bitcoind = new BitcoindChain(rpc);
            chain = bitcoind;
            submitter = bitcoind;
        }

        try {
            return wire(c, clock, network, chain, submitter, demo);
        } catch (ConfigException | RuntimeException e) {
            chain.stop();
            throw e;
        }
    }

    private static ExamplePool wire(PoolConfig c, Clock clock, Network network, TemplateSource chain, BlockSubmitter submitter,
                                    DemoChain demo) throws ConfigException {
        PoolStorage storage = PoolStorage.open(c, clock, chain);
        PoolPayouts payouts = null;
        PoolAlerts alerts = PoolAlerts.open(c);
        try {
            // After the store: it has brought the database's schema up to date.
            payouts = PoolPayouts.choose(c, network, clock);
            return serve(c, clock, network, chain, submitter, demo, payouts, storage, alerts);
        } catch (ConfigException | RuntimeException e) {
            alerts.close();
            if (payouts != null) {
                payouts.close();
            }
            storage.close();
            throw e;
        }
    }

    private static ExamplePool serve(PoolConfig c, Clock clock, Network network, TemplateSource chain, BlockSubmitter submitter,
                                     DemoChain demo, PoolPayouts payouts, PoolStorage storage, PoolAlerts alerts)
            throws ConfigException {
        // Pool mode paying its own address shows how a window of twice the network difficulty would split the next block
        // (resized with every template). With payouts in the coinbase the payout book's window is the real one, across
        // every process: a second one here would cost every share a lock and show a different split.
        PoolWeb web = PoolWeb.open(c, clock, storage.sink(), network);
        PoolStats stats = new PoolStats(clock, web.sink(storage.sink()),
                c.mode == PoolConfig.Mode.POOL && c.payoutScheme == PoolConfig.PayoutScheme.POOL_ADDRESS ? new PplnsWindow(1) : null);
        DifficultyPolicy difficulty = c.vardiff
                ? Vardiff.builder().secondsPerShare(c.vardiffSecondsPerShare).minimum(c.vardiffMin).maximum(c.vardiffMax)
                        .minimumChangeInterval(Duration.ofMillis(Math.round(c.vardiffChangeInterval * 1000))).build()
                : DifficultyPolicy.fixed(c.vardiffMin, c.vardiffMax);
        PoolEngine engine = PoolEngine.builder()
                .clock(clock)
                .payouts(payouts.payouts)
                .payoutPerWorker(payouts.perWorker)
                .authorizer(payouts.authorizer)
                .blockSubmitter(web.recording(alerts.recording(payouts.recording(storage.recording(submitter)))))
                .difficultyPolicy(difficulty)
                .initialDifficulty(c.difficulty)
                .instanceId(c.instanceId)
                .extranonces(ExtranonceAllocator.sequential(4, c.instanceId))
                .shareSink(stats)
                .banPolicy(c.banThreshold == 0 ? BanPolicy.never()
                        : BanPolicy.invalidShares(c.banThreshold, 0.9, Duration.ofMinutes(1), Duration.ofMinutes(10)))
                .build();

        StratumServer.Builder sb = StratumServer.builder(engine).maxConnections(c.maxConnections)
                .maxConnectionsPerAddress(c.maxConnectionsPerAddress);
        if (c.eventLoops != null) {
            sb.eventLoops(c.eventLoops);
        }
        InetAddress bind = c.bind;
        for (PoolConfig.Port p : c.ports) {
            sb.listen(listener(bind, p, c.proxyProtocol));
        }
        if (!c.tlsPorts.isEmpty()) {
            TlsConfig tls;
            try {
                tls = TlsConfig.fromPem(c.tlsCert, c.tlsKey);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            for (PoolConfig.Port p : c.tlsPorts) {
                sb.listen(listener(bind, p, c.proxyProtocol).withTls(tls));
            }
        }
        PoolSv2 sv2 = PoolSv2.open(c, clock);
        sv2.listen(sb, bind, c.proxyProtocol);
        StratumServer server = sb.build();
        try {
            server.start();
        } catch (IOException e) {
            throw new ConfigException(e.getMessage());
        }
        // The pool says whether it is ready once it exists; until then only the engine's job counts.
        AtomicReference<Supplier<String>> unready =
                new AtomicReference<>(() -> null);
        StatsServer statsServer = null;
        if (c.statsPort != null) {
            InetSocketAddress at = new InetSocketAddress(c.statsBind, c.statsPort);
            try {
                statsServer = StatsServer.start(at, stats, engine, server.metrics(), c.mode.name().toLowerCase(java.util.Locale.ROOT),
                        storage.store().<Supplier<ShareStore.Status>>map(s -> s::status).orElse(null),
                        List.of(payouts.statsSection(), PoolSv2.statsSection(engine, server)), () -> unready.get().get());
            } catch (IOException e) {
                server.close();
                throw new ConfigException(e.getMessage());
            }
        }
        web.software(engine);
        try {
            web.start(clock);
        } catch (ConfigException e) {
            web.close();
            server.close();
            if (statsServer != null) {
                statsServer.close();
            }
            throw e;
        }
        chain.start(payouts.refreshing(t -> {
            web.template(t);
            if (stats.pplns() != null) {
                stats.pplns().resize(2 * t.bits().difficulty());
            }
            server.announce(engine.newTemplate(t));
        }));
        alerts.watch(clock, stats, chain, storage.store());
        ExamplePool pool = new ExamplePool(c, network, engine, server, chain, demo, stats, storage, payouts, alerts, web,
                statsServer, sv2);
        unready.set(pool::unready);
        pool.banner();
        return pool;
    }

    private static Listener listener(InetAddress bind, PoolConfig.Port p, boolean proxy) {
        InetSocketAddress at = bind == null ? new InetSocketAddress(p.port()) : new InetSocketAddress(bind, p.port());
        Listener l = Listener.on(at).withProxyProtocol(proxy);
        return p.difficulty() == null ? l : l.withStartingDifficulty(p.difficulty());
    }

    private void banner() {
        List<String> urls = new ArrayList<>();
        List<InetSocketAddress> bound = server.boundAddresses();
        int v1 = bound.size() - sv2.portCount();
        for (int i = 0; i < v1; i++) {
            String scheme = i < config.ports.size() ? "stratum+tcp" : "stratum+ssl";
            String host = bound.get(i).getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.get(i).getAddress().getHostAddress();
            urls.add(scheme + "://" + host + ":" + bound.get(i).getPort());
        }
        LOG.info("stratum4j example pool: {} chain ({}), {} mode, starting difficulty {}, vardiff {}", config.chain.name().toLowerCase(),
                network.id(), config.mode.name().toLowerCase(), config.difficulty, config.vardiff ? "on" : "off");
        LOG.info("point miners at {}{}", String.join(" or ", urls), config.mode == PoolConfig.Mode.SOLO
                ? " with your " + network.id() + " address as the user (address.worker)" : "");
        sv2.describe(LOG, bound.subList(v1, bound.size()));
        if (statsServer != null) {
            LOG.info("stats on http://{}:{}/stats (also /metrics, /health)", statsServer.address().getAddress().isAnyLocalAddress()
                    ? "127.0.0.1" : statsServer.address().getAddress().getHostAddress(), statsServer.address().getPort());
        }
        payouts.describe(LOG);
        storage.describe(LOG, config);
        alerts.describe(LOG);
        web.describe(LOG);
        if (demo != null) {
            LOG.info("demo chain: network difficulty {}, blocks pay whoever finds them; a demo address to mine to: {}",
                    String.format(java.util.Locale.ROOT, "%.4g", demo.networkDifficulty()), PoolMain.DEMO_ADDRESS);
        }
    }

    /** The addresses the Stratum and TLS ports are bound to, in the order given. */
    public List<InetSocketAddress> boundAddresses() {
        return server.boundAddresses();
    }

    /** The Stratum V2 URLs miners paste ({@code stratum2+tcp://HOST:PORT/KEY}), one per V2 port; empty without one. */
    public List<String> sv2Urls() {
        List<InetSocketAddress> bound = server.boundAddresses();
        return sv2.portCount() == 0 ? List.of() : sv2.urls(bound.subList(bound.size() - sv2.portCount(), bound.size()));
    }

    /** The engine (for statistics). */
    public PoolEngine engine() {
        return engine;
    }

    /** The server (for transport metrics). */
    public StratumServer server() {
        return server;
    }

    /** The demo chain, when that is the chain. */
    public java.util.Optional<DemoChain> demoChain() {
        return java.util.Optional.ofNullable(demo);
    }

    /** The share statistics. */
    public PoolStats stats() {
        return stats;
    }

    /** The stats endpoint's address, when one was asked for. */
    public java.util.Optional<InetSocketAddress> statsAddress() {
        return java.util.Optional.ofNullable(statsServer).map(StatsServer::address);
    }

    /** The payout book, when blocks pay miners in the coinbase ({@code --payout-scheme pplns-coinbase}). */
    public java.util.Optional<org.stratum4j.examples.payout.PayoutBook> payoutBook() {
        return payouts.book();
    }

    /** The dashboard's address, when {@code --web-port} was given. */
    public java.util.Optional<InetSocketAddress> webAddress() {
        return web.address();
    }

    /** The share store, when {@code --database} was given. */
    public java.util.Optional<ShareStore> store() {
        return storage.store();
    }

    /**
     * Leaves gracefully, for a rolling restart behind a balancer: {@code /health} says 503 at
     * once, the server stops accepting and tells its miners to reconnect, spread over
     * {@code --drain-seconds}, then everything is closed as by {@link #close} (the share store
     * copies the journal into the database first). Blocks until done.
     */
    public void drain() {
        draining = true;
        LOG.info("draining over {} s", config.drainSeconds);
        server.drain(Duration.ofMillis(Math.round(config.drainSeconds * 1000)),
                new org.stratum4j.core.protocol.Reconnect(config.reconnectHost, config.reconnectPort, null));
        close();
    }

    /** Whether {@link #drain} has begun. */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Why this process should not get new miners at {@code now}, if so: draining, or its share
     * store away for more than {@link #STORE_AWAY_LIMIT} with shares waiting (the journal keeps
     * them, but a process that cannot reach the database should not take on more). The engine's
     * "no job yet" is {@code /health}'s own check.
     */
    public java.util.Optional<String> notReady(java.time.Instant now) {
        if (draining) {
            return java.util.Optional.of("draining");
        }
        return storage.store().map(ShareStore::status).filter(st -> !st.reachable() && st.oldestWaiting() != null
                && st.oldestWaiting().isBefore(now.minus(STORE_AWAY_LIMIT)))
                .map(st -> "share store unreachable; " + st.backlogEntries() + " shares waiting since " + st.oldestWaiting());
    }

    private String unready() {
        return notReady(java.time.Instant.now()).orElse(null);
    }

    /** How long the database may be away, with shares waiting, before {@code /health} sends miners elsewhere. */
    public static final Duration STORE_AWAY_LIMIT = Duration.ofMinutes(10);

    /**
     * Stops the chain, then the server (flushing what miners are owed), the stats endpoint, the
     * share log, and the share store (after copying what the log holds, for up to 10 s).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        chain.stop();
        server.close();
        if (statsServer != null) {
            statsServer.close();
        }
        web.close();
        // The payout book records the blocks it was told of before the store stops following them.
        payouts.close();
        storage.close();
        alerts.close();
        LOG.info("stopped");
    }
}
