package org.stratum4j.core.sv2;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.Authorizer;
import org.stratum4j.core.engine.DifficultyPolicy;
import org.stratum4j.core.engine.PoolCore;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.engine.ShareRefusedException;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.RequestId;
import org.stratum4j.core.protocol.StratumError;
import org.stratum4j.core.protocol.Submit;
import org.stratum4j.core.share.RejectReason;
import org.stratum4j.core.share.Verdict;
import org.stratum4j.core.sv2.Sv2Message.CloseChannel;
import org.stratum4j.core.sv2.Sv2Message.NewExtendedMiningJob;
import org.stratum4j.core.sv2.Sv2Message.NewMiningJob;
import org.stratum4j.core.sv2.Sv2Message.OpenExtendedMiningChannel;
import org.stratum4j.core.sv2.Sv2Message.OpenExtendedMiningChannelSuccess;
import org.stratum4j.core.sv2.Sv2Message.OpenMiningChannelError;
import org.stratum4j.core.sv2.Sv2Message.OpenStandardMiningChannel;
import org.stratum4j.core.sv2.Sv2Message.OpenStandardMiningChannelSuccess;
import org.stratum4j.core.sv2.Sv2Message.SetNewPrevHash;
import org.stratum4j.core.sv2.Sv2Message.SetTarget;
import org.stratum4j.core.sv2.Sv2Message.SetupConnection;
import org.stratum4j.core.sv2.Sv2Message.SetupConnectionError;
import org.stratum4j.core.sv2.Sv2Message.SetupConnectionSuccess;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesError;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesExtended;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesStandard;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesSuccess;
import org.stratum4j.core.sv2.Sv2Message.Unknown;
import org.stratum4j.core.sv2.Sv2Message.UpdateChannel;
import org.stratum4j.core.sv2.Sv2Session.Channel;

/**
 * The Stratum V2 Mining Protocol front-end of a pool, on the same {@link PoolCore} as its V1
 * {@link PoolEngine}: a V2 channel mines the same jobs, its shares are judged by the same validator
 * against the same job book and duplicate filters, go to the same sink, and its blocks take the
 * same path. Only the protocol differs.
 *
 * <ul>
 *   <li><b>Standard channels</b> (header-only devices) get an extranonce1 of their own and a fixed
 *       extranonce2 of zeros; each job reaches them as {@code NewMiningJob} with the merkle root the
 *       pool computed for that coinbase.</li>
 *   <li><b>Extended channels</b> (proxies, rolling miners) get the extranonce1 as their
 *       {@code extranonce_prefix} and roll the job's extranonce2 bytes; jobs reach them as
 *       {@code NewExtendedMiningJob} with the coinbase around the extranonce and the merkle path.</li>
 *   <li>A job on a new previous block goes out as a future job followed by {@code SetNewPrevHash};
 *       one on the same block is sent active ({@code min_ntime} set).</li>
 *   <li>Vardiff (the engine's {@link DifficultyPolicy}, per channel) speaks through
 *       {@code SetTarget}. As in V1, a share is judged at the easier of the current target and the
 *       one in force when its job was sent, and never above the device's {@code max_target}.</li>
 *   <li>Every share is answered at once and truthfully: {@code SubmitShares.Success} (one per
 *       share, after a durable sink has it) or {@code SubmitShares.Error} with the spec's codes:
 *       {@code invalid-channel-id}, {@code invalid-job-id}, {@code stale-share},
 *       {@code difficulty-too-low}, {@code duplicate-share}, and {@code bad-extranonce-size},
 *       {@code invalid-timestamp}, {@code invalid-version} for the checks V1 answers with 20.</li>
 * </ul>
 *
 * <p>Calls mirror {@link PoolEngine}'s: {@link #open}, {@link #receive}, {@link #tick},
 * {@link #closed} on the connection's loop; {@link #deliver} with each announcement from
 * {@link PoolCore#newTemplate}. Time comes from the core's clock.
 */
public final class Sv2Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Sv2Engine.class);
    /** Seconds between shares that a channel's opening difficulty aims at, from its nominal hash rate. */
    private static final double OPENING_SHARE_SECONDS = 10;
    private static final double HASHES_PER_DIFFICULTY = 4_294_967_296.0;

    private final PoolCore core;
    private final LongAdder connections = new LongAdder();
    private final LongAdder channels = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    private Sv2Engine(PoolCore core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    /** A V2 front-end sharing {@code engine}'s core: jobs, validation, sink and block path. */
    public static Sv2Engine on(PoolEngine engine) {
        return new Sv2Engine(engine.core());
    }

    /** A V2 front-end on a core. */
    public static Sv2Engine on(PoolCore core) {
        return new Sv2Engine(core);
    }

    /** The core this front-end shares. */
    public PoolCore core() {
        return core;
    }

    // ------------------------------------------------------------------ connections

    /** A connection finished its Noise handshake. */
    public Sv2Session open(Sv2Connection connection) {
        Objects.requireNonNull(connection, "connection");
        connections.increment();
        return new Sv2Session(core.nextSessionId(), connection, core.clock().instant());
    }

    /** The connection ended; frees its channels' extranonces. */
    public void closed(Sv2Session s) {
        if (s.closed) {
            return;
        }
        s.closed = true;
        connections.decrement();
        if (s.software != null) {
            core.softwareClosed(s.software);
        }
        for (Channel c : s.channels.values()) {
            core.releaseExtranonce1(c.extranonce1);
            channels.decrement();
        }
        s.channels.clear();
        s.outgoing.clear();
        s.held.clear();
    }

    /** Periodic work (vardiff without shares); call every few seconds. */
    public void tick(Sv2Session s) {
        if (s.closed) {
            return;
        }
        Instant now = core.clock().instant();
        for (Channel c : s.channels.values()) {
            Difficulty changed = c.difficulty.onTick(now);
            if (changed != null) {
                targetChanged(s, c);
            }
        }
    }

    /** One decoded message from the client. */
    public void receive(Sv2Session s, Sv2Message m) {
        if (s.closed) {
            return;
        }
        if (s.awaitingAuthorization) {
            if (s.held.size() >= Sv2Session.MAX_HELD) {
                close(s, "Stratum V2: more than " + Sv2Session.MAX_HELD + " messages while a channel's authorization was pending");
                return;
            }
            s.held.add(m);
            return;
        }
        dispatch(s, m);
    }

    private void dispatch(Sv2Session s, Sv2Message m) {
        if (!s.setUp) {
            if (m instanceof SetupConnection setup) {
                setup(s, setup);
            } else {
                LOG.debug("{}: first message was type 0x{}, not SetupConnection", s.connection.remoteAddress(),
                        Integer.toHexString(m.messageType()));
                close(s, "Stratum V2: the first message must be SetupConnection");
            }
            return;
        }
        if (m instanceof SubmitSharesStandard sub) {
            submit(s, sub.channelId(), sub.sequenceNumber(), sub.jobId(), sub.nonce(), sub.ntime(), sub.version(), null);
        } else if (m instanceof SubmitSharesExtended sub) {
            submit(s, sub.channelId(), sub.sequenceNumber(), sub.jobId(), sub.nonce(), sub.ntime(), sub.version(), sub.extranonce());
        } else if (m instanceof OpenStandardMiningChannel o) {
            openChannel(s, o.requestId(), o.userIdentity(), o.nominalHashRate(), o.maxTarget(), false, 0);
        } else if (m instanceof OpenExtendedMiningChannel o) {
            openChannel(s, o.requestId(), o.userIdentity(), o.nominalHashRate(), o.maxTarget(), true, o.minExtranonceSize());
        } else if (m instanceof UpdateChannel u) {
            update(s, u);
        } else if (m instanceof CloseChannel c) {
            Channel channel = s.channels.remove(c.channelId());
            if (channel != null) {
                core.releaseExtranonce1(channel.extranonce1);
                channels.decrement();
            }
        } else if (m instanceof Unknown u) {
            // Unknown messages (extensions never negotiated, job declaration on a mining port) are ignored, as the spec says.
            LOG.debug("{}: ignoring message type 0x{} of extension 0x{}", s.connection.remoteAddress(),
                    Integer.toHexString(u.messageType()), Integer.toHexString(u.extensionType()));
        } else if (m instanceof SetupConnection) {
            close(s, "Stratum V2: a second SetupConnection");
        } else {
            close(s, "Stratum V2: a client sent " + m.getClass().getSimpleName() + ", which only servers send");
        }
    }

    private void setup(Sv2Session s, SetupConnection setup) {
        if (setup.protocol() != Sv2Message.MINING_PROTOCOL) {
            emit(s, new SetupConnectionError(0, "unsupported-protocol"));
            // Close reasons are counted by text, so they never carry the peer's values.
            LOG.debug("{}: SetupConnection for protocol {}", s.connection.remoteAddress(), setup.protocol());
            close(s, "Stratum V2: not the Mining Protocol");
            return;
        }
        if (setup.minVersion() > Sv2Message.PROTOCOL_VERSION || setup.maxVersion() < Sv2Message.PROTOCOL_VERSION) {
            emit(s, new SetupConnectionError(0, "protocol-version-mismatch"));
            close(s, "Stratum V2: protocol version mismatch");
            return;
        }
        int unsupported = setup.flags() & Sv2Message.REQUIRES_WORK_SELECTION;
        if (core.versionMask() == 0) {
            unsupported |= setup.flags() & Sv2Message.REQUIRES_VERSION_ROLLING;
        }
        if (unsupported != 0) {
            // The spec asks for the full set of flags we refuse, so a client can learn them all at once.
            int all = Sv2Message.REQUIRES_WORK_SELECTION | (core.versionMask() == 0 ? Sv2Message.REQUIRES_VERSION_ROLLING : 0);
            emit(s, new SetupConnectionError(all, "unsupported-feature-flags"));
            close(s, "Stratum V2: unsupported feature flags");
            return;
        }
        s.setUp = true;
        s.setupFlags = setup.flags();
        s.software = core.softwareOpened(setup.vendor(), " (Stratum V2)");
        emit(s, new SetupConnectionSuccess(Sv2Message.PROTOCOL_VERSION, core.versionMask() == 0 ? Sv2Message.REQUIRES_FIXED_VERSION : 0));
    }

    // ------------------------------------------------------------------ channels

    private void openChannel(Sv2Session s, int requestId, String user, float hashRate, Target maxTarget, boolean extended,
                             int minExtranonceSize) {
        if (!Authorizer.wellFormed(user)) {
            emit(s, new OpenMiningChannelError(requestId, "invalid-user-identity"));
            return;
        }
        if (extended && minExtranonceSize > core.extranonce2Size()) {
            emit(s, new OpenMiningChannelError(requestId, "min-extranonce-size-too-large"));
            return;
        }
        if (s.channels.size() >= Sv2Session.MAX_CHANNELS) {
            emit(s, new OpenMiningChannelError(requestId, "too-many-channels"));
            return;
        }
        DifficultyPolicy policy = core.difficultyPolicy();
        if (maxTarget.compareTo(policy.maximum().toTarget()) < 0) {
            // The device cannot take even our hardest difficulty.
            emit(s, new OpenMiningChannelError(requestId, "max-target-out-of-range"));
            return;
        }
        CompletionStage<Authorizer.Result> stage;
        try {
            stage = core.authorizer().authorize(new Authorizer.Request(user, "", s.connection.remoteAddress()));
        } catch (RuntimeException e) {
            LOG.warn("authorizer failed for worker {}: {}", user, e.toString());
            stage = CompletableFuture.completedFuture(Authorizer.Result.refused("authorization failed"));
        }
        CompletableFuture<Authorizer.Result> f = stage.toCompletableFuture();
        Runnable open = () -> {
            Authorizer.Result r = f.isCompletedExceptionally() ? null : f.join();
            authorized(s, requestId, user, hashRate, maxTarget, extended, r);
        };
        if (f.isDone()) {
            open.run();
            return;
        }
        s.awaitingAuthorization = true;
        stage.whenComplete((r, e) -> s.connection.execute(() -> {
            s.awaitingAuthorization = false;
            if (s.closed) {
                return;
            }
            open.run();
            while (!s.awaitingAuthorization && !s.closed && !s.held.isEmpty()) {
                dispatch(s, s.held.poll());
            }
        }));
    }

    private void authorized(Sv2Session s, int requestId, String user, float hashRate, Target maxTarget, boolean extended,
                            Authorizer.Result result) {
        if (result == null || !result.authorized()) {
            emit(s, new OpenMiningChannelError(requestId, "unknown-user"));
            return;
        }
        if (core.payoutPerWorker() && result.payoutScript() == null) {
            emit(s, new OpenMiningChannelError(requestId, "unknown-user"));
            return;
        }
        byte[] en1;
        try {
            en1 = core.allocateExtranonce1();
        } catch (IllegalStateException e) {
            emit(s, new OpenMiningChannelError(requestId, "no-extranonce-space"));
            return;
        }
        Instant now = core.clock().instant();
        DifficultyPolicy policy = core.difficultyPolicy();
        Difficulty start = core.initialDifficulty();
        if (hashRate > 0 && Float.isFinite(hashRate)) {
            start = DifficultyPolicy.clamp(Difficulty.of(hashRate * OPENING_SHARE_SECONDS / HASHES_PER_DIFFICULTY),
                    policy.minimum(), policy.maximum());
        }
        DifficultyPolicy.Controller controller = policy.start(start, now);
        if (maxTarget.compareTo(policy.minimum().toTarget()) < 0) {
            controller.setFloor(Difficulty.of(maxTarget.difficulty()), now);
        }
        int channelId = s.nextChannelId++;
        byte[] en2 = extended ? null : new byte[core.extranonce2Size()];
        Channel c = new Channel(channelId, extended, user, en1, Hex.encode(en1), en2, controller, maxTarget, core.versionMask());
        if (result.payoutScript() != null) {
            c.payoutScript = result.payoutScript();
            c.payoutKey = Hex.encode(c.payoutScript);
        }
        s.channels.put(channelId, c);
        channels.increment();
        c.target = c.currentTarget();
        if (extended) {
            emit(s, new OpenExtendedMiningChannelSuccess(requestId, channelId, c.target, core.extranonce2Size(), en1, 0));
        } else {
            byte[] prefix = new byte[en1.length + en2.length];
            System.arraycopy(en1, 0, prefix, 0, en1.length);
            emit(s, new OpenStandardMiningChannelSuccess(requestId, channelId, c.target, prefix, 0));
        }
        Announcement a = core.latest();
        if (a != null) {
            send(s, c, a);
        }
    }

    private void update(Sv2Session s, UpdateChannel u) {
        Channel c = s.channels.get(u.channelId());
        if (c == null) {
            emit(s, new Sv2Message.UpdateChannelError(u.channelId(), "invalid-channel-id"));
            return;
        }
        if (u.maximumTarget().compareTo(core.difficultyPolicy().maximum().toTarget()) < 0) {
            emit(s, new Sv2Message.UpdateChannelError(u.channelId(), "max-target-out-of-range"));
            return;
        }
        Target before = c.currentTarget();
        c.maxTarget = u.maximumTarget();
        if (c.maxTarget.compareTo(core.difficultyPolicy().minimum().toTarget()) < 0) {
            c.difficulty.setFloor(Difficulty.of(c.maxTarget.difficulty()), core.clock().instant());
        }
        if (!c.currentTarget().equals(before)) {
            targetChanged(s, c);
        }
    }

    // ------------------------------------------------------------------ jobs

    /** Sends an announced job to every channel of the session (on its loop). */
    public void deliver(Sv2Session s, Announcement a) {
        if (s.closed) {
            return;
        }
        for (Channel c : s.channels.values()) {
            // A channel opened after the job was announced got it then (transports fan out a slice at a time).
            if (!a.job().id().equals(c.lastBaseId())) {
                send(s, c, a);
            }
        }
    }

    private void send(Sv2Session s, Channel c, Announcement a) {
        Announcement mine = a;
        if (core.payoutPerWorker()) {
            mine = c.payoutKey == null ? null : core.variant(a, c.payoutKey, c.payoutScript);
            if (mine == null) {
                return;
            }
        }
        Job job = mine.job();
        boolean newBlock = !job.previousBlockHash().equals(c.prevHash);
        int jobId = c.remember(job, a.job().id(), c.target);
        OptionalInt minNtime = newBlock ? OptionalInt.empty() : OptionalInt.of((int) job.ntime());
        if (c.extended) {
            emit(s, new NewExtendedMiningJob(c.id, jobId, minNtime, job.version(), c.versionMask != 0, job.merkleBranch().steps(),
                    job.coinbase().coinb1(), job.coinbase().coinb2()));
        } else {
            emit(s, new NewMiningJob(c.id, jobId, minNtime, job.version(), job.merkleRoot(c.extranonce1, c.fixedExtranonce2)));
        }
        if (newBlock) {
            c.prevHash = job.previousBlockHash();
            emit(s, new SetNewPrevHash(c.id, jobId, job.previousBlockHash(), (int) job.ntime(), job.bits().value()));
        }
    }

    private void targetChanged(Sv2Session s, Channel c) {
        c.target = c.currentTarget();
        emit(s, new SetTarget(c.id, c.target));
    }

    // ------------------------------------------------------------------ shares

    private void submit(Sv2Session s, int channelId, int sequence, int jobId, int nonce, int ntime, int version, byte[] extranonce) {
        Instant now = core.clock().instant();
        Channel c = s.channels.get(channelId);
        if (c == null) {
            // Not a share of any channel (no worker to charge it to): answered, not counted.
            emit(s, new SubmitSharesError(channelId, sequence, "invalid-channel-id"));
            return;
        }
        int slot = c.sent(jobId);
        if (slot < 0) {
            refuse(s, c, sequence, "invalid-job-id", RejectReason.JOB_NOT_FOUND, null, null, Integer.toUnsignedString(jobId), null, null, ntime,
                    nonce, version, now);
            return;
        }
        Job job = c.sentJobs[slot];
        String baseId = c.sentBaseIds[slot];
        byte[] en2 = c.extended ? (extranonce == null ? new byte[0] : extranonce) : c.fixedExtranonce2;
        if (!job.previousBlockHash().equals(c.prevHash)) {
            refuse(s, c, sequence, "stale-share", RejectReason.JOB_NOT_FOUND, null, null, job.id(), baseId, en2, ntime, nonce, version, now);
            return;
        }
        if (((version ^ job.version()) & ~c.versionMask) != 0) {
            refuse(s, c, sequence, "invalid-version", RejectReason.VERSION_BITS_OUTSIDE_MASK, null, null, job.id(), baseId, en2, ntime, nonce,
                    version, now);
            return;
        }
        Target judged = Target.max(c.target, c.sentTargets[slot]);
        Submit share = c.versionMask == 0
                ? Submit.of(RequestId.NULL, c.worker, job.id(), en2, ntime, nonce)
                : Submit.of(RequestId.NULL, c.worker, job.id(), en2, ntime, nonce, version & c.versionMask);
        Verdict v = core.check(job, baseId, c.extranonce1, share, c.versionMask, judged, c.roots);
        if (!v.isAccepted()) {
            refuse(s, c, sequence, code(v.rejectReason()), v.rejectReason(), v, judged, job.id(), baseId, en2, ntime, nonce, version, now);
            return;
        }
        if (v.isBlock()) {
            core.block(job, c.extranonce1, en2, v, c.worker);
        }
        Target credited = judged;
        Target harder = Target.min(c.target, c.sentTargets[slot]);
        if (!harder.equals(judged) && harder.isMetBy(v.hash())) {
            credited = harder; // as in V1: work mined at the harder target is worth it
        }
        double difficulty = credited.difficulty();
        // One Difficulty per share, for the event and for vardiff alike.
        Difficulty creditedDifficulty = Difficulty.of(difficulty);
        c.accepted++;
        c.acceptedDifficulty += difficulty;
        s.windowAccepted++;
        accepted.increment();
        core.accepted();
        CompletionStage<Void> stored = core.record(event(s, c, v, creditedDifficulty, null, job.id(), baseId, en2, ntime, nonce, version, now));
        // new_shares_sum is a U64: the credited difficulty, rounded (0 for shares easier than ½, which the count still counts).
        SubmitSharesSuccess ok = new SubmitSharesSuccess(c.id, sequence, 1, Math.round(difficulty));
        if (core.durableSink()) {
            Sv2Session.Outgoing held = hold(s);
            CompletableFuture<Void> f = stored.toCompletableFuture();
            if (f.isDone()) {
                fill(s, held, f.isCompletedExceptionally() ? new SubmitSharesError(c.id, sequence, notStored(f.handle((r, e) -> e).join()))
                        : ok);
            } else {
                stored.whenComplete((r, e) -> s.connection.execute(() -> {
                    if (!s.closed) {
                        fill(s, held, e != null ? new SubmitSharesError(c.id, sequence, notStored(e)) : ok);
                    }
                }));
            }
        } else {
            emit(s, ok);
        }
        Difficulty changed = c.difficulty.onAccepted(creditedDifficulty, now);
        if (changed != null) {
            targetChanged(s, c);
        }
    }

    private void refuse(Sv2Session s, Channel c, int sequence, String code, RejectReason reason, Verdict v, Target judged, String jobId,
                        String baseId, byte[] en2, int ntime, int nonce, int version, Instant now) {
        c.rejected++;
        rejected.increment();
        core.rejected(reason);
        core.record(event(s, c, v, Difficulty.of((judged == null ? c.target : judged).difficulty()), reason, jobId, baseId, en2, ntime,
                nonce, version, now));
        emit(s, new SubmitSharesError(c.id, sequence, code));
        if (reason != RejectReason.JOB_NOT_FOUND) {
            if (Duration.between(s.windowStart, now).compareTo(core.banPolicy().window()) > 0) {
                s.windowStart = now;
                s.windowAccepted = 0;
                s.windowRejected = 0;
            }
            s.windowRejected++;
            Duration ban = core.banPolicy().judge(s.windowAccepted, s.windowRejected);
            if (ban != null) {
                LOG.warn("banning {} for {}: {} rejected and {} accepted shares in the last {}", s.connection.remoteAddress(), ban,
                        s.windowRejected, s.windowAccepted, core.banPolicy().window());
                closed(s);
                s.connection.ban(ban, "too many invalid shares");
            }
        }
    }

    /**
     * The SV2 error code for an accepted share the durable sink did not take: the V1 verdict of a
     * {@link ShareRefusedException} (an upstream's, behind a proxy) in V2 terms, else
     * {@code share-not-stored}.
     */
    static String notStored(Throwable failure) {
        ShareRefusedException refused = ShareRefusedException.in(failure);
        if (refused == null) {
            return "share-not-stored";
        }
        return switch (refused.error().code()) {
            case StratumError.CODE_JOB_NOT_FOUND -> "stale-share";
            case StratumError.CODE_DUPLICATE_SHARE -> "duplicate-share";
            case StratumError.CODE_LOW_DIFFICULTY -> "difficulty-too-low";
            case StratumError.CODE_UNAUTHORIZED_WORKER -> "unauthorized-worker";
            default -> "invalid-share";
        };
    }

    /** The SV2 error code for a verdict. */
    static String code(RejectReason reason) {
        return switch (reason) {
            case JOB_NOT_FOUND -> "stale-share";
            case DUPLICATE -> "duplicate-share";
            case LOW_DIFFICULTY -> "difficulty-too-low";
            case NTIME_OUT_OF_RANGE -> "invalid-timestamp";
            case VERSION_BITS_OUTSIDE_MASK -> "invalid-version";
            case EXTRANONCE2_SIZE -> "bad-extranonce-size";
            default -> "invalid-share";
        };
    }

    private ShareEvent event(Sv2Session s, Channel c, Verdict v, Difficulty judged, RejectReason reason, String jobId, String baseId,
                             byte[] en2, int ntime, int nonce, int version, Instant now) {
        return new ShareEvent(now, s.id, s.connection.remoteAddress(), c.worker, jobId, baseId, c.extranonce1Hex,
                en2 == null ? null : Hex.encode(en2), ntime, nonce, version, judged,
                v == null ? null : v.hash(), v == null ? 0 : v.shareDifficulty(), reason, v != null && v.isBlock());
    }

    // ------------------------------------------------------------------ output, in order

    private static void emit(Sv2Session s, Sv2Message m) {
        if (s.outgoing.isEmpty()) {
            s.connection.send(m);
            return;
        }
        Sv2Session.Outgoing o = new Sv2Session.Outgoing();
        o.message = m;
        o.ready = true;
        s.outgoing.add(o);
    }

    private static Sv2Session.Outgoing hold(Sv2Session s) {
        Sv2Session.Outgoing o = new Sv2Session.Outgoing();
        s.outgoing.add(o);
        return o;
    }

    private static void fill(Sv2Session s, Sv2Session.Outgoing slot, Sv2Message m) {
        slot.message = m;
        slot.ready = true;
        while (!s.outgoing.isEmpty() && s.outgoing.peek().ready) {
            s.connection.send(s.outgoing.poll().message);
        }
    }

    private void close(Sv2Session s, String reason) {
        closed(s);
        s.connection.close(reason);
    }

    // ------------------------------------------------------------------ stats

    /** Totals of this front-end: V2 connections and channels open, and V2 shares since start. */
    public Stats stats() {
        return new Stats(connections.sum(), channels.sum(), accepted.sum(), rejected.sum());
    }

    /**
     * Stratum V2 totals.
     *
     * @param connections open V2 connections (after the handshake)
     * @param channels    open mining channels
     * @param accepted    accepted V2 shares since start
     * @param rejected    rejected V2 shares since start
     */
    public record Stats(long connections, long channels, long accepted, long rejected) {
    }

    /** Open channels' workers of a session, for logs and tests. */
    static List<String> workers(Sv2Session s) {
        List<String> out = new ArrayList<>();
        for (Channel c : s.channels.values()) {
            out.add(c.worker);
        }
        return out;
    }
}
