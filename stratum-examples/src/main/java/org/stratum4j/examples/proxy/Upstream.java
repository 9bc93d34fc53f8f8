package org.stratum4j.examples.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.StratumError;
import org.stratum4j.core.proxy.ExtranonceSplit;
import org.stratum4j.examples.miner.PoolUrl;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.ClientTls;

/**
 * One session with an upstream pool, whatever its protocol ({@link V1Upstream} for Stratum V1,
 * {@link V2Upstream} for one Stratum V2 extended channel): set up, then jobs in V1 shape, the
 * upstream's difficulty, extranonce and version mask as the pool sets them, and the shares the
 * proxy forwards. Ready once the pool has accepted the proxy's account and sent a first job. The
 * protocol's callbacks run on the client's loop; the {@link Events} receiver hops to its own
 * thread.
 */
abstract class Upstream {

    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

    /** What a session tells the proxy. */
    interface Events {
        /** A job from this session once it is ready. */
        void job(Upstream session, Work work);

        /** The session ended (or never became ready). */
        void closed(Upstream session, String reason);
    }

    /**
     * A job as its session sent it (in V1 shape), with what forwarding its shares needs.
     *
     * @param session     the session it came from
     * @param upstreamJob the job, its id the upstream's
     * @param split       the session's extranonce split when it came
     * @param difficulty  the upstream's share difficulty when it came
     */
    record Work(Upstream session, Notify upstreamJob, ExtranonceSplit split, Difficulty difficulty) {
    }

    /**
     * What every session of the proxy shares.
     *
     * @param user             the account (worker name) upstream
     * @param password         its password (V1 only)
     * @param versionMask      the version-rolling mask asked for (0: none)
     * @param minerExtranonce2 bytes of extranonce2 each miner rolls
     * @param indexBytes       bytes of each miner's index (extranonce1)
     * @param tls              the trust for {@code stratum+ssl} upstreams
     * @param answerTimeout    how long set-up or a forwarded share may wait for its answer
     */
    record Settings(String user, String password, int versionMask, int minerExtranonce2, int indexBytes, ClientTls tls,
                    Duration answerTimeout) {
    }

    protected final PoolUrl url;
    protected final int number;
    protected final Settings settings;
    protected final Clock clock;
    protected final Events events;
    protected final CompletableFuture<Upstream> ready = new CompletableFuture<>();
    protected volatile ExtranonceSplit split;
    protected volatile Difficulty difficulty = Difficulty.of(1);
    protected volatile int versionMask;
    protected volatile Work latest;
    private volatile Instant lastHeard;
    private volatile Instant readySince;
    private volatile String closedReason;

    /** A session of the right kind for {@code url}. */
    static Upstream of(PoolUrl url, int number, Settings settings, Clock clock, Events events) {
        return url.v2() ? new V2Upstream(url, number, settings, clock, events) : new V1Upstream(url, number, settings, clock, events);
    }

    protected Upstream(PoolUrl url, int number, Settings settings, Clock clock, Events events) {
        this.url = Objects.requireNonNull(url, "url");
        this.number = number;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        this.lastHeard = clock.instant();
    }

    /** Connects and sets up; the future completes when the session is ready, or fails with the reason. */
    final CompletableFuture<Upstream> start(ClientGroup group) {
        ready.orTimeout(settings.answerTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((u, e) -> {
            if (e != null) {
                // However set-up failed (a timeout completes the future itself), the connection goes.
                close(e instanceof java.util.concurrent.TimeoutException ? "not ready within " + settings.answerTimeout().toSeconds() + " s"
                        : rootMessage(e));
            }
        });
        connect(group);
        return ready;
    }

    /** Starts the protocol's connection and set-up; ends in {@link #job} (ready) or {@link #fail}. */
    protected abstract void connect(ClientGroup group);

    /**
     * Forwards one share: {@code extranonce2} is the upstream's, {@code version} the full header
     * version. Completes with null when the pool accepted it, or the pool's error in V1 terms;
     * fails when the session ends or the answer does not come within the timeout.
     */
    abstract CompletableFuture<StratumError> submit(String worker, Work work, byte[] extranonce2, int ntime, int nonce, int version);

    /** Authorizes another worker on this session (answer kept); null when this protocol cannot. */
    abstract CompletableFuture<StratumError> authorize(String worker);

    /**
     * Asks the pool something it always answers, when it has been quiet: neither protocol has a
     * ping, and a pool between blocks may send nothing for minutes, so silence alone would condemn
     * a healthy pool; any answer shows it is alive.
     */
    abstract void probe();

    /** Closes the connection (the protocol's part of {@link #close}). */
    protected abstract void disconnect();

    /** Sets the split from the extranonce the pool gave; closes the session when it does not fit. */
    protected final boolean extranonce(byte[] extranonce1, int extranonce2Size) {
        try {
            ExtranonceSplit s = ExtranonceSplit.of(extranonce1, extranonce2Size, settings.indexBytes(), settings.minerExtranonce2());
            if (split != null) {
                LOG.info("upstream {} changed this proxy's extranonce: {}", url, s);
            }
            split = s;
            return true;
        } catch (IllegalArgumentException e) {
            fail(e.getMessage() + "; lower --miner-extranonce2-size or use another pool");
            close("its extranonce does not fit: " + e.getMessage());
            return false;
        }
    }

    /** A job arrived: it is the latest, and once the account is accepted the session is ready. */
    protected final void job(Notify notify, boolean accountAccepted) {
        heard();
        ExtranonceSplit s = split;
        if (s == null) {
            return;
        }
        latest = new Work(this, notify, s, difficulty);
        becomeReady(accountAccepted);
        if (readySince != null && isOpen()) {
            events.job(this, latest);
        }
    }

    protected final void becomeReady(boolean accountAccepted) {
        if (accountAccepted && latest != null && !ready.isDone()) {
            readySince = clock.instant();
            LOG.info("upstream {} (session {}) ready: extranonce1 {}, {}, difficulty {}, version mask {}", url, number,
                    Hex.encode(split.upstreamExtranonce1()), split, difficulty, String.format("%08x", versionMask));
            ready.complete(this);
        }
    }

    /** Set-up failed: the session is not used. */
    protected final void fail(String reason) {
        if (ready.completeExceptionally(new IllegalStateException(reason))) {
            close(reason);
        }
    }

    /** The connection ended. */
    protected final void ended(String reason) {
        if (closedReason == null) {
            closedReason = reason;
        }
        ready.completeExceptionally(new IllegalStateException(reason));
        events.closed(this, closedReason);
    }

    protected final void heard() {
        lastHeard = clock.instant();
    }

    /** Ends the session (idempotent); pending forwarded shares fail. */
    final void close(String reason) {
        if (closedReason == null) {
            closedReason = reason;
            if (readySince != null) {
                LOG.info("upstream {} (session {}) closed: {}", url, number, reason);
            } else {
                LOG.debug("upstream {} (session {}) closed before it was ready: {}", url, number, reason);
            }
        }
        ready.completeExceptionally(new IllegalStateException(reason));
        disconnect();
    }

    PoolUrl url() {
        return url;
    }

    int number() {
        return number;
    }

    boolean isOpen() {
        return closedReason == null;
    }

    /** When the pool last said anything. */
    Instant lastHeard() {
        return lastHeard;
    }

    /** Since when the session has been ready (null before). */
    Instant readySince() {
        return readySince;
    }

    /** The latest job and what it needs. */
    Work latest() {
        return latest;
    }

    ExtranonceSplit split() {
        return split;
    }

    Difficulty difficulty() {
        return difficulty;
    }

    int versionMask() {
        return versionMask;
    }

    /** The message at the root of a failure, without the executor's wrappers. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException || t.getMessage() == null)) {
            t = t.getCause();
        }
        if (t instanceof java.util.concurrent.TimeoutException && t.getMessage() == null) {
            return "no answer within --upstream-timeout";
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public String toString() {
        return url + " (session " + number + ")";
    }
}
