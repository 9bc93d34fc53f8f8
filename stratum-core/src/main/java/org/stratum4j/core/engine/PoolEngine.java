package org.stratum4j.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseBuilder;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.job.JobBook;
import org.stratum4j.core.job.JobFactory;
import org.stratum4j.core.protocol.Authorize;
import org.stratum4j.core.protocol.Configure;
import org.stratum4j.core.protocol.DecodeError;
import org.stratum4j.core.protocol.ExtranonceSubscribe;
import org.stratum4j.core.protocol.GetTransactions;
import org.stratum4j.core.protocol.JsonValue;
import org.stratum4j.core.protocol.MinerMessage;
import org.stratum4j.core.protocol.MultiVersion;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.Reconnect;
import org.stratum4j.core.protocol.RequestId;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.core.protocol.SetDifficulty;
import org.stratum4j.core.protocol.SetExtranonce;
import org.stratum4j.core.protocol.SetVersionMask;
import org.stratum4j.core.protocol.StratumError;
import org.stratum4j.core.protocol.Submit;
import org.stratum4j.core.protocol.Subscribe;
import org.stratum4j.core.protocol.SuggestDifficulty;
import org.stratum4j.core.protocol.UnknownMethod;
import org.stratum4j.core.share.PowFunction;
import org.stratum4j.core.share.RejectReason;
import org.stratum4j.core.share.ShareValidator;
import org.stratum4j.core.share.Verdict;

/**
 * The pool: sessions, methods, truthful share validation, difficulty and jobs, with no I/O of its
 * own. The transport feeds it inputs and it answers through each session's {@link Connection}:
 *
 * <ul>
 *   <li>{@link #open} when a connection is accepted, {@link #receive} for each decoded message,
 *       {@link #tick} now and then, {@link #closed} when the connection ends (all on the
 *       connection's event loop);</li>
 *   <li>{@link #newTemplate} (or {@link #announce} for upstream work) from the template thread,
 *       whose {@link Announcement} each loop passes to {@link #deliver} for its sessions.</li>
 * </ul>
 *
 * <p>Shares are checked in the order and with the codes of PROTOCOL.md: not subscribed 25 →
 * unauthorized worker 24 → malformed 20 → unknown or stale job 21 → extranonce2 size 20 → ntime 20
 * → version mask 20 → duplicate 22 → low difficulty 23 → accepted, and a block goes to the
 * {@link BlockSubmitter} before anything else happens. Replies leave in request order; with a
 * durable {@link ShareSink} an accepted share's {@code true} waits for the sink. Time comes only
 * from the injected {@link Clock}.
 *
 * <p><b>The difficulty rule.</b> A share is judged at a difficulty no harder than the one in force
 * when its job was sent to that session (the last {@code mining.set_difficulty} before that job's
 * {@code mining.notify}), for as long as the job is valid: in the job book and among the last
 * {@value Session#JOB_MEMORY} jobs sent to the session. It is the easier of that and the current
 * difficulty; the share is credited at the harder of the two that it meets (after a drop, work
 * mined at the old target is worth the old difficulty). A new difficulty always reaches the miner
 * with a job id it has not seen and work that differs: {@code mining.set_difficulty} is followed by
 * the session's last job under a fresh id and a later ntime, or by the next new job when the last
 * one is gone. Real miners need both: cpuminer applies a difficulty from the next notify on and
 * lets each thread finish its current work, with that work's job id and target, so during a quick
 * series of changes it still submits shares on jobs sent one, two or three changes ago, each
 * meeting the difficulty it came with; and a thread takes new work only when its header bytes
 * differ, so the same work under a new id would leave it on the old target.
 *
 * <p>Thread-safe in the sense above: per-session calls on the session's loop, template calls from
 * one other thread.
 */
public final class PoolEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PoolEngine.class);
    private static final int MAX_GARBAGE_LINES = 10;

    /** Jobs, verdicts, sink, block path and totals, shared with the other protocols' front-ends. */
    private final PoolCore core;
    private final Clock clock;
    private final Authorizer authorizer;
    private final DifficultyPolicy difficultyPolicy;
    private final Difficulty initialDifficulty;
    private final BanPolicy banPolicy;
    private final boolean payoutPerWorker;
    private final int extranonce2Size;

    private final LongAdder sessionsOpen = new LongAdder();

    private PoolEngine(Builder b) {
        this.clock = b.clock;
        this.authorizer = b.authorizer;
        this.difficultyPolicy = b.difficultyPolicy;
        this.initialDifficulty = b.initialDifficulty;
        this.banPolicy = b.banPolicy;
        this.payoutPerWorker = b.payoutPerWorker;
        this.extranonce2Size = b.coinbaseBuilder.extranonce2Size();
        this.core = new PoolCore(clock, b.authorizer, b.shareSink, b.blockSubmitter, b.difficultyPolicy, b.initialDifficulty,
                b.extranonces, b.banPolicy, b.payouts, b.payoutPerWorker, b.versionMask,
                new JobFactory(clock, b.coinbaseBuilder, b.instanceId), extranonce2Size,
                JobBook.builder().clock(clock).maxJobs(b.maxJobs).maxAge(b.maxJobAge), new ShareValidator(b.pow));
    }

    /**
     * The protocol-independent core this engine shares with other front-ends (a Stratum V2
     * endpoint on the same pool): same jobs, same share validation, same sink, same blocks.
     */
    public PoolCore core() {
        return core;
    }

    /** A builder; {@link Builder#clock}, {@link Builder#payouts} and {@link Builder#blockSubmitter} are required. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ jobs

    /**
     * Makes the job for a new template and returns its announcement for every session. Call from one
     * thread (the template source's), in template order.
     *
     * @throws IllegalArgumentException when the coinbase cannot be built (see {@link CoinbaseBuilder#build})
     */
    public Announcement newTemplate(BlockTemplate template) {
        return core.newTemplate(template);
    }

    /** Publishes a job made elsewhere (upstream work, a replay); same contract as {@link #newTemplate}. */
    public Announcement announce(Job job) {
        return core.announce(job);
    }

    /** The latest announcement, or null before the first template. */
    public Announcement latest() {
        return core.latest();
    }

    /**
     * Sends an announced job to one session (on its loop); sessions not yet subscribed, or that
     * already have this job (they subscribed after it was announced), are skipped.
     * With per-worker payouts the session gets its own miner's version of the job (made once per
     * payout script and shared), and nothing before its first authorization.
     */
    public void deliver(Session s, Announcement a) {
        // A session that subscribed after the job was announced got it then (transports fan out a slice at a time).
        if (!a.job().id().equals(s.lastBaseId())) {
            send(s, a);
        }
    }

    /** Sends {@code a}'s job to the session, also when it has it already (a new extranonce, a second subscribe). */
    private void send(Session s, Announcement a) {
        if (s.closed || !s.subscribed) {
            return;
        }
        int inForce = s.agreedVersionMask & core.versionMask();
        if (inForce != s.versionMask && s.agreedVersionMask != 0) {
            // The pool's mask changed (a proxy's upstream did): the miner hears it before the job it applies to.
            emit(s, new SetVersionMask(inForce));
            s.versionMask = inForce;
        }
        if (payoutPerWorker) {
            if (s.payoutKey == null) {
                return;
            }
            Announcement mine = variant(a, s);
            if (mine == null) {
                return;
            }
            emitLine(s, mine.line());
            s.remember(mine.job(), a.job().id());
            return;
        }
        emitLine(s, a.line());
        s.remember(a.job(), a.job().id());
    }

    /** {@code a}'s job paying the session's script, or null when the job is gone or the coinbase cannot be built. */
    private Announcement variant(Announcement a, Session s) {
        return core.variant(a, s.payoutKey, s.payoutScript);
    }

    // ------------------------------------------------------------------ connections

    /** A connection was accepted; it starts at the engine's initial difficulty. */
    public Session open(Connection connection) {
        return open(connection, initialDifficulty);
    }

    /** A connection was accepted on a listener with its own starting difficulty (clamped to the policy's bounds). */
    public Session open(Connection connection, Difficulty startingDifficulty) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(startingDifficulty, "startingDifficulty");
        Instant now = clock.instant();
        sessionsOpen.increment();
        Difficulty start = DifficultyPolicy.clamp(startingDifficulty, difficultyPolicy.minimum(), difficultyPolicy.maximum());
        return new Session(core.nextSessionId(), connection, now, difficultyPolicy.start(start, now));
    }

    /** The connection ended (for any reason); frees its extranonce1. */
    public void closed(Session s) {
        if (s.closed) {
            return;
        }
        s.closed = true;
        sessionsOpen.decrement();
        if (s.software != null) {
            core.softwareClosed(s.software);
        }
        if (s.extranonce1 != null) {
            core.releaseExtranonce1(s.extranonce1);
        }
        s.outgoing.clear();
        s.held.clear();
    }

    /** Periodic work for one session (vardiff without shares); call every few seconds. */
    public void tick(Session s) {
        if (s.closed || !s.subscribed) {
            return;
        }
        Difficulty changed = s.difficulty.onTick(clock.instant());
        if (changed != null) {
            difficultyChanged(s, changed);
        }
    }

    /** One decoded message from the miner. */
    public void receive(Session s, MinerMessage m) {
        if (s.closed) {
            return;
        }
        if (s.awaitingAuthorization) {
            if (s.held.size() >= Session.MAX_HELD_REQUESTS) {
                close(s, "more than " + Session.MAX_HELD_REQUESTS + " requests while an authorization was pending");
                return;
            }
            s.held.add(m);
            return;
        }
        dispatch(s, m);
    }

    /**
     * Gives the session a new extranonce1: announced with {@code mining.set_extranonce} and a fresh
     * clean job when the miner subscribed to extranonce changes, otherwise the miner is asked to
     * reconnect (its work would be wrong). For operators and proxies that must move a session.
     */
    public void renewExtranonce(Session s) {
        if (s.closed || !s.subscribed) {
            return;
        }
        byte[] fresh = core.allocateExtranonce1();
        core.releaseExtranonce1(s.extranonce1);
        s.extranonce1 = fresh;
        s.extranonce1Hex = Hex.encode(fresh);
        if (!s.extranonceSubscribed) {
            emit(s, new Reconnect(null, null, null));
            close(s, "extranonce changed and the miner did not subscribe to extranonce changes");
            return;
        }
        emit(s, new SetExtranonce(fresh, extranonce2Size));
        Announcement a = core.latest();
        if (a != null) {
            send(s, a);
        }
    }

    private void dispatch(Session s, MinerMessage m) {
        if (m instanceof Submit submit) {
            submit(s, submit);
        } else if (m instanceof Subscribe sub) {
            subscribe(s, sub);
        } else if (m instanceof Authorize auth) {
            authorize(s, auth);
        } else if (m instanceof Configure conf) {
            configure(s, conf);
        } else if (m instanceof SuggestDifficulty sd) {
            Difficulty changed = s.difficulty.suggest(sd.difficulty(), clock.instant());
            reply(s, sd.id(), Response.ok(sd.id()));
            if (changed != null && s.subscribed) {
                difficultyChanged(s, changed);
            }
        } else if (m instanceof ExtranonceSubscribe es) {
            s.extranonceSubscribed = true;
            reply(s, es.id(), Response.ok(es.id()));
        } else if (m instanceof DecodeError de) {
            decodeError(s, de);
        } else if (m instanceof UnknownMethod um) {
            reply(s, um.id(), Response.error(um.id(), StratumError.other("Unknown method " + um.method()), false));
        } else if (m instanceof GetTransactions gt) {
            reply(s, gt.id(), Response.error(gt.id(), StratumError.other("mining.get_transactions is not supported"), false));
        } else if (m instanceof MultiVersion mv) {
            reply(s, mv.id(), Response.ok(mv.id()));
        }
        // A Response from the miner answers a request of ours (client.get_version): nothing to do.
    }

    private void subscribe(Session s, Subscribe sub) {
        if (!s.subscribed) {
            byte[] en1;
            try {
                en1 = core.allocateExtranonce1();
            } catch (IllegalStateException e) {
                reply(s, sub.id(), Response.error(sub.id(), StratumError.other("Pool is full"), false));
                close(s, e.getMessage());
                return;
            }
            s.extranonce1 = en1;
            s.extranonce1Hex = Hex.encode(en1);
            s.subscribed = true;
            s.software = core.softwareOpened(sub.userAgent(), "");
        }
        emit(s, Response.subscribed(sub.id(), s.extranonce1Hex, s.extranonce1, extranonce2Size));
        emit(s, new SetDifficulty(s.difficulty.current()));
        Announcement a = core.latest();
        if (a != null) {
            send(s, a);
        }
    }

    private void authorize(Session s, Authorize auth) {
        String worker = auth.worker();
        if (!Authorizer.wellFormed(worker)) {
            reply(s, auth.id(), Response.error(auth.id(), StratumError.UNAUTHORIZED_WORKER, true));
            return;
        }
        CompletionStage<Authorizer.Result> stage;
        try {
            stage = authorizer.authorize(new Authorizer.Request(worker, auth.password(), s.connection.remoteAddress()));
        } catch (RuntimeException e) {
            LOG.warn("authorizer failed for worker {}: {}", worker, e.toString());
            stage = CompletableFuture.completedFuture(Authorizer.Result.refused("authorization failed"));
        }
        CompletableFuture<Authorizer.Result> f = stage.toCompletableFuture();
        if (f.isDone()) {
            authorized(s, auth, f.handle((r, e) -> e == null ? r : null).join());
            return;
        }
        s.awaitingAuthorization = true;
        stage.whenComplete((r, e) -> s.connection.execute(() -> {
            s.awaitingAuthorization = false;
            if (s.closed) {
                return;
            }
            authorized(s, auth, e == null ? r : null);
            while (!s.awaitingAuthorization && !s.closed && !s.held.isEmpty()) {
                dispatch(s, s.held.poll());
            }
        }));
    }

    private void authorized(Session s, Authorize auth, Authorizer.Result result) {
        if (result == null || !result.authorized()) {
            String why = result == null ? "authorization failed" : result.reason();
            reply(s, auth.id(), Response.error(auth.id(), new StratumError(StratumError.CODE_UNAUTHORIZED_WORKER,
                    why.isEmpty() ? "Unauthorized worker" : why), true));
            return;
        }
        boolean firstPayout = false;
        if (payoutPerWorker) {
            byte[] script = result.payoutScript();
            if (script == null) {
                reply(s, auth.id(), Response.error(auth.id(), new StratumError(StratumError.CODE_UNAUTHORIZED_WORKER,
                        "this pool pays each worker's own address, and none was given for " + auth.worker()), true));
                return;
            }
            String key = Hex.encode(script);
            if (s.payoutKey != null && !s.payoutKey.equals(key)) {
                reply(s, auth.id(), Response.error(auth.id(), new StratumError(StratumError.CODE_UNAUTHORIZED_WORKER,
                        "this connection already mines for another payout address; use one connection per address"), true));
                return;
            }
            if (s.payoutKey == null) {
                s.payoutKey = key;
                s.payoutScript = script;
                firstPayout = true;
            }
        }
        if (!s.workers.contains(auth.worker())) {
            s.workers.add(auth.worker());
        }
        reply(s, auth.id(), Response.ok(auth.id()));
        if (firstPayout && s.subscribed) {
            // Work sent before now paid nobody in particular: replace it at once with this miner's own.
            Announcement a = core.latest();
            Announcement mine = a == null ? null : variant(a, s);
            if (mine != null) {
                s.forgetJobs();
                Job fresh = core.reissue(mine.job(), true);
                emit(s, fresh.notifyMessage());
                s.remember(fresh, a.job().id());
            }
        }
        Difficulty requested = PasswordOptions.difficulty(auth.password());
        if (requested != null) {
            Instant now = clock.instant();
            Difficulty changed = s.difficulty.setFloor(requested, now);
            Difficulty suggested = s.difficulty.suggest(requested, now);
            Difficulty last = suggested != null ? suggested : changed;
            if (last != null && s.subscribed) {
                difficultyChanged(s, last);
            }
        }
    }

    private void configure(Session s, Configure c) {
        Map<String, JsonValue> answer = new LinkedHashMap<>();
        Difficulty changed = null;
        for (String ext : c.extensions()) {
            switch (ext) {
                case Configure.VERSION_ROLLING -> {
                    int minerMask = c.versionRollingMask() == null ? 0xffffffff : c.versionRollingMask();
                    int agreed = core.configuredVersionMask() & minerMask;
                    int mask = agreed & core.versionMask();
                    int minBits = c.versionRollingMinBitCount() == null ? 0 : c.versionRollingMinBitCount();
                    boolean ok = mask != 0 && Integer.bitCount(mask) >= minBits;
                    answer.put(Configure.VERSION_ROLLING, JsonValue.Bool.of(ok));
                    if (ok) {
                        answer.put("version-rolling.mask", new JsonValue.Str(String.format("%08x", mask)));
                        s.versionMask = mask;
                        s.agreedVersionMask = agreed;
                    } else {
                        s.versionMask = 0;
                        s.agreedVersionMask = 0;
                    }
                }
                case Configure.MINIMUM_DIFFICULTY -> {
                    boolean ok = c.minimumDifficulty() != null;
                    answer.put(Configure.MINIMUM_DIFFICULTY, JsonValue.Bool.of(ok));
                    if (ok) {
                        changed = s.difficulty.setFloor(c.minimumDifficulty(), clock.instant());
                    }
                }
                case Configure.SUBSCRIBE_EXTRANONCE -> {
                    s.extranonceSubscribed = true;
                    answer.put(Configure.SUBSCRIBE_EXTRANONCE, JsonValue.Bool.TRUE);
                }
                default -> answer.put(ext, JsonValue.Bool.FALSE);
            }
        }
        reply(s, c.id(), Response.configured(c.id(), answer));
        if (changed != null && s.subscribed) {
            difficultyChanged(s, changed);
        }
    }

    private void decodeError(Session s, DecodeError de) {
        if (de.kind() == DecodeError.Kind.LINE_TOO_LONG) {
            close(s, "line too long");
            return;
        }
        if (de.isGarbage()) {
            if (!s.subscribed) {
                close(s, "not Stratum before subscribe: " + de.message());
                return;
            }
            if (++s.garbageLines > MAX_GARBAGE_LINES) {
                close(s, "more than " + MAX_GARBAGE_LINES + " lines that are not Stratum");
                return;
            }
        }
        reply(s, de.id(), Response.error(de.id(), StratumError.other(de.message()), false));
    }

    // ------------------------------------------------------------------ shares

    private void submit(Session s, Submit submit) {
        Instant now = clock.instant();
        if (!s.subscribed) {
            rejected(s, submit, RejectReason.NOT_SUBSCRIBED, null, null, null, now);
            return;
        }
        if (submit.worker() == null || !s.workers.contains(submit.worker())) {
            rejected(s, submit, RejectReason.UNAUTHORIZED_WORKER, null, null, null, now);
            return;
        }
        if (!submit.isWellFormed()) {
            rejected(s, submit, RejectReason.MALFORMED, null, null, null, now);
            return;
        }
        Job job = null;
        String baseId = submit.jobId();
        int sent = s.sent(submit.jobId());
        if (sent >= 0) {
            baseId = s.sentBaseIds[sent];
            job = s.sentJobs[sent];
        } else if (!payoutPerWorker) {
            // (With per-worker payouts only the session's own deliveries pay its miner.)
            job = core.job(baseId);
        }
        if (job == null) {
            rejected(s, submit, RejectReason.JOB_NOT_FOUND, null, null, null, now);
            return;
        }
        Difficulty judgedAt = s.difficulty.current();
        if (sent >= 0) {
            // The difficulty rule: never harder than the one the job went out with, however many changes since.
            judgedAt = Difficulty.min(judgedAt, s.sentDifficulties[sent]);
        }
        Verdict v = core.check(job, baseId, s.extranonce1, submit, s.versionMask, judgedAt.toTarget(), s.roots);
        if (!v.isAccepted()) {
            rejected(s, submit, v.rejectReason(), v, judgedAt, baseId, now);
            return;
        }
        if (v.isBlock()) {
            block(s, submit, job, v);
        }
        if (sent >= 0 && s.sentDifficulties[sent].compareTo(judgedAt) > 0 && s.sentDifficulties[sent].toTarget().isMetBy(v.hash())) {
            // Work from before a drop that meets its own, harder target was mined at it (cpuminer does):
            // credited at that, or vardiff would read the miner as many times slower than it is.
            judgedAt = s.sentDifficulties[sent];
        }
        s.accepted++;
        s.acceptedDifficulty += judgedAt.toDouble();
        s.lastAcceptedAt = now;
        s.windowAccepted++;
        core.accepted();
        ShareEvent event = event(s, submit, v, judgedAt, null, baseId, now);
        CompletionStage<Void> stored = core.record(event);
        if (core.durableSink()) {
            Session.Outgoing slot = hold(s);
            CompletableFuture<Void> f = stored.toCompletableFuture();
            if (f.isDone()) {
                fill(s, slot, storedReply(submit.id(), f));
            } else {
                stored.whenComplete((ok, e) -> s.connection.execute(() -> {
                    if (!s.closed) {
                        fill(s, slot, storedReply(submit.id(), f));
                    }
                }));
            }
        } else {
            reply(s, submit.id(), Response.ok(submit.id()));
        }
        Difficulty changed = s.difficulty.onAccepted(judgedAt, now);
        if (changed != null) {
            difficultyChanged(s, changed);
        }
    }

    private static Response storedReply(RequestId id, CompletableFuture<Void> f) {
        if (!f.isCompletedExceptionally()) {
            return Response.ok(id);
        }
        ShareRefusedException refused = ShareRefusedException.in(f.handle((ok, e) -> e).join());
        return Response.error(id, refused != null ? refused.error()
                : StratumError.other("Share could not be stored; it was not counted"), true);
    }

    private void rejected(Session s, Submit submit, RejectReason reason, Verdict v, Difficulty judgedAt, String baseId, Instant now) {
        s.rejected[reason.ordinal()]++;
        core.rejected(reason);
        core.record(event(s, submit, v, judgedAt == null ? s.difficulty.current() : judgedAt, reason, baseId, now));
        StratumError error = reason == RejectReason.MALFORMED && submit.paramsError() != null
                ? StratumError.other(submit.paramsError()) : reason.error();
        reply(s, submit.id(), Response.error(submit.id(), error, true));
        if (reason != RejectReason.JOB_NOT_FOUND) {
            rollBanWindow(s, now);
            s.windowRejected++;
            Duration ban = banPolicy.judge(s.windowAccepted, s.windowRejected);
            if (ban != null) {
                LOG.warn("banning {} for {}: {} rejected and {} accepted shares in the last {}", s.connection.remoteAddress(),
                        ban, s.windowRejected, s.windowAccepted, banPolicy.window());
                closed(s);
                s.connection.ban(ban, "too many invalid shares");
            }
        }
    }

    private void rollBanWindow(Session s, Instant now) {
        if (Duration.between(s.windowStart, now).compareTo(banPolicy.window()) > 0) {
            s.windowStart = now;
            s.windowAccepted = 0;
            s.windowRejected = 0;
        }
    }

    private ShareEvent event(Session s, Submit submit, Verdict v, Difficulty judgedAt, RejectReason reason, String baseId,
                             Instant now) {
        byte[] en2 = submit.isWellFormed() ? submit.extranonce2() : null;
        return new ShareEvent(now, s.id, s.connection.remoteAddress(), submit.worker(), submit.jobId(), baseId, s.extranonce1Hex,
                en2 == null ? null : Hex.encode(en2), submit.ntime(), submit.nonce(),
                v == null || v.header() == null ? 0 : v.header().version(), judgedAt,
                v == null ? null : v.hash(), v == null ? 0 : v.shareDifficulty(), reason, v != null && v.isBlock());
    }

    private void block(Session s, Submit submit, Job job, Verdict v) {
        s.blocks++;
        core.block(job, s.extranonce1, submit.extranonce2(), v, submit.worker());
    }

    // ------------------------------------------------------------------ difficulty

    private void difficultyChanged(Session s, Difficulty now) {
        emit(s, new SetDifficulty(now));
        Job last = s.lastJob();
        if (last != null && core.job(s.lastBaseId()) != null) {
            Job again = core.reissue(last);
            emit(s, again.notifyMessage());
            s.remember(again, s.lastBaseId());
        }
    }

    // ------------------------------------------------------------------ output, in order

    private void reply(Session s, RequestId id, Response r) {
        if (id == null || id.isNull()) {
            return;
        }
        emit(s, r);
    }

    private void emit(Session s, PoolMessage m) {
        if (m instanceof SetDifficulty sd) {
            s.announcedDifficulty = sd.difficulty();
        }
        enqueue(s, m, null);
    }

    private static void emitLine(Session s, byte[] line) {
        enqueue(s, null, line);
    }

    /** Sends now, unless earlier output still waits (a durable sink), in which case it queues behind it. */
    private static void enqueue(Session s, PoolMessage m, byte[] line) {
        if (s.outgoing.isEmpty()) {
            if (line != null) {
                s.connection.sendLine(line);
            } else {
                s.connection.send(m);
            }
            return;
        }
        Session.Outgoing o = new Session.Outgoing();
        o.message = m;
        o.line = line;
        o.ready = true;
        s.outgoing.add(o);
    }

    private static Session.Outgoing hold(Session s) {
        Session.Outgoing o = new Session.Outgoing();
        s.outgoing.add(o);
        return o;
    }

    private static void fill(Session s, Session.Outgoing slot, PoolMessage m) {
        slot.message = m;
        slot.ready = true;
        while (!s.outgoing.isEmpty() && s.outgoing.peek().ready) {
            Session.Outgoing o = s.outgoing.poll();
            if (o.line != null) {
                s.connection.sendLine(o.line);
            } else {
                s.connection.send(o.message);
            }
        }
    }

    private void close(Session s, String reason) {
        closed(s);
        s.connection.close(reason);
    }

    // ------------------------------------------------------------------ stats

    /**
     * Open subscribed sessions by miner software (the user agent's name before its version, e.g.
     * {@code cgminer}; {@code unknown} without one; at most 64 names, then {@code other}).
     */
    public Map<String, Long> minerSoftware() {
        return core.minerSoftware();
    }

    /** Totals since start, for the stats endpoint. */
    public Stats stats() {
        return new Stats(sessionsOpen.sum(), core.acceptedTotal(), core.rejectedTotals(), core.blocksFound(), core.jobCount());
    }

    /**
     * Engine totals.
     *
     * @param sessions open sessions
     * @param accepted accepted shares
     * @param rejected rejected shares by {@link RejectReason#ordinal()}
     * @param blocks   blocks found
     * @param jobs     jobs in the job book
     */
    public record Stats(long sessions, long accepted, long[] rejected, long blocks, int jobs) {
        /** Rejected shares for one reason. */
        public long rejected(RejectReason reason) {
            return rejected[reason.ordinal()];
        }
    }

    /** Engine settings, checked when built. */
    public static final class Builder {
        private Clock clock;
        private Authorizer authorizer = Authorizer.acceptWellFormed();
        private ShareSink shareSink = ShareSink.discard();
        private BlockSubmitter blockSubmitter;
        private DifficultyPolicy difficultyPolicy = Vardiff.builder().build();
        private Difficulty initialDifficulty = Difficulty.of(1);
        private ExtranonceAllocator extranonces;
        private BanPolicy banPolicy = BanPolicy.invalidShares(100, 0.9, Duration.ofMinutes(1), Duration.ofMinutes(10));
        private Payouts payouts;
        private boolean payoutPerWorker;
        private PowFunction pow = PowFunction.sha256d();
        private int versionMask = 0x1fffe000;
        private CoinbaseBuilder coinbaseBuilder = CoinbaseBuilder.defaults().withPoolTag("/stratum4j/");
        private int instanceId;
        private int maxJobs = JobBook.DEFAULT_MAX_JOBS;
        private Duration maxJobAge = JobBook.DEFAULT_MAX_AGE;

        private Builder() {
        }

        /** Where time comes from (required). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Who may submit (default: any well-formed worker name). */
        public Builder authorizer(Authorizer a) {
            this.authorizer = Objects.requireNonNull(a, "authorizer");
            return this;
        }

        /** Where shares go (default: nowhere). */
        public Builder shareSink(ShareSink s) {
            this.shareSink = Objects.requireNonNull(s, "shareSink");
            return this;
        }

        /** Where blocks go (required). */
        public Builder blockSubmitter(BlockSubmitter b) {
            this.blockSubmitter = Objects.requireNonNull(b, "blockSubmitter");
            return this;
        }

        /** How difficulty is chosen (default: {@link Vardiff} with its defaults). */
        public Builder difficultyPolicy(DifficultyPolicy p) {
            this.difficultyPolicy = Objects.requireNonNull(p, "difficultyPolicy");
            return this;
        }

        /** A new session's difficulty before vardiff or the miner changes it (default 1). */
        public Builder initialDifficulty(Difficulty d) {
            this.initialDifficulty = Objects.requireNonNull(d, "initialDifficulty");
            return this;
        }

        /** Extranonce1 values (default: 4 bytes, instance 0). */
        public Builder extranonces(ExtranonceAllocator e) {
            this.extranonces = Objects.requireNonNull(e, "extranonces");
            return this;
        }

        /** When to ban (default: 100 invalid shares making 90% of a minute's shares → 10 minutes). */
        public Builder banPolicy(BanPolicy b) {
            this.banPolicy = Objects.requireNonNull(b, "banPolicy");
            return this;
        }

        /** The coinbase outputs of each template's job (required). */
        public Builder payouts(Payouts p) {
            this.payouts = Objects.requireNonNull(p, "payouts");
            return this;
        }

        /** The proof-of-work function (default sha256d). */
        public Builder pow(PowFunction p) {
            this.pow = Objects.requireNonNull(p, "pow");
            return this;
        }

        /** The pool's version-rolling mask (default {@code 1fffe000}, BIP320; 0 refuses rolling). */
        public Builder versionMask(int mask) {
            this.versionMask = mask;
            return this;
        }

        /** Coinbase layout; its extranonce1 size must equal the allocator's (default: tag "/stratum4j/", 4 + 8). */
        public Builder coinbaseBuilder(CoinbaseBuilder c) {
            this.coinbaseBuilder = Objects.requireNonNull(c, "coinbaseBuilder");
            return this;
        }

        /**
         * Each connection's coinbase pays the script its first authorized worker was given by the
         * {@link Authorizer} ({@link Authorizer.Result#payingTo}), through
         * {@link Payouts#outputsFor(org.stratum4j.core.job.BlockTemplate, byte[])}: solo mining to
         * the address in the worker name. Jobs go out only after that authorization; a worker the
         * authorizer gives no script is refused. Default false: every job pays
         * {@link Payouts#outputsFor(org.stratum4j.core.job.BlockTemplate)}.
         */
        public Builder payoutPerWorker(boolean perWorker) {
            this.payoutPerWorker = perWorker;
            return this;
        }

        /**
         * This process's number among the pool processes that serve the same miners, for example
         * behind one load balancer (0..255, default 0): job ids end with it, and the default
         * extranonce allocator puts it in the first byte of every extranonce1, so neither collides
         * across processes (a miner that moves to another process can never have its old work
         * taken for new).
         */
        public Builder instanceId(int id) {
            if (id < 0 || id > 255) {
                throw new IllegalArgumentException("instance id " + id + " is outside 0..255");
            }
            this.instanceId = id;
            return this;
        }

        /** Job book bounds (defaults 4096 jobs, 5 minutes). */
        public Builder jobRetention(int maxJobs, Duration maxAge) {
            JobBook.builder().maxJobs(maxJobs).maxAge(maxAge);
            this.maxJobs = maxJobs;
            this.maxJobAge = maxAge;
            return this;
        }

        /** The engine. */
        public PoolEngine build() {
            if (clock == null) {
                throw new IllegalArgumentException("the engine needs a clock");
            }
            if (payouts == null) {
                throw new IllegalArgumentException("the engine needs payouts (the coinbase outputs of its jobs)");
            }
            if (blockSubmitter == null) {
                throw new IllegalArgumentException("the engine needs a block submitter: a found block must go somewhere");
            }
            if (extranonces == null) {
                extranonces = ExtranonceAllocator.sequential(coinbaseBuilder.extranonce1Size(), instanceId);
            }
            if (extranonces.size() != coinbaseBuilder.extranonce1Size()) {
                throw new IllegalArgumentException("extranonce1 is " + extranonces.size() + " bytes but the coinbase has room for "
                        + coinbaseBuilder.extranonce1Size());
            }
            initialDifficulty = DifficultyPolicy.clamp(initialDifficulty, difficultyPolicy.minimum(), difficultyPolicy.maximum());
            return new PoolEngine(this);
        }
    }
}
