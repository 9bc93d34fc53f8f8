package org.stratum4j.examples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratum4j.core.engine.ShareSink;
import org.stratum4j.examples.pool.ExamplePool;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.examples.store.DatabaseUrl;
import org.stratum4j.examples.store.ShareStore;
import org.stratum4j.examples.testing.TestPools;
import org.stratum4j.examples.testing.TestPostgres;
import org.stratum4j.examples.testing.ValidShareMiner;

/**
 * Two pool processes on one real PostgreSQL: the dashboard that reads the share store shows the
 * workers, hashrate and blocks of both, where either process's memory holds only its own.
 */
class DatabaseDashboardTest {

    static final String BOB = "bcrt1qxyzqwpqtvc4xtk5nuhwh6k3wz7xmtvmf6wr6dl";

    static String[] args(String url, Path journal, String instance) {
        return new String[] {"--bind", "127.0.0.1", "--port", "0", "--mode", "pool", "--payout-address", PoolMain.DEMO_ADDRESS,
            "--payout-scheme", "pool-address", "--difficulty", ValidShareMiner.DIFFICULTY, "--vardiff", "off", "--vardiff-min",
            ValidShareMiner.DIFFICULTY, "--demo-network-difficulty", "0.000001", "--database", url, "--share-log", journal.toString(),
            "--instance-id", instance};
    }

    static void awaitShipped(ExamplePool pool) throws InterruptedException {
        ShareStore store = pool.store().orElseThrow();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while ((store.status().backlogEntries() > 0 || !store.status().reachable()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.status().backlogEntries()).isZero();
    }

    static String get(WebServer web, String path) throws Exception {
        return new String(URI.create("http://127.0.0.1:" + web.address().getPort() + path).toURL().openStream().readAllBytes(),
                StandardCharsets.UTF_8);
    }

    @Test
    void thePagesShowEveryProcessOfTheCluster(@TempDir Path dir) throws Exception {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.createDatabase("dash");
            String url = pg.url("dash");
            try (ExamplePool one = TestPools.start(args(url, dir.resolve("j1.jsonl"), "1"));
                 ExamplePool two = TestPools.start(args(url, dir.resolve("j2.jsonl"), "2"))) {
                Map<String, Integer> accepted = new HashMap<>();
                for (Object[] m : new Object[][] {{one, PoolMain.DEMO_ADDRESS + ".rig1"}, {two, PoolMain.DEMO_ADDRESS + ".rig2"},
                    {two, BOB + ".farm"}}) {
                    ExamplePool pool = (ExamplePool) m[0];
                    try (ValidShareMiner miner = new ValidShareMiner(pool.boundAddresses().get(0).getPort(), (String) m[1], 8)) {
                        miner.mine(0, 0, () -> miner.acknowledged.size() >= 250);
                        miner.drain();
                        accepted.put((String) m[1], miner.acknowledged.size());
                    }
                }
                awaitShipped(one);
                awaitShipped(two);
                MemoryDashboard local = new MemoryDashboard(Clock.systemUTC(), ShareSink.discard());
                try (DatabaseDashboard cluster = new DatabaseDashboard(DatabaseUrl.parse(url, null, null), Clock.systemUTC(), local);
                     WebServer web = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), cluster,
                             Clock.systemUTC(), "cluster")) {
                    cluster.refresh();
                    DashboardSource.PoolSummary p = cluster.pool();
                    assertThat(p.workersOnline()).as("workers of both processes").isEqualTo(3);
                    assertThat(p.minersOnline()).isEqualTo(2);
                    assertThat(p.hashrate()).isPositive();
                    long blocks = one.engine().stats().blocks() + two.engine().stats().blocks();
                    assertThat(blocks).isPositive();
                    // Every block found is listed; one found on a tip its own process had just replaced is refused
                    // ("inconclusive") or orphaned, and not counted as found.
                    assertThat(cluster.blocks(100)).hasSize((int) blocks).allSatisfy(b -> assertThat(b.status()).isIn("submitted",
                            "pending", "confirmed", "rejected", "orphaned"));
                    assertThat(p.blocksFound()).isPositive().isEqualTo(cluster.blocks(100).stream()
                            .filter(b -> !b.status().equals("rejected") && !b.status().equals("orphaned")).count());

                    List<ShareHistory.WorkerView> demo = cluster.workersOf(PoolMain.DEMO_ADDRESS);
                    assertThat(demo).extracting(ShareHistory.WorkerView::worker).containsExactly(PoolMain.DEMO_ADDRESS + ".rig1",
                            PoolMain.DEMO_ADDRESS + ".rig2");
                    for (ShareHistory.WorkerView w : demo) {
                        assertThat(w.accepted()).as(w.worker()).isEqualTo(accepted.get(w.worker()).longValue());
                        assertThat(w.online()).isTrue();
                        assertThat(w.difficulty()).isCloseTo(1e-8, within(1e-12));
                        assertThat(w.bestDifficulty()).isPositive();
                    }
                    assertThat(cluster.workerSeries(PoolMain.DEMO_ADDRESS + ".rig2", ShareHistory.View.DAY)).hasNumberOfRows(144);
                    assertThat(cluster.workerSeries(PoolMain.DEMO_ADDRESS + ".rig2", ShareHistory.View.HOUR)[5][1]).isPositive();
                    assertThat(cluster.workersOf(BOB)).hasSize(1);

                    // The pages read the same: process 2's worker on a page that process 1 could serve.
                    assertThat(get(web, "/miner/" + PoolMain.DEMO_ADDRESS)).contains(">rig1<").contains(">rig2<");
                    assertThat(get(web, "/api/pool")).contains("\"workers_online\":3");
                    assertThat(get(web, "/api/pool/hashrate?view=1h")).contains("\"interval_seconds\":600");
                    assertThat(get(web, "/api/pool/hashrate?view=7d")).contains("\"interval_seconds\":3600");
                }
            }
        }
    }
}
