package org.stratum4j.examples.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.examples.miner.PoolUrl;
import org.stratum4j.transport.nio.ClientGroup;

/**
 * Which upstream pool the proxy mines on: the first of an ordered list (primary, then backups)
 * that is ready; the next one when it closes, fails to set up, or says nothing for the silence
 * timeout (it is asked something at half of it, see {@link Upstream#probe()}); and back to the
 * primary once a trial session with it has been ready for {@code returnAfter}. Each job of the
 * session in use goes to the miners under the proxy's own id ({@link #work} maps it back), the
 * first one after a change of session marked clean, so miners drop work for the old pool at once.
 * The old session stays open a few seconds after a change so that shares already forwarded to it
 * get their answers.
 *
 * <p>All decisions run on one thread ({@code proxy-upstream}), which is also the thread that
 * publishes jobs to the engine, each with the version-rolling mask its session allows.
 */
final class UpstreamSwitch implements Upstream.Events, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamSwitch.class);
    /** Jobs remembered for forwarding; as many as the engine's job book keeps by default. */
    static final int MAX_JOBS = 4096;
    /** How long a replaced session stays open for the answers to shares already forwarded to it. */
    static final Duration REPLACED_GRACE = Duration.ofSeconds(10);
    private static final Duration TICK = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final List<PoolUrl> urls;
    private final Upstream.Settings settings;
    private final Duration silence;
    private final Duration returnAfter;
    private final ClientGroup group;
    private final Clock clock;
    private final BiConsumer<Job, Integer> publish;
    private final ScheduledExecutorService thread;
    private final ConcurrentHashMap<String, Upstream.Work> jobs = new ConcurrentHashMap<>();
    private final AtomicLong jobIds = new AtomicLong();
    private final AtomicLong switches = new AtomicLong();

    // Only on the switch thread:
    private final ArrayDeque<String> jobOrder = new ArrayDeque<>();
    private Upstream active;
    private int activeIndex = -1;
    private Upstream attempt;
    private int attemptIndex;
    private int failedRounds;
    private Instant nextAttemptAt = Instant.EPOCH;
    private Upstream trial;
    private Instant nextTrialAt = Instant.EPOCH;
    private int sessions;
    private boolean everUsed;

    private volatile Upstream current;
    private volatile Instant currentSince;

    UpstreamSwitch(List<PoolUrl> urls, Upstream.Settings settings, Duration silence, Duration returnAfter, ClientGroup group, Clock clock,
                   BiConsumer<Job, Integer> publish) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("the proxy needs at least one upstream pool");
        }
        this.urls = List.copyOf(urls);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.silence = silence;
        this.returnAfter = returnAfter;
        this.group = group;
        this.clock = clock;
        this.publish = publish;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proxy-upstream");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts connecting to the primary. */
    void start() {
        thread.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ switch thread

    private void tick() {
        try {
            Instant now = clock.instant();
            if (active == null && attempt == null && !now.isBefore(nextAttemptAt)) {
                int index = attemptIndex;
                attempt = open(index);
                Upstream trying = attempt;
                trying.start(group).whenComplete((u, e) -> onThread(() -> attempted(trying, index, e)));
            }
            if (active != null) {
                keepAlive(active, now);
            }
            if (trial != null) {
                keepAlive(trial, now);
            }
            if (active != null && activeIndex > 0) {
                tryPrimary(now);
            }
        } catch (RuntimeException e) {
            LOG.error("upstream switch: {}", e.toString(), e);
        }
    }

    /** Closes a session silent for the whole timeout, after asking it something at half of it. */
    private void keepAlive(Upstream u, Instant now) {
        Duration quiet = Duration.between(u.lastHeard(), now);
        if (quiet.compareTo(silence) > 0) {
            u.close("silent for " + silence.toSeconds() + " s");
        } else if (quiet.compareTo(silence.dividedBy(2)) > 0) {
            u.probe();
        }
    }

    private boolean silent(Upstream u, Instant now) {
        return Duration.between(u.lastHeard(), now).compareTo(silence) > 0;
    }

    private Upstream open(int index) {
        return Upstream.of(urls.get(index), ++sessions, settings, clock, this);
    }

    private void attempted(Upstream u, int index, Throwable failure) {
        if (u != attempt) {
            return;
        }
        attempt = null;
        if (failure == null && u.isOpen()) {
            failedRounds = 0;
            use(u, index);
            return;
        }
        LOG.warn("upstream {} unavailable: {}", u.url(), failure == null ? "closed" : Upstream.rootMessage(failure));
        attemptIndex = (index + 1) % urls.size();
        if (attemptIndex == 0) {
            // Every pool failed once: wait before the next round, longer each time (1, 2, 4 … 30 s).
            failedRounds++;
            long seconds = Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(5, failedRounds - 1));
            nextAttemptAt = clock.instant().plusSeconds(seconds);
        }
    }

    private void tryPrimary(Instant now) {
        if (trial == null) {
            if (!now.isBefore(nextTrialAt)) {
                trial = open(0);
                Upstream trying = trial;
                trying.start(group).whenComplete((u, e) -> onThread(() -> {
                    if (e != null && trying == trial) {
                        trial = null;
                        nextTrialAt = clock.instant().plus(returnAfter);
                    }
                }));
            }
            return;
        }
        Instant since = trial.readySince();
        if (since != null && trial.isOpen() && !silent(trial, now) && Duration.between(since, now).compareTo(returnAfter) >= 0) {
            Upstream back = trial;
            trial = null;
            LOG.info("primary upstream {} has been healthy for {} s: moving back to it", back.url(), returnAfter.toSeconds());
            use(back, 0);
        }
    }

    private void use(Upstream u, int index) {
        Upstream old = active;
        active = u;
        activeIndex = index;
        current = u;
        currentSince = clock.instant();
        if (everUsed) {
            switches.incrementAndGet();
        }
        everUsed = true;
        if (old != null) {
            thread.schedule(() -> old.close("the proxy moved to " + u.url()), REPLACED_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (trial != null && index == 0) {
            trial.close("not needed");
            trial = null;
        }
        nextTrialAt = clock.instant().plus(returnAfter);
        LOG.info("mining on upstream {}{}", u.url(), index == 0 ? "" : " (backup " + index + ")");
        Upstream.Work w = u.latest();
        if (w != null) {
            announce(w, true);
        }
    }

    private void announce(Upstream.Work w, boolean forceClean) {
        Notify n = w.upstreamJob();
        if (forceClean && !n.cleanJobs()) {
            n = new Notify(n.jobId(), n.prevHash(), n.coinb1(), n.coinb2(), n.merkleBranch(), n.version(), n.nbits(), n.ntime(), true);
        }
        String id = Long.toHexString(jobIds.incrementAndGet());
        Job job;
        try {
            job = w.split().minerJob(id, n, clock.instant());
        } catch (IllegalArgumentException e) {
            w.session().close("it sent a job that cannot be mined: " + e.getMessage());
            return;
        }
        jobs.put(id, w);
        jobOrder.add(id);
        while (jobOrder.size() > MAX_JOBS) {
            jobs.remove(jobOrder.poll());
        }
        publish.accept(job, w.session().versionMask());
    }

    @Override
    public void job(Upstream session, Upstream.Work work) {
        onThread(() -> {
            if (session == active) {
                announce(work, false);
            }
        });
    }

    @Override
    public void closed(Upstream session, String reason) {
        onThread(() -> {
            if (session == active) {
                LOG.warn("lost upstream {}: {}", session.url(), reason);
                active = null;
                current = null;
                attemptIndex = (activeIndex + 1) % urls.size();
                nextAttemptAt = clock.instant();
            } else if (session == trial) {
                trial = null;
                nextTrialAt = clock.instant().plus(returnAfter);
            }
        });
    }

    /** Runs on the switch thread, unless the proxy is stopping (then there is nothing left to decide). */
    private void onThread(Runnable r) {
        try {
            thread.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // closed: sessions report their end while close() shuts them down
        }
    }

    // ------------------------------------------------------------------ any thread

    /** The upstream job behind a job id the proxy gave its miners, or null when not (or no longer) known. */
    Upstream.Work work(String minerJobId) {
        return minerJobId == null ? null : jobs.get(minerJobId);
    }

    /** The session the proxy mines on, or null while it has none. */
    Upstream current() {
        return current;
    }

    /** Since when {@link #current()} has been in use. */
    Instant currentSince() {
        return currentSince;
    }

    /** Changes of upstream session since the first (failovers and returns to the primary). */
    long switches() {
        return switches.get();
    }

    /** The pools, in order of preference. */
    List<PoolUrl> urls() {
        return urls;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Upstream u : new Upstream[] {active, attempt, trial}) {
            if (u != null) {
                u.close("the proxy is stopping");
            }
        }
    }
}
