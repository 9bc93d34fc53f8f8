package org.stratum4j.examples.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.stratum4j.examples.miner.CpuMiner;
import org.stratum4j.examples.testing.TestPools;

/** The example pool on its demo chain with the CPU miner, in one process over loopback. */
class ExamplePoolTest {

    static void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        TestPools.await(condition, seconds, what);
    }

    static ExamplePool pool(String... extra) throws ConfigException {
        return TestPools.start(new String[] {"--bind", "127.0.0.1", "--port", "0", "--demo-network-difficulty", "0.002", "--difficulty",
            "0.0005"}, extra);
    }

    @Test
    void aSoloCpuMinerGetsSharesAcceptedAndFindsBlocksTheDemoChainAccepts() throws Exception {
        try (ExamplePool pool = pool()) {
            InetSocketAddress at = pool.boundAddresses().get(0);
            try (CpuMiner miner = new CpuMiner(at, null, PoolMain.DEMO_ADDRESS + ".rig1", "x", 1)) {
                miner.start();
                var demo = pool.demoChain().orElseThrow();
                await(() -> miner.accepted() >= 5 && demo.blocksAccepted() >= 1, 120,
                        "5 accepted shares and a block; accepted " + miner.accepted() + ", blocks " + demo.blocksAccepted());
                assertThat(pool.engine().stats().blocks()).isGreaterThanOrEqualTo(1);
                assertThat(demo.height()).isGreaterThanOrEqualTo(1);
                // Work in flight across a block change may come back stale; nothing else may be rejected.
                assertThat(miner.rejected()).isLessThanOrEqualTo(pool.engine().stats().rejected(
                        org.stratum4j.core.share.RejectReason.JOB_NOT_FOUND));
            }
        }
    }

    @Test
    void aMinerMinesOverTheTlsPort() throws Exception {
        java.nio.file.Path cert = java.nio.file.Path.of(ExamplePoolTest.class.getResource("/tls/pool-cert.pem").toURI());
        java.nio.file.Path key = java.nio.file.Path.of(ExamplePoolTest.class.getResource("/tls/pool-key.pem").toURI());
        try (ExamplePool pool = pool("--tls-port", "0", "--tls-cert", cert.toString(), "--tls-key", key.toString())) {
            InetSocketAddress tls = pool.boundAddresses().get(1);
            try (CpuMiner miner = new CpuMiner(tls, org.stratum4j.transport.nio.ClientTls.trusting(cert), PoolMain.DEMO_ADDRESS, "x", 1)) {
                miner.start();
                await(() -> miner.accepted() >= 2, 60, "2 accepted shares over TLS");
            }
            assertThat(pool.server().metrics().closesByReason()).doesNotContainKeys("TLS handshake failed", "TLS error");
        }
    }

    @Test
    void soloRefusesAUserThatIsNotAnAddressOfTheChain() throws Exception {
        try (ExamplePool pool = pool()) {
            InetSocketAddress at = pool.boundAddresses().get(0);
            CpuMiner stranger = new CpuMiner(at, null, "rig1", "x", 1);
            assertThatThrownBy(stranger::start).hasMessageContaining("the pool refused user rig1")
                    .hasMessageContaining("your regtest address");
            CpuMiner mainnet = new CpuMiner(at, null, "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh.rig", "x", 1);
            assertThatThrownBy(mainnet::start).hasMessageContaining("main address, but the pool runs on regtest");
        }
    }

    static String get(java.net.URI uri, int[] status) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        status[0] = response.statusCode();
        return response.body();
    }

    @Test
    void poolModeAccountsSharesLogsThemDurablyAndShowsStats(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = dir.resolve("shares.jsonl");
        try (ExamplePool pool = pool("--mode", "pool", "--payout-address", PoolMain.DEMO_ADDRESS, "--share-log", log.toString(),
                "--stats-port", "0")) {
            long acknowledged;
            try (CpuMiner miner = new CpuMiner(pool.boundAddresses().get(0), null, "alice.rig7", "x", 1)) {
                miner.start();
                await(() -> miner.accepted() >= 3, 60, "3 accepted shares");
                acknowledged = miner.accepted();
            }
            // Every share the miner heard 'true' for is in the log already.
            java.util.List<org.stratum4j.examples.sharelog.LoggedShare> logged = new java.util.ArrayList<>();
            assertThat(org.stratum4j.examples.sharelog.ShareLog.read(log, logged::add)).isZero();
            assertThat((long) logged.size()).isGreaterThanOrEqualTo(acknowledged);
            assertThat(logged).allSatisfy(s -> assertThat(s.worker()).isEqualTo("alice.rig7"));

            InetSocketAddress stats = pool.statsAddress().orElseThrow();
            String base = "http://127.0.0.1:" + stats.getPort();
            int[] status = new int[1];
            String json = get(java.net.URI.create(base + "/stats"), status);
            assertThat(status[0]).isEqualTo(200);
            assertThat(json).contains("\"mode\" : \"pool\"").contains("\"name\" : \"alice.rig7\"")
                    .contains("\"next_block_split\" : {\n      \"alice.rig7\" : 1.0")
                    .contains("\"pid\" : " + ProcessHandle.current().pid()).containsPattern("\"heap_used_bytes\" : [1-9]")
                    .containsPattern("\"rss_bytes\" : [1-9]").contains("\"payouts\" : {\n    \"scheme\" : \"pool-address\"")
                    .containsPattern("\"last_fanout_ms\" : [0-9]");
            String metrics = get(java.net.URI.create(base + "/metrics"), status);
            assertThat(metrics).contains("# TYPE stratum_shares_accepted_total counter")
                    .containsPattern("stratum_shares_accepted_total [1-9]").containsPattern("\njvm_heap_used_bytes [1-9]")
                    .containsPattern("\nprocess_resident_memory_bytes [1-9]").containsPattern("\nstratum_last_fanout_seconds [0-9]");
            assertThat(get(java.net.URI.create(base + "/health"), status)).isEqualTo("ok\n");
            assertThat(status[0]).isEqualTo(200);
            assertThat(pool.stats().hashrate()).isPositive();
        }
    }
}
