package org.stratum4j.examples.pool;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.engine.TemplateSource;
import org.stratum4j.examples.alerts.AlertWatch;
import org.stratum4j.examples.alerts.ClusterWorkers;
import org.stratum4j.examples.alerts.WebhookSender;
import org.stratum4j.examples.bitcoind.BitcoindChain;
import org.stratum4j.examples.stats.PoolStats;
import org.stratum4j.examples.store.ShareStore;

/**
 * The pool's alerts ({@code --alert-webhook}, {@code --alert-offline-minutes}): the webhook sender
 * and the watch over workers, node, database and found blocks. Without a webhook it does nothing.
 */
final class PoolAlerts implements AutoCloseable {

    private static final Duration CHECK_EVERY = Duration.ofSeconds(15);

    private final WebhookSender sender;
    private final Duration offline;
    private final PoolConfig config;
    private volatile AlertWatch watch;
    private ClusterWorkers cluster;

    private PoolAlerts(PoolConfig config, WebhookSender sender, Duration offline) {
        this.config = config;
        this.sender = sender;
        this.offline = offline;
    }

    static PoolAlerts open(PoolConfig c) {
        if (c.alertWebhooks.isEmpty()) {
            return new PoolAlerts(c, null, null);
        }
        WebhookSender.Builder b = WebhookSender.builder();
        c.alertWebhooks.forEach(b::url);
        return new PoolAlerts(c, b.build(), Duration.ofSeconds(Math.round(c.alertOfflineMinutes * 60)));
    }

    /** {@code next}, and a {@code block_found} event with the node's verdict for every block. */
    BlockSubmitter recording(BlockSubmitter next) {
        if (sender == null) {
            return next;
        }
        return block -> next.submit(block).whenComplete((verdict, failure) -> {
            AlertWatch w = watch;
            if (w != null) {
                w.blockFound(block, verdict, failure);
            }
        });
    }

    /** Starts watching the workers in {@code stats}, the node behind {@code chain} and the {@code store}. */
    void watch(Clock clock, PoolStats stats, TemplateSource chain, Optional<ShareStore> store) {
        if (sender == null) {
            return;
        }
        BooleanSupplier node = chain instanceof BitcoindChain b ? b::nodeReachable : null;
        BooleanSupplier database = store.<BooleanSupplier>map(s -> () -> s.status().reachable()).orElse(null);
        AlertWatch w;
        if (config.database != null) {
            // Behind a balancer a miner may move between processes: its last share is read from the store, where every
            // process writes, and one process (the advisory lock's holder) sends the worker alerts.
            ClusterWorkers workers = new ClusterWorkers(config.database, clock, offline.plusMinutes(30));
            cluster = workers;
            w = new AlertWatch(clock, offline, workers::lastShares, node, database, sender).leadingWhen(workers::leading);
        } else {
            w = new AlertWatch(clock, offline, stats::lastShares, node, database, sender);
        }
        w.start(CHECK_EVERY);
        watch = w;
    }

    void describe(Logger log) {
        if (sender != null) {
            log.info("alerts: {} webhook(s); a worker is offline after {} min without a share", sender.webhooks(), offline.toMinutes());
        }
    }

    @Override
    public void close() {
        AlertWatch w = watch;
        if (w != null) {
            w.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (sender != null) {
            sender.close();
        }
    }
}
