package org.stratum4j.examples.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stratum4j.examples.pool.ConfigException;
import org.stratum4j.examples.pool.ExamplePool;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.examples.sharelog.LoggedShare;
import org.stratum4j.examples.sharelog.ShareLog;
import org.stratum4j.examples.testing.TestPools;
import org.stratum4j.examples.testing.PostgresServer;
import org.stratum4j.examples.testing.TestPostgres;
import org.stratum4j.examples.testing.ValidShareMiner;

/** The example pool with {@code --database} against a real PostgreSQL server. */
class ShareStoreTest {

    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    /** A new empty database owned by {@code pool}, as postgresql://… */
    static String database() throws Exception {
        String name = PG.newDatabase("store");
        return PG.server().url(name);
    }

    static String[] poolArgs(String url, Path journal, String... extra) {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0", "--mode", "pool", "--payout-address",
                PoolMain.DEMO_ADDRESS, "--difficulty", ValidShareMiner.DIFFICULTY, "--vardiff", "off", "--vardiff-min",
                ValidShareMiner.DIFFICULTY, "--database", url, "--payout-scheme", "pool-address", "--share-log", journal.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    static void await(BooleanSupplier condition, long seconds, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what.get());
            }
            Thread.sleep(20);
        }
    }

    static void awaitShipped(ExamplePool pool) throws InterruptedException {
        ShareStore store = pool.store().orElseThrow();
        await(() -> store.status().backlogEntries() == 0 && store.status().reachable(), 60, () -> "the backlog to reach 0: "
                + store.status());
    }

    /** Keys (job/extranonce2/nonce) of the share rows of {@code instance}, failing on a duplicate. */
    static Set<String> rows(String url, int instance) throws Exception {
        String db = url.substring(url.lastIndexOf('/') + 1);
        Set<String> keys = new HashSet<>();
        try (Connection c = PG.server().connect("pool", db); PreparedStatement p = c.prepareStatement(
                "SELECT job_id || '/' || extranonce2 || '/' || lpad(to_hex(nonce), 8, '0') FROM shares WHERE instance_id = ?")) {
            p.setInt(1, instance);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    assertThat(keys.add(r.getString(1))).as("share %s is in the database once", r.getString(1)).isTrue();
                }
            }
        }
        return keys;
    }

    static long query(String url, String sql) throws Exception {
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = PG.server().connect("pool", db); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static int port(ExamplePool pool) {
        return pool.boundAddresses().get(0).getPort();
    }

    @Test
    void everyAcknowledgedShareIsOneRowAndTheWorkerRollupsCountThem(@TempDir Path dir) throws Exception {
        String url = database();
        try (ExamplePool pool = TestPools.start(poolArgs(url, dir.resolve("journal.jsonl"), "--stats-port", "0"))) {
            try (ValidShareMiner miner = new ValidShareMiner(port(pool), "alice.rig1", 32)) {
                miner.mine(0, 0, () -> miner.acknowledged.size() >= 500);
                miner.drain();
                awaitShipped(pool);
                assertThat(miner.refused.get()).isZero();
                assertThat(rows(url, 0)).isEqualTo(miner.acknowledged);
            }
            assertThat(query(url, "SELECT sum(shares) FROM worker_stats WHERE worker = 'alice.rig1'")).isEqualTo(
                    query(url, "SELECT count(*) FROM shares"));
            assertThat(query(url, "SELECT count(*) FROM shares WHERE remote_address = '127.0.0.1' AND NOT block"
                    + " AND actual_difficulty >= difficulty")).isEqualTo(query(url, "SELECT count(*) FROM shares"));
            assertThat(query(url, "SELECT shipped_shares FROM journal_progress WHERE instance_id = 0")).isEqualTo(
                    pool.store().orElseThrow().status().shipped());
            // The store in /stats and /metrics; the database password in neither.
            String base = "http://127.0.0.1:" + pool.statsAddress().orElseThrow().getPort();
            var http = java.net.http.HttpClient.newHttpClient();
            String stats = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/stats")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(stats).contains("\"store\"").contains("\"reachable\" : true").contains("\"backlog_entries\" : 0")
                    .contains("\"rejected_not_journaled\" : 0").doesNotContain(TestPostgres.PASSWORD);
            assertThat(metrics).contains("stratum_store_reachable 1").contains("stratum_store_backlog_entries 0")
                    .doesNotContain(TestPostgres.PASSWORD);
        }
    }

    @Test
    void rejectedSharesAreCountedByReasonInTheRollupsButAreNoShareRows(@TempDir Path dir) throws Exception {
        String url = database();
        try (ExamplePool pool = TestPools.start(poolArgs(url, dir.resolve("journal.jsonl")))) {
            try (ValidShareMiner miner = new ValidShareMiner(port(pool), "erin.rig1", 8)) {
                assertThat(miner.submitOne(1, true).isTrue()).isTrue();
                assertThat(miner.submitOne(1, true).error().code()).as("the same share again").isEqualTo(22);
                assertThat(miner.submitOne(2, false).error().code()).isEqualTo(23);
                assertThat(miner.submitOne(3, false).error().code()).isEqualTo(23);
                assertThat(miner.submitUnknownJob().error().code()).isEqualTo(21);
                awaitShipped(pool);
            }
        }
        assertThat(query(url, "SELECT count(*) FROM shares")).isEqualTo(1);
        assertThat(query(url, "SELECT sum(shares) FROM worker_stats WHERE worker = 'erin.rig1'")).isEqualTo(1);
        assertThat(query(url, "SELECT sum(rejected_duplicate) FROM worker_stats")).isEqualTo(1);
        assertThat(query(url, "SELECT sum(rejected_low_difficulty) FROM worker_stats")).isEqualTo(2);
        assertThat(query(url, "SELECT sum(rejected_stale) FROM worker_stats")).isEqualTo(1);
        assertThat(query(url, "SELECT sum(rejected_invalid) FROM worker_stats")).isZero();
        assertThat(query(url, "SELECT count(*) FROM worker_stats WHERE best_difficulty >= " + ValidShareMiner.DIFFICULTY
                + " AND extract(epoch FROM bucket)::bigint % 600 = 0")).isEqualTo(1);
    }

    static String text(String url, String sql) throws Exception {
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = PG.server().connect("pool", db); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    @Test
    void aFoundBlockIsFollowedOnTheChainUntilConfirmedAtOneHundred(@TempDir Path dir) throws Exception {
        String url = database();
        // Blocks are one share in a hundred, and the chain moves every 100 ms: a hundred confirmations in ten seconds.
        try (ExamplePool pool = TestPools.start(poolArgs(url, dir.resolve("journal.jsonl"), "--demo-network-difficulty", "0.000001",
                "--demo-block-interval", "0.1", "--block-check-seconds", "0.2"))) {
            var demo = pool.demoChain().orElseThrow();
            try (ValidShareMiner miner = new ValidShareMiner(port(pool), "frank.rig1", 8)) {
                miner.mine(0, 0, () -> demo.blocksAccepted() >= 1);
                miner.drain();
            }
            await(() -> count(url, "SELECT count(*) FROM blocks WHERE status = 'confirmed'") >= 1, 60,
                    () -> "a confirmed block; blocks: " + rowsOf(url, "SELECT hash || ' ' || status || ' ' || confirmations FROM blocks"));
            assertThat(count(url, "SELECT count(*) FROM blocks WHERE status = 'confirmed' AND confirmations >= 100 AND height > 0"
                    + " AND reward > 0 AND verdict IS NULL AND worker = 'frank.rig1' AND instance_id = 0")).isGreaterThanOrEqualTo(1);
            // Every block share has its row and every row its share (some may be refused as "inconclusive": the demo
            // chain moves every 100 ms, so a block can arrive on a tip that was just replaced).
            long joined = count(url, "SELECT count(*) FROM blocks b JOIN shares s ON s.hash = b.hash WHERE s.block");
            assertThat(joined).isEqualTo(count(url, "SELECT count(*) FROM shares WHERE block"))
                    .isEqualTo(count(url, "SELECT count(*) FROM blocks"));
        }
    }

    @Test
    void aBlockReplacedOnTheChainIsOrphaned(@TempDir Path dir) throws Exception {
        String url = database();
        try (ExamplePool pool = TestPools.start(poolArgs(url, dir.resolve("journal.jsonl"), "--demo-network-difficulty", "0.000001",
                "--block-check-seconds", "0.2"))) {
            var demo = pool.demoChain().orElseThrow();
            try (ValidShareMiner miner = new ValidShareMiner(port(pool), "grace.rig1", 1)) {
                miner.mine(0, 0, () -> demo.blocksAccepted() >= 1);
                miner.drain();
            }
            // Only this pool's blocks move the demo chain here, so the tip is ours.
            String ours = demo.tip().toDisplayHex();
            await(() -> "pending".equals(status(url, ours)), 30, () -> "block " + ours + " pending, is " + status(url, ours));
            demo.orphanTip();
            await(() -> "orphaned".equals(status(url, ours)), 30, () -> "block " + ours + " orphaned, is " + status(url, ours));
            assertThat(count(url, "SELECT count(*) FROM blocks WHERE status = 'orphaned'")).isEqualTo(1);
        }
    }

    @Test
    void aBlockTheNodeRefusesIsRecordedAsRejectedWithItsReason(@TempDir Path dir) throws Exception {
        String url = database();
        try (ExamplePool pool = TestPools.start(poolArgs(url, dir.resolve("journal.jsonl")))) {
            org.stratum4j.core.bitcoin.Sha256Hash hash = org.stratum4j.core.bitcoin.Sha256Hash.fromDisplayHex(
                    "0000000000000000000000000000000000000000000000000000000000c0ffee");
            pool.store().orElseThrow().blockSubmitted(hash, 901, "judy.rig1", 312_500_000L, java.util.Optional.of("high-hash"));
            await(() -> "rejected".equals(status(url, hash.toDisplayHex())), 30, () -> "the rejected block's row");
            assertThat(text(url, "SELECT verdict || ' ' || height || ' ' || reward || ' ' || worker FROM blocks"))
                    .isEqualTo("high-hash 901 312500000 judy.rig1");
        }
    }

    @Test
    void anOutageIsOneWarnLineAndTheRecoveryOneInfoLine(@TempDir Path dir) throws Exception {
        String url = database();
        int port = TestPools.freePort();
        Path log = dir.resolve("pool.log");
        Process pool = new ProcessBuilder(TestPools.childCommand(poolArgs(url, dir.resolve("journal.jsonl"), "--port",
                Integer.toString(port)))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            TestPools.awaitListening(pool, port);
            try (ValidShareMiner miner = new ValidShareMiner(port, "kim.rig1", 16)) {
                miner.mine(0, 0, () -> miner.acknowledged.size() >= 50);
                miner.drain();
                PG.server().stop();
                try {
                    // Shares go on for a while with the database away; the shipper retries meanwhile.
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                    miner.mine(1L << 32, 200, () -> System.nanoTime() > until);
                    miner.drain();
                    assertThat(miner.refused.get()).isZero();
                } finally {
                    PG.server().restart();
                }
                await(() -> read(log).contains("share store reachable again"), 60, () -> "the recovery line in " + read(log));
                assertThat(rows(url, 0)).isEqualTo(miner.acknowledged);
            }
        } finally {
            pool.destroy();
            pool.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> lines = java.nio.file.Files.readAllLines(log);
        assertThat(lines.stream().filter(l -> l.contains("WARN") && l.contains("share store"))).singleElement().asString()
                .contains("share store unreachable").contains("shares stay in the journal").doesNotContain(TestPostgres.PASSWORD);
        assertThat(lines.stream().filter(l -> l.contains("INFO") && l.contains("share store reachable again"))).hasSize(1);
    }

    static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static long count(String url, String sql) {
        try {
            return query(url, sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String status(String url, String hash) {
        try {
            return text(url, "SELECT status FROM blocks WHERE hash = '" + hash + "'");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String rowsOf(String url, String sql) {
        try {
            String db = url.substring(url.lastIndexOf('/') + 1);
            StringBuilder b = new StringBuilder();
            try (Connection c = PG.server().connect("pool", db); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    b.append(r.getString(1)).append("; ");
                }
            }
            return b.toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void aDamagedJournalLineIsSkippedAndTheSharesBehindItStillArrive(@TempDir Path dir) throws Exception {
        String url = database();
        Path journal = dir.resolve("journal.jsonl");
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String good = "{\"time\":\"" + now + "\",\"worker\":\"heidi.rig1\",\"job\":\"j1\",\"extranonce1\":\"00000000\","
                + "\"extranonce2\":\"0000000000000000\",\"ntime\":\"6b12d461\",\"nonce\":\"00000001\",\"version\":\"20000000\","
                + "\"difficulty\":\"1\",\"hash\":\"00000000ffff0000000000000000000000000000000000000000000000000000\",\"block\":false}";
        java.nio.file.Files.writeString(journal, good.replace("\"hash\":\"00000000ffff", "\"hash\":\"zz000000ffff") + "\n"
                + good.replace("j1", "j2") + "\n");
        try (ExamplePool pool = TestPools.start(poolArgs(url, journal))) {
            awaitShipped(pool);
            assertThat(pool.store().orElseThrow().status().shipped()).isEqualTo(2);
        }
        assertThat(text(url, "SELECT string_agg(job_id, ',') FROM shares")).isEqualTo("j2");
        assertThat(query(url, "SELECT sum(shares) FROM worker_stats")).isEqualTo(1);
    }

    @Test
    void everyColumnOfAShareRowIsTheJournalsValueWithAwkwardNamesAndTimesIntact(@TempDir Path dir) throws Exception {
        String url = database();
        Path journal = dir.resolve("journal.jsonl");
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String line = "{\"time\":\"%s\",\"worker\":%s,\"job\":\"j\\\\1\",\"extranonce1\":\"0a0b0c0d\",\"extranonce2\":\"%s\","
                + "\"ntime\":\"6b12d461\",\"nonce\":\"ffffffff\",\"version\":\"3fffe000\",\"difficulty\":\"0.5\","
                + "\"hash\":\"000000007fff8000000000000000000000000000000000000000000000000000\",\"block\":false%s}\n";
        String journalText = String.format(line, now, "\"zoë\\trig\\\\1\"", "0000000000000001", ",\"remote\":\"::1\"")
                + String.format(line, now.plusNanos(123_456_789), "\"plain.rig2\"", "0000000000000002", "")
                + String.format(line, "2026-02-30T10:00:00Z", "\"plain.rig3\"", "0000000000000003", "");
        java.nio.file.Files.writeString(journal, journalText);
        try (ExamplePool pool = TestPools.start(poolArgs(url, journal))) {
            awaitShipped(pool);
        }
        String row = "instance_id, created_at, worker, job_id, extranonce1, ntime, nonce, version, difficulty, actual_difficulty, hash,"
                + " block, coalesce(remote_address, '-')";
        try (Connection c = PG.server().connect("pool", url.substring(url.lastIndexOf('/') + 1)); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT " + row + " FROM shares ORDER BY extranonce2")) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 13; i++) {
                    Object v = r.getObject(i);
                    b.append(v instanceof java.sql.Timestamp t ? t.toInstant() : v).append('|');
                }
                rows.add(b.toString());
            }
            // 0x7fff8 is half of 0xffff0, difficulty 1's target: difficulty 2, exactly. PostgreSQL keeps microseconds, rounded.
            String rest = "|j\\1|0a0b0c0d|1796396129|4294967295|1073733632|0.5|2.0|"
                    + "000000007fff8000000000000000000000000000000000000000000000000000|false|";
            assertThat(rows).containsExactly(
                    "0|" + now + "|zoë\trig\\1" + rest + "::1|",
                    "0|" + now.plusNanos(123_457_000) + "|plain.rig2" + rest + "-|");
        }
        assertThat(query(url, "SELECT count(*) FROM worker_stats WHERE shares = 1 AND difficulty = 0.5 AND best_difficulty = 2"
                + " AND bucket = to_timestamp(" + now.getEpochSecond() / 600 * 600 + ")")).isEqualTo(2);
        // The third line (30 February) was skipped, and counted as read.
        assertThat(query(url, "SELECT shipped_shares FROM journal_progress")).isEqualTo(3);
    }

    @Test
    void aDatabaseOutageStopsNoMinerAndLosesNoShare(@TempDir Path dir) throws Exception {
        String url = database();
        try (ExamplePool pool = TestPools.start(poolArgs(url, dir.resolve("journal.jsonl")))) {
            ShareStore store = pool.store().orElseThrow();
            try (ValidShareMiner miner = new ValidShareMiner(port(pool), "bob.rig1", 32)) {
                miner.mine(0, 0, () -> miner.acknowledged.size() >= 100);
                miner.drain();
                awaitShipped(pool);
                int before = miner.acknowledged.size();
                PG.server().stop();
                try {
                    miner.mine(1L << 32, 0, () -> miner.acknowledged.size() >= 600);
                    miner.drain();
                    await(() -> !store.status().reachable(), 30, () -> "the store to notice the outage");
                    assertThat(miner.refused.get()).as("shares refused while the database was down").isZero();
                    assertThat(store.status().backlogEntries()).as("shares waiting in the journal").isGreaterThanOrEqualTo(600L - before);
                    assertThat(store.status().oldestWaiting()).isNotNull();
                    assertThat(store.status().outages()).isEqualTo(1);
                    // Still a good home for miners (the journal holds their shares) until the store has been away too long.
                    java.time.Instant now = java.time.Instant.now();
                    assertThat(pool.notReady(now)).isEmpty();
                    assertThat(pool.notReady(now.plus(ExamplePool.STORE_AWAY_LIMIT).plusSeconds(1)))
                            .hasValueSatisfying(why -> assertThat(why).startsWith("share store unreachable; "));
                } finally {
                    PG.server().restart();
                }
                awaitShipped(pool);
                assertThat(rows(url, 0)).isEqualTo(miner.acknowledged);
                assertThat(store.status().outages()).isEqualTo(1);
            }
        }
    }

    @Test
    void sigtermDrainsTellsMinersToReconnectCopiesTheJournalAndExitsZero(@TempDir Path dir) throws Exception {
        String url = database();
        int port = TestPools.freePort();
        int statsPort = TestPools.freePort();
        Process pool = new ProcessBuilder(TestPools.childCommand(poolArgs(url, dir.resolve("journal.jsonl"), "--port",
                Integer.toString(port), "--stats-port", Integer.toString(statsPort), "--drain-seconds", "3")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("pool.log").toFile()).start();
        try {
            TestPools.awaitListening(pool, port);
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest health = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + statsPort + "/health")).build();
            await(() -> status(http, health) == 200, 10, () -> "a healthy pool");
            try (ValidShareMiner miner = new ValidShareMiner(port, "dave.rig1", 16)) {
                miner.mine(0, 0, () -> miner.acknowledged.size() >= 300);
                pool.destroy(); // SIGTERM
                // Mining goes on during the drain until the pool says to go (and then closes).
                miner.mine(1L << 32, 200, () -> miner.reconnects.get() > 0 || miner.isClosed());
                assertThat(http.send(health, java.net.http.HttpResponse.BodyHandlers.ofString()))
                        .satisfiesAnyOf(r -> assertThat(r.statusCode()).isEqualTo(503), r -> assertThat(r.body()).isEqualTo("draining\n"));
                miner.drain();
                assertThat(pool.waitFor(30, TimeUnit.SECONDS)).as("the pool exits after its drain").isTrue();
                assertThat(pool.exitValue()).isZero();
                assertThat(miner.reconnects.get()).isEqualTo(1);
                // Every acknowledged share reached the database before the process left.
                assertThat(rows(url, 0)).isEqualTo(miner.acknowledged);
            }
        } finally {
            pool.destroyForcibly();
        }
        assertThat(java.nio.file.Files.readString(dir.resolve("pool.log"))).contains("draining: 1 miners told to reconnect over 3 s");
    }

    static int status(java.net.http.HttpClient http, java.net.http.HttpRequest r) {
        try {
            return http.send(r, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void afterKillNineAndARestartEveryAcknowledgedShareIsInTheDatabaseExactlyOnce(@TempDir Path dir) throws Exception {
        String url = database();
        Path journal = dir.resolve("journal.jsonl");
        int port = TestPools.freePort();
        Process pool = new ProcessBuilder(TestPools.childCommand(poolArgs(url, journal, "--port", Integer.toString(port))))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> acknowledged;
        try {
            TestPools.awaitListening(pool, port);
            try (ValidShareMiner miner = new ValidShareMiner(port, "carol.rig1", 64)) {
                miner.mineUntilKilled(pool, 1500);
                assertThat(pool.waitFor(10, TimeUnit.SECONDS)).isTrue();
                acknowledged = new HashSet<>(miner.acknowledged);
            }
        } finally {
            pool.destroyForcibly();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(1500);
        // The same instance restarts on the same journal and copies the rest, once.
        try (ExamplePool again = TestPools.start(poolArgs(url, journal))) {
            awaitShipped(again);
        }
        List<LoggedShare> journaled = new ArrayList<>();
        ShareLog.read(journal, journaled::add);
        Set<String> rows = rows(url, 0);
        assertThat(rows).as("every acknowledged share").containsAll(acknowledged);
        assertThat(rows).as("every journaled share, no more").hasSize((int) journaled.stream().filter(LoggedShare::accepted).count());
    }

    @Test
    void twoInstancesWriteToOneDatabaseAndASecondProcessWithTheSameIdIsRefused(@TempDir Path dir) throws Exception {
        String url = database();
        try (ExamplePool one = TestPools.start(poolArgs(url, dir.resolve("j1.jsonl"), "--instance-id", "1"));
             ExamplePool two = TestPools.start(poolArgs(url, dir.resolve("j2.jsonl"), "--instance-id", "2"))) {
            try (ValidShareMiner a = new ValidShareMiner(port(one), "dave.rig1", 32);
                 ValidShareMiner b = new ValidShareMiner(port(two), "dave.rig2", 32)) {
                Thread other = new Thread(() -> {
                    try {
                        b.mine(0, 0, () -> b.acknowledged.size() >= 300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                other.start();
                a.mine(0, 0, () -> a.acknowledged.size() >= 300);
                other.join();
                a.drain();
                b.drain();
                awaitShipped(one);
                awaitShipped(two);
                assertThat(rows(url, 1)).isEqualTo(a.acknowledged);
                assertThat(rows(url, 2)).isEqualTo(b.acknowledged);
            }
            assertThatThrownBy(() -> TestPools.start(poolArgs(url, dir.resolve("j3.jsonl"), "--instance-id", "1")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("another pool process is shipping shares as instance 1 into this database");
        }
    }

    @Test
    void unusableDatabaseSettingsStopThePoolAtStartWithOneSentence(@TempDir Path dir) throws Exception {
        String good = database();
        String wrongPassword = good.replace(TestPostgres.PASSWORD, "not-the-password");
        assertThatThrownBy(() -> TestPools.start(poolArgs(wrongPassword, dir.resolve("a.jsonl")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot use the share store at jdbc:postgresql://127.0.0.1:" + PG.server().port())
                .hasMessageContaining("password authentication failed for user \"pool\"").hasMessageNotContaining("not-the-password");
        String missing = good.substring(0, good.lastIndexOf('/') + 1) + "no_such_db";
        assertThatThrownBy(() -> TestPools.start(poolArgs(missing, dir.resolve("b.jsonl")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("database \"no_such_db\" does not exist");
        int closed = TestPools.freePort();
        String unreachable = "postgresql://pool:x@127.0.0.1:" + closed + "/pool";
        Process p = new ProcessBuilder(TestPools.childCommand(poolArgs(unreachable, dir.resolve("c.jsonl")))).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out.strip().lines()).as(out).hasSize(1).first().asString()
                .contains("cannot use the share store at jdbc:postgresql://127.0.0.1:" + closed + "/pool as pool")
                .doesNotContain("pool:x@");
    }
}
