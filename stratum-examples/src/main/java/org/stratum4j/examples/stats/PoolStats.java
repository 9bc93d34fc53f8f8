package org.stratum4j.examples.stats;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.engine.ShareSink;

/**
 * Share statistics per worker (accepted count, difficulty-weighted hashrate over the last ten
 * minutes, last share) and, in pool mode, the PPLNS window; a {@link ShareSink} placed in front of
 * another (the share log), whose durability it keeps. Thread-safe: every event loop records here.
 */
public final class PoolStats implements ShareSink {

    /** The hashrate window. */
    static final int BUCKETS = 10;
    static final long BUCKET_SECONDS = 60;
    private static final double HASHES_PER_DIFFICULTY = 4294967296.0;

    /** One worker's figures. */
    public record WorkerStats(String worker, long accepted, double hashrate, Instant lastShare) {
    }

    private static final class Worker {
        final double[] buckets = new double[BUCKETS];
        final long[] bucketStart = new long[BUCKETS];
        long accepted;
        Instant lastShare;
    }

    private final Clock clock;
    private final ShareSink next;
    private final PplnsWindow pplns;
    private final Instant started;
    private final ConcurrentHashMap<String, Worker> workers = new ConcurrentHashMap<>();

    /**
     * Statistics in front of {@code next}; {@code pplns} is null when shares are not accounted
     * (solo mode).
     */
    public PoolStats(Clock clock, ShareSink next, PplnsWindow pplns) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.next = Objects.requireNonNull(next, "next");
        this.pplns = pplns;
        this.started = clock.instant();
    }

    @Override
    public boolean isDurable() {
        return next.isDurable();
    }

    @Override
    public CompletionStage<Void> record(ShareEvent e) {
        if (e.accepted() && e.worker() != null) {
            double d = e.difficulty().toDouble();
            long now = e.time().getEpochSecond();
            Worker w = workers.computeIfAbsent(e.worker(), k -> new Worker());
            synchronized (w) {
                long bucket = now / BUCKET_SECONDS;
                int i = (int) (bucket % BUCKETS);
                if (w.bucketStart[i] != bucket) {
                    w.bucketStart[i] = bucket;
                    w.buckets[i] = 0;
                }
                w.buckets[i] += d;
                w.accepted++;
                w.lastShare = e.time();
            }
            if (pplns != null) {
                pplns.add(e.worker(), d);
            }
        }
        return next.record(e);
    }

    /** Every worker seen, by name. */
    public Map<String, WorkerStats> workers() {
        long now = clock.instant().getEpochSecond();
        Map<String, WorkerStats> out = new TreeMap<>();
        workers.forEach((name, w) -> {
            synchronized (w) {
                out.put(name, new WorkerStats(name, w.accepted, hashrate(w, now), w.lastShare));
            }
        });
        return out;
    }

    /** Each worker's last accepted share. */
    public Map<String, Instant> lastShares() {
        Map<String, Instant> out = new java.util.HashMap<>();
        workers.forEach((name, w) -> {
            synchronized (w) {
                out.put(name, w.lastShare);
            }
        });
        return out;
    }

    /** Estimated pool hashrate (H/s) from the last ten minutes of accepted share difficulty. */
    public double hashrate() {
        long now = clock.instant().getEpochSecond();
        double sum = 0;
        for (Worker w : workers.values()) {
            synchronized (w) {
                sum += hashrate(w, now);
            }
        }
        return sum;
    }

    private double hashrate(Worker w, long nowSeconds) {
        long current = nowSeconds / BUCKET_SECONDS;
        double difficulty = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (current - w.bucketStart[i] < BUCKETS && w.bucketStart[i] <= current) {
                difficulty += w.buckets[i];
            }
        }
        // The window is ten minutes, or less while the pool is younger than that.
        double seconds = Math.min(BUCKETS * BUCKET_SECONDS, Math.max(1, nowSeconds - started.getEpochSecond()));
        return difficulty * HASHES_PER_DIFFICULTY / seconds;
    }

    /** The PPLNS window, or null in solo mode. */
    public PplnsWindow pplns() {
        return pplns;
    }

    /** When statistics started. */
    public Instant started() {
        return started;
    }
}
