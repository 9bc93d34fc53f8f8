package org.stratum4j.examples.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.StratumClient;

/**
 * An honest miner for tests: it finds real shares at a tiny difficulty (tens of hashes each) and
 * submits them with a bounded number in flight, remembering which were acknowledged, how many
 * were refused, and each answer's round trip. The pool must run at that difficulty.
 */
public final class ValidShareMiner implements AutoCloseable {

    /** The share difficulty the pool must hand out (vardiff off, this minimum). */
    public static final String DIFFICULTY = "0.00000001";

    private final ClientGroup group = ClientGroup.start(1);
    private final AtomicReference<Notify> job = new AtomicReference<>();
    private final StratumClient client;
    private final StratumClient.Subscription subscription;
    private final String worker;
    private final Semaphore inFlight;
    private final int window;
    private volatile boolean closed;

    /** Keys (job/extranonce2/nonce) of the shares the pool answered {@code true}. */
    public final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** Shares the pool answered with an error other than "job not found", and submits that failed with the connection. */
    public final AtomicLong refused = new AtomicLong();
    /** Of those, the submits that failed with the connection (no answer at all). */
    public final AtomicLong unanswered = new AtomicLong();
    /** Shares answered "job not found" (21): work in flight across a block change. */
    public final AtomicLong stale = new AtomicLong();
    /** {@code client.reconnect} messages received (a draining pool sends one). */
    public final AtomicLong reconnects = new AtomicLong();
    /** Round trips of answered submits, in microseconds. */
    public final ConcurrentLinkedQueue<Long> roundTrips = new ConcurrentLinkedQueue<>();

    /** Connects to the pool on loopback {@code port}, subscribes and authorizes {@code worker}, and waits for a job. */
    public ValidShareMiner(int port, String worker, int window) throws Exception {
        this.worker = worker;
        this.window = window;
        this.inFlight = new Semaphore(window);
        client = group.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), new StratumClient.Listener() {
            @Override
            public void onNotify(StratumClient c, Notify n) {
                job.set(n);
            }

            @Override
            public void onReconnect(StratumClient c, org.stratum4j.core.protocol.Reconnect r) {
                reconnects.incrementAndGet();
            }

            @Override
            public void onClosed(StratumClient c, String reason) {
                closed = true;
            }
        }).get(10, TimeUnit.SECONDS);
        subscription = client.subscribe("valid-share-miner/1").get(10, TimeUnit.SECONDS);
        if (!client.authorize(worker, "x").get(10, TimeUnit.SECONDS).isTrue()) {
            throw new IllegalStateException("the pool refused " + worker);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (job.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (job.get() == null) {
            throw new IllegalStateException("no job within 10 s");
        }
    }

    /** The last job the pool sent. */
    public Notify currentJob() {
        return job.get();
    }

    /** Whether the pool closed the connection. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Submits shares until {@code until} says stop or the connection closes, at most {@code perSecond}
     * a second (0: as fast as answers come); extranonce2 counts up from {@code first}.
     */
    public int mine(long first, int perSecond, BooleanSupplier until) throws InterruptedException {
        Target target = Difficulty.of(DIFFICULTY).toTarget();
        byte[] en1 = subscription.extranonce1();
        int sent = 0;
        long start = System.nanoTime();
        for (long counter = first; !closed && !until.getAsBoolean(); counter++) {
            if (perSecond > 0) {
                long due = start + sent * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
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
            long sentAt = System.nanoTime();
            client.submit(worker, n.jobId(), en2, n.ntime(), (int) nonce).whenComplete((r, e) -> {
                if (r != null) {
                    roundTrips.add((System.nanoTime() - sentAt) / 1000);
                }
                if (r != null && r.isTrue()) {
                    acknowledged.add(key);
                } else if (r != null && r.error() != null && r.error().code() == 21) {
                    stale.incrementAndGet();
                } else {
                    if (r == null) {
                        unanswered.incrementAndGet();
                    }
                    refused.incrementAndGet();
                }
                inFlight.release();
            });
            sent++;
        }
        return sent;
    }

    /**
     * One share on the current job with extranonce2 {@code counter}: the first nonce that meets the
     * difficulty ({@code valid}) or the first that does not; answers the pool's response.
     */
    public Response submitOne(long counter, boolean valid) throws Exception {
        Target target = Difficulty.of(DIFFICULTY).toTarget();
        Notify n = job.get();
        byte[] en1 = subscription.extranonce1();
        Job j = Job.fromNotify(n, en1.length, subscription.extranonce2Size(), Instant.now());
        byte[] en2 = new byte[subscription.extranonce2Size()];
        for (int i = 0; i < en2.length && i < 8; i++) {
            en2[en2.length - 1 - i] = (byte) (counter >>> (8 * i));
        }
        long nonce = 0;
        while (target.isMetBy(j.header(en1, en2, n.version(), n.ntime(), nonce).hash()) != valid) {
            nonce++;
        }
        return client.submit(worker, n.jobId(), en2, n.ntime(), (int) nonce).get(10, TimeUnit.SECONDS);
    }

    /** A share on a job id the pool never sent: answered 21. */
    public Response submitUnknownJob() throws Exception {
        return client.submit(worker, "feedface", new byte[subscription.extranonce2Size()], job.get().ntime(), 0).get(10, TimeUnit.SECONDS);
    }

    /**
     * Mines as fast as answers come and kills {@code pool} with SIGKILL (no shutdown hook, no flush)
     * once {@code count} shares are acknowledged, or after 60 s: a crash with shares in flight.
     */
    public void mineUntilKilled(Process pool, int count) throws InterruptedException {
        Thread killer = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < count && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            pool.destroyForcibly();
        });
        killer.start();
        mine(0, 0, () -> false);
        killer.join();
    }

    /** Waits (up to 10 s) until no submit is in flight. */
    public void drain() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inFlight.availablePermits() < window && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        group.close();
    }
}
