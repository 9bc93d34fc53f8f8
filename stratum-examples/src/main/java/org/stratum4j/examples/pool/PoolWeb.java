package org.stratum4j.examples.pool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.engine.ShareSink;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.examples.payout.EarningsReader;
import org.stratum4j.examples.web.DashboardSource;
import org.stratum4j.examples.web.DatabaseDashboard;
import org.stratum4j.examples.web.MemoryDashboard;
import org.stratum4j.examples.web.WebServer;

/**
 * The public dashboard ({@code --web-port}, {@code --web-bind}, {@code --web-title}): figures
 * kept in memory from the share events, the found blocks and the templates or, with
 * {@code --database}, read from the share store for the whole cluster, served by a
 * {@link WebServer}. Without {@code --web-port} it keeps and serves nothing.
 */
final class PoolWeb implements AutoCloseable {

    /** How often the cluster's figures are read from the database. */
    static final java.time.Duration REFRESH = java.time.Duration.ofSeconds(15);

    private final PoolConfig config;
    private final MemoryDashboard dashboard;
    private final EarningsReader earnings;
    private DatabaseDashboard cluster;
    private WebServer server;

    private PoolWeb(PoolConfig config, MemoryDashboard dashboard, EarningsReader earnings) {
        this.config = config;
        this.dashboard = dashboard;
        this.earnings = earnings;
    }

    /** The dashboard's share sink in front of {@code next}, when there is a dashboard. */
    static PoolWeb open(PoolConfig c, Clock clock, ShareSink next, Network network) {
        if (c.webPort == null) {
            return new PoolWeb(c, null, null);
        }
        MemoryDashboard dashboard = new MemoryDashboard(clock, next);
        EarningsReader earnings = null;
        if (c.database != null && c.payoutScheme == PoolConfig.PayoutScheme.PPLNS_COINBASE) {
            EarningsReader reader = new EarningsReader(c.database, network, clock);
            dashboard.earnings(address -> reader.of(address).stream().map(e -> new DashboardSource.EarningView(e.blockHash(),
                    e.height(), e.foundAt(), e.earned(), e.paid(), e.carriedOut(), e.status(), e.confirmations())).toList());
            earnings = reader;
        }
        return new PoolWeb(c, dashboard, earnings);
    }

    /** Where the engine's share events go next. */
    ShareSink sink(ShareSink next) {
        return keepsFigures() ? dashboard : next;
    }

    BlockSubmitter recording(BlockSubmitter next) {
        return keepsFigures() ? dashboard.recording(next) : next;
    }

    /** Whether shares and blocks are kept in memory: not with a database, whose figures the pages read instead. */
    private boolean keepsFigures() {
        return dashboard != null && config.database == null;
    }

    /** Counts connected miners' software with the engine. */
    void software(org.stratum4j.core.engine.PoolEngine engine) {
        if (dashboard != null) {
            dashboard.software(engine::minerSoftware);
        }
    }

    void template(BlockTemplate t) {
        if (dashboard != null) {
            dashboard.template(t);
        }
    }

    void start(Clock clock) throws ConfigException {
        if (dashboard == null) {
            return;
        }
        DashboardSource source = dashboard;
        if (config.database != null) {
            // Every process writes its shares to the database: the pages read them there and show the whole cluster.
            cluster = new DatabaseDashboard(config.database, clock, dashboard);
            cluster.start(REFRESH);
            source = cluster;
        }
        try {
            server = WebServer.start(new InetSocketAddress(config.webBind, config.webPort), source, clock, config.webTitle);
        } catch (IOException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw new ConfigException("--web-port " + config.webPort + ": " + e.getMessage());
        }
    }

    void describe(Logger log) {
        if (server != null) {
            InetSocketAddress a = server.address();
            log.info("dashboard on http://{}:{}/", a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress(),
                    a.getPort());
        }
    }

    /** The dashboard's address, once started. */
    java.util.Optional<InetSocketAddress> address() {
        return server == null ? java.util.Optional.empty() : java.util.Optional.of(server.address());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (earnings != null) {
            earnings.close();
        }
    }
}
