package org.stratum4j.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.protocol.StratumError;
import org.stratum4j.core.share.RejectReason;
import org.stratum4j.examples.pool.ConfigException;
import org.stratum4j.examples.pool.ExamplePool;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.examples.testing.TestPools;

/** The load generator against the example pool in this process, over loopback. */
class LoadGeneratorTest {

    static ExamplePool pool(String... extra) throws ConfigException {
        return TestPools.start(new String[] {"--bind", "127.0.0.1", "--port", "0", "--difficulty", "1024", "--vardiff", "off", "--stats-port",
            "0"}, extra);
    }

    @Test
    void everySubmitIsHashedRejectedAndTimedAndEveryBlockReachesEveryConnection() throws Exception {
        try (ExamplePool pool = pool("--demo-block-interval", "0.7")) {
            InetSocketAddress at = pool.boundAddresses().get(0);
            LoadGenerator.Settings s = new LoadGenerator.Settings(at, 300, 0, true, PoolMain.DEMO_ADDRESS + ".load", 600,
                    Duration.ZERO, Duration.ofSeconds(3), System.currentTimeMillis() + 1500, 2000, Duration.ofSeconds(5), 2, null, null);
            LoadReport r = new LoadGenerator(s).run();

            assertThat(r.connectionsHeld()).isEqualTo(300);
            assertThat(r.closedByPool()).isZero();
            assertThat(r.submitsSent()).isBetween(1500L, 1800L);
            assertThat(r.unanswered()).isZero();
            assertThat(r.answered()).isEqualTo(r.submitsSent());
            assertThat(r.roundTrip().count()).isEqualTo(r.answered());
            // Random nonces at difficulty 1024: all low difficulty, but for work in flight across a block change.
            assertThat(r.accepted()).isZero();
            long low = r.rejectedByCode().getOrDefault(StratumError.CODE_LOW_DIFFICULTY, 0L);
            long stale = r.rejectedByCode().getOrDefault(StratumError.CODE_JOB_NOT_FOUND, 0L);
            assertThat(low + stale).isEqualTo(r.answered());
            assertThat(stale).isLessThan(r.answered() / 10);
            // The pool agrees: it hashed and rejected them.
            assertThat(pool.engine().stats().rejected(RejectReason.LOW_DIFFICULTY)).isEqualTo(low);
            // Blocks made during the run reached all 300 connections.
            assertThat(r.jobs()).isNotEmpty();
            assertThat(r.jobs().values()).anySatisfy(a -> assertThat(a.connections()).isEqualTo(300));
            // Each connection came from its own loopback address, so the per-address limit (1,000) was never near.
            assertThat(pool.server().metrics().closesByReason()).doesNotContainKey("refused: too many connections from one address");
        }
    }

    @Test
    void stratumV2ConnectionsAreLoadedAndMeasuredTheSameWay(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (ExamplePool pool = pool("--demo-block-interval", "0.7", "--sv2-port", "0", "--sv2-authority-key",
                dir.resolve("authority.key").toString())) {
            int stats = pool.statsAddress().orElseThrow().getPort();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            LoadReport r = LoadGenMain.runParent(LoadGenMain.options(new String[] {"--url", pool.sv2Urls().get(0),
                "--connections", "200", "--rate", "400", "--warmup-seconds", "1", "--seconds", "3", "--idle-seconds", "2",
                "--connect-rate", "2000", "--stats-url", "http://127.0.0.1:" + stats + "/stats"}),
                    new PrintStream(text, true, StandardCharsets.UTF_8));
            String out = text.toString(StandardCharsets.UTF_8);
            assertThat(r.connectionsHeld()).as(out).isEqualTo(200);
            assertThat(r.closedByPool()).as(out).isZero();
            assertThat(r.unanswered()).as(out).isZero();
            assertThat(r.answered()).as(out).isEqualTo(r.submitsSent()).isBetween(1000L, 1400L);
            // Random nonces at difficulty 1024: difficulty-too-low, but for work in flight across a block change (stale-share).
            long low = r.rejectedByCode().getOrDefault(StratumError.CODE_LOW_DIFFICULTY, 0L);
            long stale = r.rejectedByCode().getOrDefault(StratumError.CODE_JOB_NOT_FOUND, 0L);
            assertThat(low + stale).as(out).isEqualTo(r.answered());
            assertThat(pool.engine().stats().rejected(RejectReason.LOW_DIFFICULTY)).isGreaterThanOrEqualTo(low);
            assertThat(pool.server().sv2Engine().stats().rejected()).isGreaterThanOrEqualTo(low + stale);
            // New blocks (future job + SetNewPrevHash) reached every V2 connection, and the probe counted them as sessions.
            assertThat(r.jobs().values()).as(out).anySatisfy(a -> assertThat(a.connections()).isEqualTo(200));
            assertThat(out).containsPattern("pool memory: 200 sessions; heap .* per session");
        }
    }

    @Test
    void theCommandLineRunsChildProcessesAndReadsThePoolsMemory() throws Exception {
        try (ExamplePool pool = pool("--demo-block-interval", "1")) {
            int port = pool.boundAddresses().get(0).getPort();
            int stats = pool.statsAddress().orElseThrow().getPort();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            LoadReport r = LoadGenMain.runParent(LoadGenMain.options(new String[] {"--url", "stratum+tcp://127.0.0.1:" + port,
                "--connections", "200", "--processes", "2", "--rate", "200", "--warmup-seconds", "1", "--seconds", "3", "--idle-seconds", "2",
                "--connect-rate", "2000", "--stats-url", "http://127.0.0.1:" + stats + "/stats"}),
                    new PrintStream(text, true, StandardCharsets.UTF_8));
            String out = text.toString(StandardCharsets.UTF_8);
            assertThat(r.connectionsHeld()).as(out).isEqualTo(200);
            assertThat(r.unanswered()).as(out).isZero();
            assertThat(r.submitsSent()).as(out).isBetween(500L, 700L);
            assertThat(r.warmupSubmits).as(out).isBetween(150L, 250L);
            assertThat(out).contains("connections held: 200 of 200").contains("submit round trip: p50 ")
                    .containsPattern("pool memory: 200 sessions; heap .* per session").contains("0 unanswered");
        }
    }

    @Test
    void newBlocksAreMadeAtTheGivenSecondsOfTheWindowAndEachIsMeasured(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (ExamplePool pool = pool()) {
            int port = pool.boundAddresses().get(0).getPort();
            // The command stands for bitcoin-cli's generatetoaddress: it leaves a line, and the chain finds a block for each.
            java.nio.file.Path made = dir.resolve("made");
            java.nio.file.Files.createFile(made);
            Thread node = new Thread(() -> {
                int seen = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        int lines = java.nio.file.Files.readAllLines(made).size();
                        for (; seen < lines; seen++) {
                            pool.demoChain().orElseThrow().foundElsewhere(1).toCompletableFuture().join();
                        }
                        Thread.sleep(5);
                    } catch (java.io.IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            node.start();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            LoadReport r;
            try {
                r = LoadGenMain.runParent(LoadGenMain.options(new String[] {"--url", "stratum+tcp://127.0.0.1:" + port,
                    "--connections", "100", "--rate", "200", "--warmup-seconds", "1", "--seconds", "4", "--idle-seconds", "1",
                    "--new-blocks-at", "-1,1,2", "--new-block-command", "echo block >> '" + made + "'"}),
                        new PrintStream(text, true, StandardCharsets.UTF_8));
            } finally {
                node.interrupt();
                node.join();
            }
            String out = text.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("new block at 1 s before the window (in the warm-up): made")
                    .contains("new block at 1 s into the window: made").contains("new block at 2 s into the window: made");
            // The warm-up's block is not measured.
            assertThat(r.jobs()).as(out).hasSize(2);
            assertThat(r.jobs().values()).as(out).allSatisfy(a -> assertThat(a.connections()).isEqualTo(100));
            assertThat(out).contains("new blocks: 2 reached every connection");
        }
        assertThatThrownBy(() -> LoadGenMain.blocksAt(LoadGenMain.options(new String[] {"--new-blocks-at", "3,2", "--new-block-command", "x"}), 5, 15))
                .hasMessageContaining("ascending seconds from the window's start, -5..14 (negative: in the warm-up)");
        assertThatThrownBy(() -> LoadGenMain.blocksAt(LoadGenMain.options(new String[] {"--new-blocks-at", "20", "--new-block-command", "x"}), 5, 15))
                .hasMessageContaining("-5..14");
        assertThatThrownBy(() -> LoadGenMain.blocksAt(LoadGenMain.options(new String[] {"--new-blocks-at", "-6,1", "--new-block-command", "x"}), 5, 15))
                .hasMessageContaining("-5..14");
        assertThat(LoadGenMain.blocksAt(LoadGenMain.options(new String[] {"--new-blocks-at", "-5,0,14", "--new-block-command", "x"}), 5, 15))
                .containsExactly(-5, 0, 14);
        assertThatThrownBy(() -> LoadGenMain.blocksAt(LoadGenMain.options(new String[] {"--new-blocks-at", "5"}), 5, 15))
                .hasMessageContaining("needs --new-block-command");
        assertThatThrownBy(() -> LoadGenMain.blocksAt(LoadGenMain.options(new String[] {"--new-block-command", "x"}), 5, 15))
                .hasMessageContaining("needs --new-blocks-at");
    }

    @Test
    void invalidShareFloodsAreBannedAtTheThresholdAndNeverWithZero() throws Exception {
        for (String threshold : new String[] {"20", "0"}) {
            try (ExamplePool pool = pool("--ban-threshold", threshold)) {
                LoadGenerator.Settings s = new LoadGenerator.Settings(pool.boundAddresses().get(0), 4, 0, true,
                        PoolMain.DEMO_ADDRESS + ".flood", 200, Duration.ZERO, Duration.ofSeconds(2), System.currentTimeMillis() + 500,
                        1000, Duration.ofSeconds(2), 1, null, null);
                LoadReport r = new LoadGenerator(s).run();
                if (threshold.equals("0")) {
                    assertThat(r.closedByPool()).isZero();
                    assertThat(r.answered()).isEqualTo(r.submitsSent()).isGreaterThan(300);
                } else {
                    // 50 invalid shares a second per connection: each is refused after its 20th rejection.
                    assertThat(r.closedByPool()).isEqualTo(4);
                    assertThat(pool.server().metrics().closesByReason()).containsEntry("banned", 4L);
                    assertThat(r.answered()).isBetween(4 * 19L, 4 * 21L);
                }
            }
        }
    }

    @Test
    void connectionsToldToReconnectComeBackAndTheirTimeWithoutWorkIsReported() throws Exception {
        ExamplePool first = pool("--drain-seconds", "1");
        int port = first.boundAddresses().get(0).getPort();
        LoadGenerator.Settings s = new LoadGenerator.Settings(first.boundAddresses().get(0), 50, 0, true, PoolMain.DEMO_ADDRESS + ".load",
                100, Duration.ZERO, Duration.ofSeconds(6), System.currentTimeMillis() + 1000, 1000, Duration.ofSeconds(2), 1,
                Duration.ofMillis(300), null);
        java.util.concurrent.CompletableFuture<LoadReport> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new LoadGenerator(s).run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(2500);
        // A rolling restart on one port: the first process drains (client.reconnect to all, spread over 1 s), the next one takes over.
        first.drain();
        try (ExamplePool second = pool("--port", Integer.toString(port))) {
            LoadReport r = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.connectionsHeld()).isEqualTo(50);
            assertThat(r.closeReasons).containsKey("told to reconnect");
            assertThat(r.returned()).as("every connection lost was back at work").isEqualTo(r.returned() + r.stillOut()).isGreaterThanOrEqualTo(50);
            assertThat(r.outOfWork().count()).isEqualTo(r.returned());
            // Each waited for the old process to close its port, at most a random 0.3 s (doubled per failed try), then for a job.
            assertThat(r.outOfWork().max()).isLessThan(5_000_000);
            assertThat(r.outOfWorkSeconds()).isGreaterThan(0);
            assertThat(second.server().metrics().acceptedConnections()).as("all on the new process").isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void onlyLoopbackIsAllowedAndOptionsAreChecked() {
        assertThatThrownBy(() -> LoadGenMain.runParent(Map.of("url", "stratum+tcp://192.0.2.1:3333"), System.out))
                .hasMessageContaining("loopback addresses only");
        assertThatThrownBy(() -> LoadGenMain.runParent(Map.of("connections", "40000"), System.out))
                .hasMessageContaining("more than 18,000 per process").hasMessageContaining("raise --processes");
        assertThatThrownBy(() -> LoadGenMain.options(new String[] {"--conections", "5"})).hasMessageContaining("unknown option --conections");
        assertThatThrownBy(() -> LoadGenMain.runParent(Map.of("rate", "fast"), System.out))
                .hasMessageContaining("--rate fast: expected a whole number");
    }

    @Test
    void reportsSurviveTheTripFromAChildProcess() {
        LoadReport r = new LoadReport();
        r.connectionsWanted = 10;
        r.connectionsHeld = 9;
        r.submitsSent = 100;
        r.answered = 99;
        r.unanswered = 1;
        r.submitSeconds = 2.5;
        r.rejectedByCode.put(23, 98L);
        r.rejectedByCode.put(21, 1L);
        r.closeReasons.put("closed by pool", 1L);
        r.roundTrip.record(120);
        r.roundTrip.record(4000);
        r.jobs.computeIfAbsent("1a2b", k -> new LoadReport.JobArrival()).arrived(1_000_000);
        r.jobs.get("1a2b").arrived(3_000_000);
        r.reconnects = 7;
        r.outOfWork(2_000_000, true);
        r.outOfWork(500_000_000, false);
        LoadReport back = LoadReport.decode(r.encode());
        LoadReport merged = new LoadReport();
        merged.merge(back);
        merged.merge(back);
        assertThat(back.connectionsHeld()).isEqualTo(9);
        assertThat(back.unanswered()).isEqualTo(1);
        assertThat(back.rejectedByCode()).containsEntry(23, 98L).containsEntry(21, 1L);
        assertThat(back.roundTrip().count()).isEqualTo(2);
        assertThat(back.jobs().get("1a2b").spreadNanos()).isEqualTo(2_000_000);
        assertThat(merged.submitsSent()).isEqualTo(200);
        assertThat(merged.jobs().get("1a2b").connections()).isEqualTo(4);
        assertThat(merged.closeReasons).containsEntry("closed by pool", 2L);
        assertThat(merged.reconnects()).isEqualTo(14);
        assertThat(merged.returned()).isEqualTo(2);
        assertThat(merged.stillOut()).isEqualTo(2);
        assertThat(merged.outOfWork().max()).isEqualTo(2_000);
        assertThat(merged.outOfWorkSeconds()).isCloseTo(1.004, org.assertj.core.data.Offset.offset(1e-9));
    }
}
