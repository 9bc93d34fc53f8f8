package org.stratum4j.examples.miner;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Sha256Hasher;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.ClientTls;
import org.stratum4j.transport.nio.StratumClient;

/**
 * A CPU miner: one Stratum connection, N hashing threads. Each thread takes its own extranonce2
 * range (its index in the first two bytes), hashes the 80-byte header with the nonce rolled in
 * place, and submits every hash that meets the share target. When the threads move to new work is
 * the {@link WorkSwitch}: at once (the default), or as cpuminer does, which is how a pool is tested
 * against miners that finish old work. Slow next to any ASIC, and meant for demos and tests.
 */
public final class CpuMiner extends MinerBase {

    private static final Logger LOG = LoggerFactory.getLogger(CpuMiner.class);
    /** cpuminer's LP_SCANTIME: the longest a thread scans one piece of Stratum work. */
    private static final long CPUMINER_SCAN_NANOS = 60_000_000_000L;

    /** When the hashing threads leave their current work. */
    public enum WorkSwitch {
        /** On every notify, and a new difficulty applies to the current job at once. */
        IMMEDIATE,
        /**
         * As cpuminer 2.5.1: a new difficulty applies from the next notify on; each thread keeps its
         * work (job id and target) until it finds a share or has scanned it for 60 s, then takes the
         * newest only if its header differs (the same work under a new id leaves the thread on the
         * old job and target); a notify with {@code clean_jobs} restarts every thread at once.
         */
        CPUMINER
    }

    /** One piece of work, replaced whole on every notify (and, when switching at once, on every difficulty change). */
    private record Work(Job job, byte[] extranonce1, int extranonce2Size, Difficulty difficulty, Target target, long generation,
                        byte[] header76) {
        /** Whether {@code other} is the same work (cpuminer's memcmp of the first 76 header bytes, extranonce2 zero). */
        boolean sameWork(Work other) {
            return java.util.Arrays.equals(header76, other.header76);
        }
    }

    private final ClientTls tls;
    private final String password;
    private final WorkSwitch workSwitch;
    private final AtomicLong generations = new AtomicLong();
    private final AtomicLong difficultyChanges = new AtomicLong();
    private final AtomicLong acceptedAtAnEarlierDifficulty = new AtomicLong();
    private final Object workChanged = new Object();
    private StratumClient client;
    private volatile Work work;
    /** Bumped by a clean notify: with {@link WorkSwitch#CPUMINER}, every thread restarts. */
    private volatile long restarts;
    private volatile Difficulty difficulty = Difficulty.ONE;
    private volatile Notify lastNotify;
    private volatile StratumClient.Subscription subscription;

    /**
     * A miner for {@code pool} (over TLS when {@code tls} is not null) as {@code user}, hashing on
     * {@code threads} threads (1..256).
     */
    public CpuMiner(InetSocketAddress pool, ClientTls tls, String user, String password, int threads) {
        this(pool, tls, user, password, threads, WorkSwitch.IMMEDIATE);
    }

    /** As above, leaving old work as {@code workSwitch} says. */
    public CpuMiner(InetSocketAddress pool, ClientTls tls, String user, String password, int threads, WorkSwitch workSwitch) {
        super(pool, user, threads);
        this.workSwitch = Objects.requireNonNull(workSwitch, "workSwitch");
        this.tls = tls;
        this.password = password == null ? "x" : password;
    }

    /**
     * Connects, subscribes and authorizes, then starts hashing.
     *
     * @throws Exception when the pool cannot be reached or refuses the user (the message says why)
     */
    @Override
    public void start() throws Exception {
        group = ClientGroup.start(1);
        client = group.connect(pool, tls, new StratumClient.Listener() {
            @Override
            public void onNotify(StratumClient c, Notify notify) {
                lastNotify = notify;
                newWork();
                if (notify.cleanJobs()) {
                    restarts++;
                }
            }

            @Override
            public void onSetDifficulty(StratumClient c, Difficulty d) {
                difficulty = d;
                difficultyChanges.incrementAndGet();
                if (workSwitch == WorkSwitch.IMMEDIATE) {
                    newWork();
                }
            }

            @Override
            public void onClosed(StratumClient c, String reason) {
                connectionClosed(reason, LOG);
            }
        }).get(30, TimeUnit.SECONDS);
        subscription = client.subscribe("stratum4j-cpuminer/0.1").get(30, TimeUnit.SECONDS);
        newWork();
        Response auth = client.authorize(user, password).get(30, TimeUnit.SECONDS);
        if (!auth.isTrue()) {
            close();
            throw new IllegalStateException("the pool refused user " + user + ": "
                    + (auth.error() == null ? "false" : auth.error().message()));
        }
        startThreads("cpuminer", this::hashLoop);
    }

    private void newWork() {
        Notify n = lastNotify;
        StratumClient.Subscription sub = subscription;
        if (n == null || sub == null) {
            return;
        }
        byte[] en1 = sub.extranonce1();
        Job job = Job.fromNotify(n, en1.length, sub.extranonce2Size(), Instant.now());
        Difficulty d = difficulty;
        byte[] header76 = java.util.Arrays.copyOf(job.header(en1, new byte[sub.extranonce2Size()], job.version(), job.ntime(), 0)
                .serialize(), 76);
        work = new Work(job, en1, sub.extranonce2Size(), d, d.toTarget(), generations.incrementAndGet(), header76);
        synchronized (workChanged) {
            workChanged.notifyAll();
        }
    }

    private void hashLoop(int index) {
        Sha256Hasher hasher = new Sha256Hasher();
        byte[] hash = new byte[32];
        long counter = 0;
        while (running) {
            Work w = work;
            if (w == null) {
                synchronized (workChanged) {
                    try {
                        workChanged.wait(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            byte[] en2 = new byte[w.extranonce2Size()];
            long range = counter++;
            en2[0] = (byte) (index >> 8);
            en2[1] = (byte) index;
            for (int i = 2; i < en2.length; i++) {
                en2[i] = (byte) (range >>> (8 * (i - 2)));
            }
            Job job = w.job();
            byte[] header = job.header(w.extranonce1(), en2, job.version(), job.ntime(), 0).serialize();
            boolean lazy = workSwitch == WorkSwitch.CPUMINER;
            long restartsAtStart = restarts;
            long scanStart = System.nanoTime();
            long done = 0;
            for (long nonce = 0; nonce <= 0xffffffffL && running; nonce++) {
                LittleEndian.writeInt32(header, 76, (int) nonce);
                hasher.sha256d(header, 0, 80, hash, 0);
                if (w.target().isMetBy(hash, 0)) {
                    submit(w, en2, (int) nonce);
                    if (lazy && !work.sameWork(w)) {
                        break;
                    }
                }
                if ((++done & 0xffff) == 0) {
                    hashes.add(0x10000);
                    if (lazy ? restarts != restartsAtStart || System.nanoTime() - scanStart > CPUMINER_SCAN_NANOS : work != w) {
                        break;
                    }
                }
            }
        }
    }

    private void submit(Work w, byte[] en2, int nonce) {
        Job job = w.job();
        boolean earlierDifficulty = !w.difficulty().equals(difficulty);
        client.submit(user, job.id(), en2, (int) job.ntime(), nonce).whenComplete((r, e) -> {
            if (e == null && r.isTrue()) {
                accepted.incrementAndGet();
                if (earlierDifficulty) {
                    acceptedAtAnEarlierDifficulty.incrementAndGet();
                }
            } else {
                rejected.incrementAndGet();
                LOG.debug("share rejected: {}", e != null ? e.getMessage() : r.error());
            }
        });
    }


    /** {@code mining.set_difficulty} messages received. */
    public long difficultyChanges() {
        return difficultyChanges.get();
    }

    /** Accepted shares on work that came with an earlier difficulty than the latest one received. */
    public long acceptedAtAnEarlierDifficulty() {
        return acceptedAtAnEarlierDifficulty.get();
    }

    /** The current share difficulty. */
    @Override
    public Difficulty difficulty() {
        return difficulty;
    }

    @Override
    void disconnect() {
        if (client != null) {
            client.close();
        }
    }
}
