package org.stratum4j.core.job;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * Turns templates into {@link Job}s: builds the coinbase, picks the id and decides
 * {@code clean_jobs}.
 *
 * <p><b>Ids</b> are the lowercase hex of a counter that starts at the clock's microseconds since
 * the epoch and then takes {@code max(previous + 1, now in microseconds)}. They never repeat within
 * a process, and a restarted process starts above every id its predecessor gave, unless the
 * predecessor issued more than a million jobs per second on average or the clock went back.
 * Miners echo the id in every submit, so it stays short (13 digits until the year 2112).
 *
 * <p><b>{@code clean_jobs}</b> is true for every job on a template whose previous block hash
 * differs from the previous template's (and for the very first template), false otherwise: a new
 * set of transactions does not make earlier work worthless, a new tip does.
 *
 * <p>Thread-safe.
 */
public final class JobFactory {

    private final Clock clock;
    private final CoinbaseBuilder coinbaseBuilder;
    private final String idSuffix;
    private long lastId;
    private BlockTemplate currentTemplate;
    private boolean currentClean;
    private Sha256Hash currentTip;

    /** A factory that reads time from {@code clock} and builds coinbases with {@code coinbaseBuilder}. */
    public JobFactory(Clock clock, CoinbaseBuilder coinbaseBuilder) {
        this(clock, coinbaseBuilder, -1);
    }

    /**
     * As above, for pool process {@code instanceId} (0..255) of several serving the same miners:
     * its job ids end with the instance's two hex digits, so no two processes ever issue the same
     * id. {@code -1}: ids without an instance.
     */
    public JobFactory(Clock clock, CoinbaseBuilder coinbaseBuilder, int instanceId) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.coinbaseBuilder = Objects.requireNonNull(coinbaseBuilder, "coinbaseBuilder");
        if (instanceId < -1 || instanceId > 255) {
            throw new IllegalArgumentException("instance id " + instanceId + " is outside 0..255 (or -1 for none)");
        }
        this.idSuffix = instanceId < 0 ? "" : String.format("%02x", instanceId);
    }

    /** The coinbase builder in use. */
    public CoinbaseBuilder coinbaseBuilder() {
        return coinbaseBuilder;
    }

    /**
     * A job on {@code template} paying {@code payouts}. Several jobs may be made from one template
     * (one per payout script, say); they share its merkle branch and its {@code clean_jobs} flag.
     *
     * @throws IllegalArgumentException when the coinbase cannot be built (see {@link CoinbaseBuilder#build})
     */
    public Job create(BlockTemplate template, List<CoinbaseOutput> payouts) {
        Objects.requireNonNull(template, "template");
        Coinbase coinbase = coinbaseBuilder.build(template, payouts);
        Instant now = clock.instant();
        long ntime = Math.max(template.curTime(), template.minTime());
        String id;
        boolean clean;
        synchronized (this) {
            if (template != currentTemplate) {
                currentClean = currentTip == null || !currentTip.equals(template.previousBlockHash());
                currentTip = template.previousBlockHash();
                currentTemplate = template;
            }
            clean = currentClean;
            id = nextId(now);
        }
        return Job.onTemplate(id, template, coinbase, ntime, clean, now);
    }

    /** How far ahead of the clock a reissued job's ntime may go. */
    static final long REISSUE_AHEAD_SECONDS = 600;

    /**
     * The same work as {@code job} under a fresh id and a later ntime (so its header differs), with
     * {@code clean_jobs} false: what a session is sent after its difficulty changed, so the miner
     * starts work that the new difficulty applies to without dropping what it has.
     */
    public Job reissue(Job job) {
        return reissue(job, false);
    }

    /**
     * The same work as {@code job} under a fresh id and the given {@code clean_jobs} flag: with true,
     * what a miner gets when its earlier work no longer counts (its payout was just decided).
     */
    public Job reissue(Job job, boolean cleanJobs) {
        Objects.requireNonNull(job, "job");
        Instant now = clock.instant();
        // A later ntime makes the header differ, not only the id: cpuminer moves a thread to new work
        // (and so to a new difficulty) only when the header bytes change, and otherwise keeps mining the
        // old job at its old target. Never more than REISSUE_AHEAD_SECONDS ahead of the clock, so that a
        // block on it stays far inside the two hours Bitcoin Core allows.
        long ntime = Math.max(job.ntime() + 1, now.getEpochSecond());
        if (ntime > now.getEpochSecond() + REISSUE_AHEAD_SECONDS) {
            ntime = job.ntime();
        }
        return job.reissue(nextId(now), cleanJobs, now, ntime);
    }

    /**
     * The job {@code base} paying {@code payouts} instead: same template, time and
     * {@code clean_jobs}, its own coinbase and id. For pools whose coinbase differs per miner
     * (solo mining to the address in the worker name). Leaves the factory's tip tracking alone, so
     * it may be called for an older template at any time.
     *
     * @throws IllegalArgumentException when {@code base} has no template or the coinbase cannot be built
     */
    public Job variant(Job base, List<CoinbaseOutput> payouts) {
        Objects.requireNonNull(base, "base");
        BlockTemplate template = base.template()
                .orElseThrow(() -> new IllegalArgumentException("job " + base.id() + " came from upstream work and has no template"));
        Coinbase coinbase = coinbaseBuilder.build(template, payouts);
        Instant now = clock.instant();
        return Job.onTemplate(nextId(now), template, coinbase, base.ntime(), base.cleanJobs(), now);
    }

    private synchronized String nextId(Instant now) {
        long micros = Math.max(0, now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
        lastId = Math.max(lastId + 1, micros);
        return Long.toHexString(lastId) + idSuffix;
    }
}
