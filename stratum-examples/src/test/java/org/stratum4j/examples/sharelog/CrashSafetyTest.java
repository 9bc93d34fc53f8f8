package org.stratum4j.examples.sharelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.StratumClient;

/**
 * Crash safety: the pool runs as a child JVM with a share log, a miner submits valid shares as
 * fast as the pool takes them, and the pool is killed with SIGKILL in the middle. Every share the
 * miner heard {@code true} for must be in the log, and a new pool must start on the same log.
 */
class CrashSafetyTest {

    private static final String DIFFICULTY = "0.00000001";

    static Process startPool(int port, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), PoolMain.class.getName(), "--bind", "127.0.0.1", "--port",
                Integer.toString(port), "--mode", "pool", "--payout-address", PoolMain.DEMO_ADDRESS, "--share-log", log.toString(),
                "--difficulty", DIFFICULTY, "--vardiff", "off", "--vardiff-min", DIFFICULTY));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void awaitListening(Process pool, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!pool.isAlive()) {
                throw new AssertionError("the pool exited with status " + pool.exitValue());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                if (s.isConnected()) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the pool did not listen on " + port + " within 30 s");
    }

    /** A miner submitting valid shares with up to 64 in flight; it stops when the connection ends. */
    static final class Miner implements AutoCloseable {
        final ClientGroup group = ClientGroup.start(1);
        final AtomicReference<Notify> job = new AtomicReference<>();
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final StratumClient client;
        final StratumClient.Subscription subscription;
        final Semaphore inFlight = new Semaphore(64);
        volatile boolean closed;

        Miner(int port) throws Exception {
            client = group.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), new StratumClient.Listener() {
                @Override
                public void onNotify(StratumClient c, Notify n) {
                    job.set(n);
                }

                @Override
                public void onClosed(StratumClient c, String reason) {
                    closed = true;
                }
            }).get(10, TimeUnit.SECONDS);
            subscription = client.subscribe("crash-test/1").get(10, TimeUnit.SECONDS);
            assertThat(client.authorize("crash.rig", "x").get(10, TimeUnit.SECONDS).isTrue()).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (job.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(job.get()).as("a job").isNotNull();
        }

        /** Submits until {@code until} returns true or the connection closes; returns shares sent. */
        int mine(long firstExtranonce2, java.util.function.BooleanSupplier until) throws InterruptedException {
            Target target = Difficulty.of(DIFFICULTY).toTarget();
            byte[] en1 = subscription.extranonce1();
            int sent = 0;
            for (long counter = firstExtranonce2; !closed && !until.getAsBoolean(); counter++) {
                Notify n = job.get();
                Job j = Job.fromNotify(n, en1.length, subscription.extranonce2Size(), Instant.now());
                byte[] en2 = new byte[subscription.extranonce2Size()];
                for (int i = 0; i < en2.length && i < 8; i++) {
                    en2[en2.length - 1 - i] = (byte) (counter >>> (8 * i));
                }
                long nonce = 0;
                while (!target.isMetBy(j.header(en1, en2, n.version(), n.ntime(), nonce).hash())) {
                    nonce++;
                }
                if (!inFlight.tryAcquire(5, TimeUnit.SECONDS)) {
                    break;
                }
                String key = n.jobId() + "/" + Hex.encode(en2) + "/" + String.format("%08x", nonce);
                client.submit("crash.rig", n.jobId(), en2, n.ntime(), (int) nonce).whenComplete((r, e) -> {
                    if (r != null && r.isTrue()) {
                        acknowledged.add(key);
                    }
                    inFlight.release();
                });
                sent++;
            }
            return sent;
        }

        @Override
        public void close() {
            group.close();
        }
    }

    @Test
    void everyShareThatGotTrueIsInTheLogAfterSigkillAndThePoolRestartsOnTheSameLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("shares.jsonl");
        int port = freePort();
        Process pool = startPool(port, log);
        Set<String> acknowledged;
        try {
            awaitListening(pool, port);
            try (Miner miner = new Miner(port)) {
                // Kill the pool mid-stream, with shares in flight, once a good number has been acknowledged.
                Thread killer = new Thread(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (miner.acknowledged.size() < 1500 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    pool.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                });
                killer.start();
                miner.mine(0, () -> false);
                killer.join();
                assertThat(pool.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(pool.exitValue()).as("killed by SIGKILL").isEqualTo(137);
                acknowledged = new HashSet<>(miner.acknowledged);
            }
        } finally {
            pool.destroyForcibly();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(1500);

        List<LoggedShare> logged = new ArrayList<>();
        ShareLog.read(log, logged::add);
        Set<String> inLog = new HashSet<>();
        for (LoggedShare s : logged) {
            inLog.add(s.job() + "/" + s.extranonce2() + "/" + s.nonce());
        }
        assertThat(inLog).as("every acknowledged share is in the log").containsAll(acknowledged);

        // A new pool starts on the same log, appends after what is there, and the log reads back whole.
        int again = freePort();
        Process restarted = startPool(again, log);
        try {
            awaitListening(restarted, again);
            try (Miner miner = new Miner(again)) {
                miner.mine(1L << 40, () -> miner.acknowledged.size() >= 20);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (miner.inFlight.availablePermits() < 64 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                List<LoggedShare> after = new ArrayList<>();
                ShareLog.read(log, after::add);
                Set<String> keys = new HashSet<>();
                for (LoggedShare s : after) {
                    keys.add(s.job() + "/" + s.extranonce2() + "/" + s.nonce());
                }
                assertThat(keys).containsAll(inLog).containsAll(miner.acknowledged);
            }
        } finally {
            restarted.destroy();
            restarted.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
