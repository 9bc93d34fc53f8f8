package org.stratum4j.examples.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.protocol.ExtranonceSubscribe;
import org.stratum4j.core.protocol.JsonValue;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.Reconnect;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.core.protocol.SetExtranonce;
import org.stratum4j.core.proxy.ExtranonceSplit;
import org.stratum4j.examples.miner.PoolUrl;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.ClientTls;
import org.stratum4j.transport.nio.StratumClient;

/**
 * One Stratum V1 session with an upstream pool: connect, {@code mining.configure} (version
 * rolling), subscribe, {@code mining.extranonce.subscribe}, authorize, then jobs, difficulty and
 * extranonce changes as the pool sends them, and the shares the proxy forwards. Ready once the
 * pool has authorized the proxy's account and sent a first job. Callbacks run on the client's
 * loop; the {@link Events} receiver hops to its own thread.
 */
final class Upstream implements StratumClient.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

    /** What the session tells the proxy. */
    interface Events {
        /** A job from this session once it is ready. */
        void job(Upstream session, Work work);

        /** The session ended (or never became ready). */
        void closed(Upstream session, String reason);
    }

    /** A job as this session sent it, with what forwarding its shares needs. */
    record Work(Upstream session, Notify upstreamJob, ExtranonceSplit split, Difficulty difficulty) {
    }

    private final PoolUrl url;
    private final int number;
    private final Settings settings;
    private final Clock clock;
    private final Events events;
    private final CompletableFuture<Upstream> ready = new CompletableFuture<>();
    private final Map<String, CompletableFuture<Response>> workers = new ConcurrentHashMap<>();
    private volatile StratumClient client;
    private volatile ExtranonceSplit split;
    private volatile Difficulty difficulty = Difficulty.of(1);
    private volatile int versionMask;
    private volatile Work latest;
    private volatile Instant lastHeard;
    private volatile Instant readySince;
    private volatile boolean authorized;
    private volatile boolean probing;
    private volatile String closedReason;

    /**
     * What every session of the proxy shares.
     *
     * @param user              the account (worker name) upstream
     * @param password          its password
     * @param versionMask       the version-rolling mask asked for (0: none)
     * @param minerExtranonce2  bytes of extranonce2 each miner rolls
     * @param indexBytes        bytes of each miner's index (extranonce1)
     * @param tls               the trust for {@code stratum+ssl} upstreams
     * @param answerTimeout     how long a handshake step or a forwarded share may wait for its answer
     */
    record Settings(String user, String password, int versionMask, int minerExtranonce2, int indexBytes, ClientTls tls,
                    Duration answerTimeout) {
    }

    Upstream(PoolUrl url, int number, Settings settings, Clock clock, Events events) {
        this.url = Objects.requireNonNull(url, "url");
        this.number = number;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        this.lastHeard = clock.instant();
    }

    /** Connects and sets up; the future completes when the session is ready, or fails with the reason. */
    CompletableFuture<Upstream> start(ClientGroup group) {
        long timeout = settings.answerTimeout().toMillis();
        CompletableFuture<StratumClient> connecting = url.tls() ? group.connect(url.address(), settings.tls(), this)
                : group.connect(url.address(), this);
        connecting.whenComplete((c, e) -> {
            if (e != null) {
                fail("cannot connect: " + rootMessage(e));
                return;
            }
            client = c;
            if (ready.isDone()) {
                c.close(); // gave up while the connection was being made
                return;
            }
            setUp(c);
        });
        ready.orTimeout(timeout, TimeUnit.MILLISECONDS).whenComplete((u, e) -> {
            if (e != null) {
                fail(e instanceof java.util.concurrent.TimeoutException ? "not ready within " + settings.answerTimeout().toSeconds() + " s"
                        : rootMessage(e));
            }
        });
        return ready;
    }

    private void setUp(StratumClient c) {
        CompletableFuture<Void> configured = settings.versionMask() == 0 ? CompletableFuture.completedFuture(null)
                : c.configureVersionRolling(settings.versionMask(), 0).thenAccept(this::configured);
        configured.thenCompose(x -> c.subscribe(ProxyMain.USER_AGENT)).thenCompose(sub -> {
            heard();
            try {
                split = ExtranonceSplit.of(sub.extranonce1(), sub.extranonce2Size(), settings.indexBytes(), settings.minerExtranonce2());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage() + "; lower --miner-extranonce2-size or use another pool");
            }
            // Optional: pools that do not know it say so, and then they never change our extranonce anyway.
            c.request(ExtranonceSubscribe::new);
            return c.authorize(settings.user(), settings.password());
        }).whenComplete((r, e) -> {
            if (e != null) {
                fail(rootMessage(e));
            } else if (!r.isTrue()) {
                fail("the pool refused worker " + settings.user() + ": " + (r.error() == null ? "false" : r.error().message()));
            } else {
                heard();
                authorized = true;
                workers.put(settings.user(), CompletableFuture.completedFuture(r));
                becomeReadyIfWorked();
            }
        });
    }

    private void configured(Response r) {
        heard();
        versionMask = 0;
        if (r.error() == null && r.result() instanceof JsonValue.Object o && JsonValue.Bool.TRUE.equals(o.fields().get("version-rolling"))
                && o.fields().get("version-rolling.mask") instanceof JsonValue.Str mask) {
            try {
                versionMask = (int) Long.parseLong(mask.value(), 16);
            } catch (NumberFormatException e) {
                versionMask = 0;
            }
        }
        if (versionMask != settings.versionMask()) {
            LOG.warn("upstream {} allows version rolling mask {} (asked for {}): miners' shares with other rolled bits are refused",
                    url, String.format("%08x", versionMask), String.format("%08x", settings.versionMask()));
        }
    }

    private void becomeReadyIfWorked() {
        if (authorized && latest != null && !ready.isDone()) {
            readySince = clock.instant();
            LOG.info("upstream {} (session {}) ready: extranonce1 {}, {}, difficulty {}, version mask {}", url, number,
                    Hex.encode(split.upstreamExtranonce1()), split, difficulty, String.format("%08x", versionMask));
            ready.complete(this);
        }
    }

    private void fail(String reason) {
        if (ready.completeExceptionally(new IllegalStateException(reason))) {
            close(reason);
        }
    }

    // ------------------------------------------------------------------ from the pool (client loop)

    @Override
    public void onNotify(StratumClient c, Notify notify) {
        heard();
        ExtranonceSplit s = split;
        if (s == null) {
            return; // before subscribe's answer: the pool's own fault; its next job will do
        }
        latest = new Work(this, notify, s, difficulty);
        becomeReadyIfWorked();
        if (ready.isDone() && !ready.isCompletedExceptionally()) {
            events.job(this, latest);
        }
    }

    @Override
    public void onSetDifficulty(StratumClient c, Difficulty d) {
        heard();
        difficulty = d;
    }

    @Override
    public void onSetExtranonce(StratumClient c, SetExtranonce e) {
        heard();
        try {
            split = ExtranonceSplit.of(e.extranonce1(), e.extranonce2Size(), settings.indexBytes(), settings.minerExtranonce2());
            LOG.info("upstream {} changed this proxy's extranonce: {}", url, split);
        } catch (IllegalArgumentException ex) {
            close("its new extranonce does not fit: " + ex.getMessage());
        }
    }

    @Override
    public void onSetVersionMask(StratumClient c, int mask) {
        heard();
        versionMask = mask & settings.versionMask();
    }

    @Override
    public void onReconnect(StratumClient c, Reconnect r) {
        close("the pool asked the proxy to reconnect");
    }

    @Override
    public void onClosed(StratumClient c, String reason) {
        if (closedReason == null) {
            closedReason = reason;
        }
        ready.completeExceptionally(new IllegalStateException(reason));
        events.closed(this, closedReason);
    }

    private void heard() {
        lastHeard = clock.instant();
    }

    // ------------------------------------------------------------------ to the pool

    /**
     * Forwards one share; completes with the pool's answer, or fails when the session ends or the
     * answer does not come within the timeout. Authorizes {@code worker} first if it is new here.
     */
    CompletableFuture<Response> submit(String worker, String jobId, byte[] extranonce2, int ntime, int nonce, Integer versionBits) {
        StratumClient c = client;
        if (c == null || closedReason != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("upstream session closed"));
        }
        return authorize(worker).thenCompose(auth -> {
            if (!auth.isTrue()) {
                return CompletableFuture.completedFuture(auth);
            }
            return versionBits == null ? c.submit(worker, jobId, extranonce2, ntime, nonce)
                    : c.submit(worker, jobId, extranonce2, ntime, nonce, versionBits);
        }).orTimeout(settings.answerTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            if (e == null) {
                heard();
            }
        });
    }

    /**
     * Asks the pool something it always answers, when it has been quiet: Stratum V1 has no ping,
     * and a pool between blocks may send nothing for minutes, so silence alone would condemn a
     * healthy pool. The account's {@code mining.authorize} again is harmless and universal; any
     * answer, even an error, shows the pool is alive.
     */
    void probe() {
        StratumClient c = client;
        if (c == null || probing || !authorized) {
            return;
        }
        probing = true;
        c.authorize(settings.user(), settings.password()).whenComplete((r, e) -> {
            probing = false;
            if (e == null) {
                heard();
            }
        });
    }

    /** {@code mining.authorize} for another worker on this session, once per name (the answer is kept). */
    CompletableFuture<Response> authorize(String worker) {
        StratumClient c = client;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("upstream session not connected"));
        }
        return workers.computeIfAbsent(worker, w -> c.authorize(w, settings.password())
                .orTimeout(settings.answerTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Ends the session (idempotent); pending forwarded shares fail. */
    void close(String reason) {
        if (closedReason == null) {
            closedReason = reason;
            if (readySince != null) {
                LOG.info("upstream {} (session {}) closed: {}", url, number, reason);
            } else {
                LOG.debug("upstream {} (session {}) closed before it was ready: {}", url, number, reason);
            }
        }
        StratumClient c = client;
        if (c != null) {
            c.close();
        } else {
            ready.completeExceptionally(new IllegalStateException(reason));
        }
    }

    // ------------------------------------------------------------------ state

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

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException || t.getMessage() == null)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public String toString() {
        return url + " (session " + number + ")";
    }
}
