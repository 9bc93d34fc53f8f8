package org.stratum4j.core.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * The jobs a share may be submitted on: the current ones and recent ones, bounded by count and by
 * age. Share validation looks a job up by id; a job that was never issued, has expired, was evicted
 * or builds on a replaced tip is not found, which the engine answers with error 21 ("job not
 * found", the stale-share answer).
 *
 * <p>When a job on a new tip arrives, every job on the old tip is dropped at once: work on a
 * block that is no longer the tip can never become a block, so it is stale. Otherwise the oldest
 * jobs go first once there are more than {@code maxJobs}, and any job older than {@code maxAge}
 * is not found even before it is swept.
 *
 * <p>Thread-safe: lookups (from any event loop) are lock-free reads of a concurrent map; adds are
 * serialized.
 */
public final class JobBook {

    /** Default bound on the number of jobs kept. */
    public static final int DEFAULT_MAX_JOBS = 4096;
    /** Default bound on a job's age. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

    private final Clock clock;
    private final int maxJobs;
    private final Duration maxAge;
    private final ConcurrentHashMap<String, Job> byId = new ConcurrentHashMap<>();
    private final ArrayDeque<Job> order = new ArrayDeque<>();
    private final Consumer<Job> onEvicted;
    private volatile Job latest;

    private JobBook(Builder b) {
        this.clock = b.clock;
        this.maxJobs = b.maxJobs;
        this.maxAge = b.maxAge;
        this.onEvicted = b.onEvicted;
    }

    /** A builder; the clock is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds a job. A job on a different tip than the latest one drops every job on other tips;
     * then expired jobs and the oldest beyond {@code maxJobs} are dropped.
     *
     * @throws IllegalArgumentException if a job with the same id is already held
     */
    public synchronized void add(Job job) {
        Objects.requireNonNull(job, "job");
        if (byId.putIfAbsent(job.id(), job) != null) {
            throw new IllegalArgumentException("job id " + job.id() + " is already in the job book");
        }
        Job previous = latest;
        order.addLast(job);
        latest = job;
        if (previous != null && !previous.previousBlockHash().equals(job.previousBlockHash())) {
            dropOtherTips(job.previousBlockHash());
        }
        sweep(clock.instant());
        while (order.size() > maxJobs) {
            evict(order.removeFirst());
        }
    }

    /** Drops expired jobs now (adds do this too); an engine may call it from its timer. */
    public synchronized void sweep() {
        sweep(clock.instant());
    }

    private void sweep(Instant now) {
        while (!order.isEmpty() && expired(order.peekFirst(), now)) {
            evict(order.removeFirst());
        }
    }

    private void dropOtherTips(Sha256Hash tip) {
        for (Iterator<Job> it = order.iterator(); it.hasNext(); ) {
            Job j = it.next();
            if (!j.previousBlockHash().equals(tip)) {
                it.remove();
                evict(j);
            }
        }
    }

    private void evict(Job job) {
        byId.remove(job.id());
        onEvicted.accept(job);
    }

    private boolean expired(Job job, Instant now) {
        return Duration.between(job.createdAt(), now).compareTo(maxAge) > 0;
    }

    /**
     * The job with this id if a share may still be submitted on it, else {@code null} (never
     * issued, expired, evicted, or on a replaced tip).
     */
    public Job find(String jobId) {
        if (jobId == null) {
            return null;
        }
        Job job = byId.get(jobId);
        if (job == null || expired(job, clock.instant())) {
            return null;
        }
        return job;
    }

    /** The most recently added job, or {@code null} before the first. */
    public Job latest() {
        return latest;
    }

    /** How many jobs are held (expired ones not yet swept included). */
    public int size() {
        return byId.size();
    }

    /** The configured bound on the number of jobs. */
    public int maxJobs() {
        return maxJobs;
    }

    /** The configured bound on a job's age. */
    public Duration maxAge() {
        return maxAge;
    }

    /** Settings for a {@link JobBook}, checked when built. */
    public static final class Builder {
        private Clock clock;
        private int maxJobs = DEFAULT_MAX_JOBS;
        private Duration maxAge = DEFAULT_MAX_AGE;
        private Consumer<Job> onEvicted = job -> { };

        private Builder() {
        }

        /**
         * Called (under the book's lock, on the thread that adds or sweeps) for every job that
         * leaves the book, so that state kept per job elsewhere (duplicate filters) goes with it.
         */
        public Builder onEvicted(Consumer<Job> listener) {
            this.onEvicted = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The clock that ages jobs (required; the same clock as the {@link JobFactory}'s). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Most jobs kept (1..1,000,000, default 4096). In solo mode every payout address has its own job per template. */
        public Builder maxJobs(int maxJobs) {
            if (maxJobs < 1 || maxJobs > 1_000_000) {
                throw new IllegalArgumentException("maxJobs " + maxJobs + " is outside 1..1000000");
            }
            this.maxJobs = maxJobs;
            return this;
        }

        /**
         * Longest a job stays valid after it was made (1 second to 1 hour, default 5 minutes).
         * Shares in flight after a job is replaced must still find it, so keep this well above a
         * miner's round trip and the template refresh interval.
         */
        public Builder maxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.compareTo(Duration.ofSeconds(1)) < 0 || maxAge.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("maxAge " + maxAge + " is outside 1 second..1 hour");
            }
            this.maxAge = maxAge;
            return this;
        }

        /** The job book. */
        public JobBook build() {
            if (clock == null) {
                throw new IllegalArgumentException("JobBook needs a clock");
            }
            return new JobBook(this);
        }
    }
}
