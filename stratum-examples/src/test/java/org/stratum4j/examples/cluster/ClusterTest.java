package org.stratum4j.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.examples.demo.DemoChain;
import org.stratum4j.examples.demo.DemoNode;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.examples.testing.TestPools;
import org.stratum4j.examples.testing.TestPostgres;
import org.stratum4j.examples.testing.ValidShareMiner;

/**
 * Three pool processes behind a real HAProxy (the repository's deploy/cluster/haproxy.cfg.in) on
 * one real PostgreSQL, following one node (the demo chain over Bitcoin Core's RPC): a block found
 * through any process moves every process's miners to a clean job; a drained process sends its
 * miners to the others without a refused or lost share; a killed one's miners mine again elsewhere
 * within 10 s, and after its restart on the same journal every acknowledged share is in the database
 * once.
 */
class ClusterTest {

    static final int POOLS = 3;

    /** The haproxy binary, or a skip (never in CI) naming what is missing. */
    static Path haproxy() {
        for (String dir : (System.getenv("PATH") + File.pathSeparator + "/usr/sbin:/usr/local/sbin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "haproxy");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String why = "org.stratum4j.examples.cluster needs HAProxy (Debian package haproxy); .ci/run installs it";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        Assumptions.assumeTrue(false, why);
        return null;
    }

    /** A miner through the balancer that reconnects whenever its pool says so or goes away, as real miners do. */
    static final class Miner implements Runnable {
        final int port;
        final String worker;
        final long first;
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong unanswered = new AtomicLong();
        final AtomicInteger sessions = new AtomicInteger();
        final AtomicLong longestGapMillis = new AtomicLong();
        volatile boolean stop;
        volatile long lastAckNanos = System.nanoTime();
        volatile ValidShareMiner current;

        Miner(int port, String worker, long first) {
            this.port = port;
            this.worker = worker;
            this.first = first;
        }

        @Override
        public void run() {
            long counter = first;
            while (!stop) {
                try (ValidShareMiner m = new ValidShareMiner(port, worker, 8)) {
                    current = m;
                    boolean resumed = sessions.incrementAndGet() > 1;
                    boolean[] firstSeen = {false};
                    m.mine(counter, 40, () -> {
                        if (!m.acknowledged.isEmpty() && acknowledged.addAll(m.acknowledged)) {
                            long now = System.nanoTime();
                            if (!firstSeen[0]) {
                                firstSeen[0] = true;
                                if (resumed) {
                                    // How long this miner went from its last acknowledged share to the first on its new pool.
                                    longestGapMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(now - lastAckNanos), Math::max);
                                }
                            }
                            lastAckNanos = now;
                        }
                        return stop || m.reconnects.get() > 0;
                    });
                    m.drain();
                    acknowledged.addAll(m.acknowledged);
                    refused.addAndGet(m.refused.get() - m.unanswered.get());
                    unanswered.addAndGet(m.unanswered.get());
                } catch (Exception e) {
                    sleep(100);
                }
                counter += 1L << 32;
            }
        }

        static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void drainAndKillNineBehindHaproxyLoseNoShare(@TempDir Path dir) throws Exception {
        Path haproxy = haproxy();
        // About one share in 500 is a block: a new tip every couple of seconds, found through every process.
        try (TestPostgres pg = TestPostgres.start();
             DemoNode node = DemoNode.start(DemoChain.builder().networkDifficulty(Difficulty.of("0.000005")).build(),
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "demo", "cluster", Duration.ofSeconds(20))) {
            pg.createDatabase("cluster");
            String url = pg.url("cluster");
            int[] ports = new int[POOLS];
            int[] stats = new int[POOLS];
            Process[] pools = new Process[POOLS];
            StringBuilder servers = new StringBuilder();
            for (int i = 0; i < POOLS; i++) {
                ports[i] = TestPools.freePort();
                stats[i] = TestPools.freePort();
                servers.append("    server pool").append(i).append(" 127.0.0.1:").append(ports[i]).append(" check port ")
                        .append(stats[i]).append('\n');
            }
            int front = TestPools.freePort();
            String config = Files.readString(Path.of("..", "deploy", "cluster", "haproxy.cfg.in"))
                    .replace("@FRONT@", "127.0.0.1:" + front).replace("@SERVERS@", servers.toString());
            Files.writeString(dir.resolve("haproxy.cfg"), config);
            Process balancer = null;
            List<Miner> miners = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            try {
                for (int i = 0; i < POOLS; i++) {
                    pools[i] = startPool(dir, url, node, i, ports[i], stats[i]);
                }
                for (int i = 0; i < POOLS; i++) {
                    TestPools.awaitListening(pools[i], ports[i]);
                }
                balancer = new ProcessBuilder(haproxy.toString(), "-f", dir.resolve("haproxy.cfg").toString(), "-db")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
                try {
                    TestPools.awaitListening(balancer, front);
                } catch (AssertionError e) {
                    throw new AssertionError("HAProxy: " + e.getMessage() + "; it said: " + Files.readString(dir.resolve("haproxy.log")), e);
                }
                Thread.sleep(1_500); // two health checks: every process up

                for (int i = 0; i < 6; i++) {
                    Miner m = new Miner(front, PoolMain.DEMO_ADDRESS + ".rig" + i, (long) i << 48);
                    miners.add(m);
                    Thread t = new Thread(m, "miner-" + i);
                    t.start();
                    threads.add(t);
                }
                awaitShares(miners, 100);

                // Every process follows the node: each new tip reaches every miner, whichever process found it.
                long slowestMillis = 0;
                int followed = 0;
                Sha256Hash seen = node.chain().tip();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (followed < 5 && System.nanoTime() < until) {
                    Sha256Hash tip = node.chain().tip();
                    if (tip.equals(seen)) {
                        Thread.sleep(2);
                        continue;
                    }
                    seen = tip;
                    long t0 = System.nanoTime();
                    boolean all = false;
                    while (!all && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2) && node.chain().tip().equals(tip)) {
                        all = miners.stream().allMatch(m -> m.current != null && m.current.currentJob().prevHash().equals(tip)
                                && m.current.currentJob().cleanJobs());
                        Thread.sleep(1);
                    }
                    if (node.chain().tip().equals(tip)) {
                        assertThat(all).as("every miner on every process has a clean job on the new tip %s", tip).isTrue();
                        slowestMillis = Math.max(slowestMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                        followed++;
                    }
                }
                assertThat(followed).as("new tips that every miner followed").isEqualTo(5);
                System.out.printf("cluster: 5 new tips reached all miners on all processes, the slowest %d ms after the node had it%n",
                        slowestMillis);

                // Drain process 0: its miners are told to reconnect and land on the others; nothing is refused.
                pools[0].destroy();
                assertThat(pools[0].waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(pools[0].exitValue()).isZero();
                long afterDrain = total(miners);
                awaitShares(miners, afterDrain + 100);
                assertThat(miners.stream().mapToInt(m -> m.sessions.get()).sum()).as("some miners moved").isGreaterThan(6);

                // kill -9 process 1: its miners mine again on process 2 within 10 s.
                pools[1].destroyForcibly();
                assertThat(pools[1].waitFor(10, TimeUnit.SECONDS)).isTrue();
                long afterKill = total(miners);
                awaitShares(miners, afterKill + 200);
                for (Miner m : miners) {
                    assertThat(m.longestGapMillis.get()).as("%s without work", m.worker).isLessThan(10_000);
                }
                // Process 1 comes back on the same journal.
                pools[1] = startPool(dir, url, node, 1, ports[1], stats[1]);
                TestPools.awaitListening(pools[1], ports[1]);
                awaitShares(miners, total(miners) + 100);
            } finally {
                for (Miner m : miners) {
                    m.stop = true;
                }
                for (Thread t : threads) {
                    t.join(20_000);
                }
                for (Process p : pools) {
                    if (p != null && p.isAlive()) {
                        p.destroy(); // drain: the journal reaches the database
                        p.waitFor(30, TimeUnit.SECONDS);
                        p.destroyForcibly();
                    }
                }
                if (balancer != null) {
                    balancer.destroyForcibly();
                }
            }
            Set<String> acknowledged = new HashSet<>();
            for (Miner m : miners) {
                acknowledged.addAll(m.acknowledged);
                // Refused by a pool: none. Unanswered (in flight on the killed process's connections) is allowed: never
                // acknowledged, so nothing the miner was promised.
                assertThat(m.refused.get()).as("%s shares refused by a pool", m.worker).isZero();
            }
            Set<String> rows = new HashSet<>();
            try (Connection c = pg.connect("pool", "cluster"); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT job_id || '/' || extranonce2 || '/' || lpad(to_hex(nonce), 8, '0') FROM shares")) {
                while (r.next()) {
                    assertThat(rows.add(r.getString(1))).as("share %s is in the database once", r.getString(1)).isTrue();
                }
            }
            assertThat(rows).as("every acknowledged share in the database").containsAll(acknowledged);
            Set<Integer> finders = new HashSet<>();
            try (Connection c = pg.connect("pool", "cluster"); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT hash, instance_id FROM blocks WHERE status <> 'rejected'")) {
                while (r.next()) {
                    assertThat(node.chain().lookup(Sha256Hash.fromDisplayHex(r.getString(1)))).as("block %s is on the node",
                            r.getString(1)).isPresent();
                    finders.add(r.getInt(2));
                }
            }
            assertThat(finders).as("processes whose miners found blocks (each row says which)").hasSizeGreaterThanOrEqualTo(2);
            assertThat(acknowledged.size()).isGreaterThan(500);
            System.out.printf("cluster: %d shares acknowledged, all in the database (%d rows); sessions %d; longest time without an"
                    + " acknowledged share after a move %d ms; unanswered at the kill %d%n", acknowledged.size(), rows.size(),
                    miners.stream().mapToInt(m -> m.sessions.get()).sum(),
                    miners.stream().mapToLong(m -> m.longestGapMillis.get()).max().orElse(0),
                    miners.stream().mapToLong(m -> m.unanswered.get()).sum());
        }
    }

    static Process startPool(Path dir, String url, DemoNode node, int instance, int port, int stats) throws Exception {
        return new ProcessBuilder(TestPools.childCommand("--bind", "127.0.0.1", "--port", Integer.toString(port), "--stats-port",
                Integer.toString(stats), "--chain", "bitcoind", "--rpc-url", node.url().toString(), "--rpc-user", "demo", "--rpc-password",
                "cluster",
                "--mode", "pool", "--payout-address", PoolMain.DEMO_ADDRESS, "--payout-scheme", "pool-address",
                "--difficulty", ValidShareMiner.DIFFICULTY, "--vardiff", "off", "--vardiff-min", ValidShareMiner.DIFFICULTY,
                "--database", url, "--share-log", dir.resolve("journal-" + instance + ".jsonl").toString(), "--instance-id",
                Integer.toString(instance), "--proxy-protocol", "--drain-seconds", "2"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pool-" + instance + ".log")
                        .toFile())).start();
    }

    static long total(List<Miner> miners) {
        return miners.stream().mapToLong(m -> m.acknowledged.size()).sum();
    }

    static void awaitShares(List<Miner> miners, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (total(miners) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(total(miners)).as("acknowledged shares").isGreaterThanOrEqualTo(atLeast);
    }
}
