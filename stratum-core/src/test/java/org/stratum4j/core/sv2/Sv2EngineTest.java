package org.stratum4j.core.sv2;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Sha256;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.Authorizer;
import org.stratum4j.core.engine.DifficultyPolicy;
import org.stratum4j.core.engine.FoundBlock;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.share.RejectReason;
import org.stratum4j.core.sv2.Sv2Message.*;
import org.stratum4j.core.testing.MutableClock;

/**
 * The V2 front-end on a real engine: setup, standard and extended channels, every share verdict,
 * blocks, targets, and V1 and V2 miners on the same jobs. The miner side is computed here from the
 * messages alone, as the spec tells a device to (coinbase = prefix ‖ extranonce_prefix ‖
 * extranonce ‖ suffix; the merkle path folded from the deepest), so the pool's merkle roots are
 * checked against an independent computation.
 */
class Sv2EngineTest {

    static final long T0 = 1_700_000_000L;
    static final byte[] PAY = Hex.decode("0014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc");
    static final Difficulty EASY = Difficulty.of("0.000000001");

    final MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
    final List<FoundBlock> blocks = new ArrayList<>();
    final List<ShareEvent> events = new ArrayList<>();
    Authorizer authorizer = Authorizer.acceptWellFormed();
    PoolEngine engine = PoolEngine.builder().clock(clock)
            .payouts(t -> List.of(CoinbaseOutput.of(t.coinbaseValue(), PAY)))
            .blockSubmitter(b -> {
                blocks.add(b);
                return CompletableFuture.completedFuture(Optional.empty());
            })
            .shareSink(e -> {
                events.add(e);
                return CompletableFuture.completedFuture(null);
            })
            .authorizer(r -> authorizer.authorize(r))
            .difficultyPolicy(DifficultyPolicy.fixed(Difficulty.of("1e-12"), Difficulty.of(1L << 40)))
            .initialDifficulty(EASY)
            .build();
    final Sv2Engine sv2 = Sv2Engine.on(engine);

    /** A connection that keeps what the engine sends. */
    static final class Wire implements Sv2Connection {
        final List<Sv2Message> sent = new ArrayList<>();
        String closed;
        Duration banned;

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public void send(Sv2Message message) {
            // Every message must survive the wire: encode and decode it as a peer would.
            byte[] frame = Sv2Codec.encodeFrame(message);
            try {
                sent.add(Sv2Codec.decode(Sv2Codec.headerExtensionType(frame, 0), Sv2Codec.headerMessageType(frame, 0), frame, 6,
                        frame.length - 6));
            } catch (Sv2DecodeException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close(String reason) {
            closed = reason;
        }

        @Override
        public void ban(Duration duration, String reason) {
            banned = duration;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        List<Sv2Message> take() {
            List<Sv2Message> out = new ArrayList<>(sent);
            sent.clear();
            return out;
        }

        <T extends Sv2Message> T last(Class<T> type) {
            List<Sv2Message> all = take();
            assertThat(all).isNotEmpty();
            return type.cast(all.get(all.size() - 1));
        }
    }

    static BlockTemplate template(int tip, int bits) {
        byte[] prev = new byte[32];
        prev[31] = (byte) tip;
        return BlockTemplate.builder().previousBlockHash(Sha256Hash.fromInternalBytes(prev)).bits(CompactBits.of(bits))
                .height(200 + tip).curTime(T0).minTime(T0 - 600).coinbaseValue(5_000_000_000L).build();
    }

    record Client(Wire wire, Sv2Session session) {
    }

    Client setUp(int flags) {
        Wire w = new Wire();
        Sv2Session s = sv2.open(w);
        sv2.receive(s, new SetupConnection(0, 2, 2, flags, "127.0.0.1", 3336, "test", "cpu", "stratum4j", ""));
        assertThat(w.take()).containsExactly(new SetupConnectionSuccess(2, 0));
        return new Client(w, s);
    }

    /** What a miner keeps from its channel's messages. */
    static final class Work {
        int channelId;
        Target target;
        byte[] prefix;
        int extranonceSize;
        int jobId;
        int version;
        Sha256Hash merkleRoot;
        List<Sha256Hash> path;
        byte[] coinbasePrefix;
        byte[] coinbaseSuffix;
        Sha256Hash prevHash;
        int ntime;
        int bits;

        void take(List<Sv2Message> messages) {
            for (Sv2Message m : messages) {
                if (m instanceof OpenStandardMiningChannelSuccess o) {
                    channelId = o.channelId();
                    target = o.target();
                    prefix = o.extranoncePrefix();
                } else if (m instanceof OpenExtendedMiningChannelSuccess o) {
                    channelId = o.channelId();
                    target = o.target();
                    prefix = o.extranoncePrefix();
                    extranonceSize = o.extranonceSize();
                } else if (m instanceof NewMiningJob j) {
                    jobId = j.jobId();
                    version = j.version();
                    merkleRoot = j.merkleRoot();
                    j.minNtime().ifPresent(t -> ntime = t);
                } else if (m instanceof NewExtendedMiningJob j) {
                    jobId = j.jobId();
                    version = j.version();
                    path = j.merklePath();
                    coinbasePrefix = j.coinbaseTxPrefix();
                    coinbaseSuffix = j.coinbaseTxSuffix();
                    j.minNtime().ifPresent(t -> ntime = t);
                } else if (m instanceof SetNewPrevHash p) {
                    assertThat(p.jobId()).isEqualTo(jobId);
                    prevHash = p.prevHash();
                    ntime = p.minNtime();
                    bits = p.nbits();
                } else if (m instanceof SetTarget t) {
                    target = t.maximumTarget();
                }
            }
        }

        /** The merkle root for an extended job, by the spec's pseudo-code. */
        Sha256Hash root(byte[] extranonce) {
            if (merkleRoot != null && extranonce == null) {
                return merkleRoot;
            }
            byte[] coinbase = concat(coinbasePrefix, prefix, extranonce, coinbaseSuffix);
            byte[] node = Sha256.hashTwice(coinbase, 0, coinbase.length);
            for (Sha256Hash leaf : path) {
                byte[] pair = concat(node, leaf.internalBytes());
                node = Sha256.hashTwice(pair, 0, pair.length);
            }
            return Sha256Hash.fromInternalBytes(node);
        }

        byte[] headerHash(byte[] extranonce, int useVersion, int nonce) {
            byte[] h = new byte[80];
            LittleEndian.writeInt32(h, 0, useVersion);
            prevHash.copyInternalBytesTo(h, 4);
            root(extranonce).copyInternalBytesTo(h, 36);
            LittleEndian.writeInt32(h, 68, ntime);
            LittleEndian.writeInt32(h, 72, bits);
            LittleEndian.writeInt32(h, 76, nonce);
            return Sha256.hashTwice(h, 0, 80);
        }

        int nonceWhere(byte[] extranonce, int useVersion, Predicate<byte[]> wanted) {
            for (int nonce = 0; ; nonce++) {
                if (wanted.test(headerHash(extranonce, useVersion, nonce))) {
                    return nonce;
                }
            }
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    Work openStandard(Client c) {
        sv2.receive(c.session(), new OpenStandardMiningChannel(1, "w1", 0f, Target.MAX));
        Work w = new Work();
        w.take(c.wire().take());
        return w;
    }

    Work openExtended(Client c) {
        sv2.receive(c.session(), new OpenExtendedMiningChannel(2, "proxy1", 0f, Target.MAX, 4));
        Work w = new Work();
        w.take(c.wire().take());
        return w;
    }

    Sv2Message submitStandard(Client c, Work w, int seq, int nonce, int version) {
        sv2.receive(c.session(), new SubmitSharesStandard(w.channelId, seq, w.jobId, nonce, w.ntime, version));
        return c.wire().last(Sv2Message.class);
    }

    @Test
    void aSinksRefusalReachesAV2MinerInV2Terms() {
        assertThat(Sv2Engine.notStored(new java.util.concurrent.CompletionException(
                new org.stratum4j.core.engine.ShareRefusedException(org.stratum4j.core.protocol.StratumError.JOB_NOT_FOUND))))
                .isEqualTo("stale-share");
        assertThat(Sv2Engine.notStored(new org.stratum4j.core.engine.ShareRefusedException(
                org.stratum4j.core.protocol.StratumError.DUPLICATE_SHARE))).isEqualTo("duplicate-share");
        assertThat(Sv2Engine.notStored(new org.stratum4j.core.engine.ShareRefusedException(
                org.stratum4j.core.protocol.StratumError.other("upstream says no")))).isEqualTo("invalid-share");
        assertThat(Sv2Engine.notStored(new java.io.IOException("disk full"))).isEqualTo("share-not-stored");
    }

    @Test
    void setupIsNegotiatedAndAnythingElseFirstCloses() {
        Wire w = new Wire();
        Sv2Session s = sv2.open(w);
        sv2.receive(s, new OpenStandardMiningChannel(1, "w1", 0f, Target.MAX));
        assertThat(w.closed).contains("first message must be SetupConnection");

        Wire w2 = new Wire();
        Sv2Session s2 = sv2.open(w2);
        sv2.receive(s2, new SetupConnection(1, 2, 2, 0, "", 0, "v", "", "", ""));
        assertThat(w2.take()).containsExactly(new SetupConnectionError(0, "unsupported-protocol"));
        assertThat(w2.closed).isNotNull();

        Wire w3 = new Wire();
        Sv2Session s3 = sv2.open(w3);
        sv2.receive(s3, new SetupConnection(0, 3, 4, 0, "", 0, "v", "", "", ""));
        assertThat(w3.take()).containsExactly(new SetupConnectionError(0, "protocol-version-mismatch"));

        Wire w4 = new Wire();
        Sv2Session s4 = sv2.open(w4);
        sv2.receive(s4, new SetupConnection(0, 2, 2, Sv2Message.REQUIRES_WORK_SELECTION | 1, "", 0, "v", "", "", ""));
        assertThat(w4.take()).containsExactly(new SetupConnectionError(Sv2Message.REQUIRES_WORK_SELECTION, "unsupported-feature-flags"));

        Client ok = setUp(Sv2Message.REQUIRES_STANDARD_JOBS | Sv2Message.REQUIRES_VERSION_ROLLING);
        assertThat(ok.session().isSetUp()).isTrue();
        sv2.receive(ok.session(), new SetupConnection(0, 2, 2, 0, "", 0, "v", "", "", ""));
        assertThat(ok.wire().closed).contains("second SetupConnection");
    }

    @Test
    void standardChannelGetsAFutureJobThenThePrevHashAndItsSharesAreJudgedTruthfully() {
        engine.newTemplate(template(1, 0x1d00ffff));
        Client c = setUp(Sv2Message.REQUIRES_STANDARD_JOBS);
        sv2.receive(c.session(), new OpenStandardMiningChannel(1, "w1", 0f, Target.MAX));
        List<Sv2Message> opened = c.wire().take();
        assertThat(opened).hasSize(3);
        OpenStandardMiningChannelSuccess ok = (OpenStandardMiningChannelSuccess) opened.get(0);
        assertThat(ok.extranoncePrefix()).hasSize(engine.core().extranonce1Size() + engine.core().extranonce2Size());
        assertThat(ok.target()).isEqualTo(EASY.toTarget());
        NewMiningJob job = (NewMiningJob) opened.get(1);
        assertThat(job.minNtime()).isEmpty();
        SetNewPrevHash prev = (SetNewPrevHash) opened.get(2);
        assertThat(prev.jobId()).isEqualTo(job.jobId());
        assertThat(prev.prevHash()).isEqualTo(engine.latest().job().previousBlockHash());
        Work w = new Work();
        w.take(opened);

        int good = w.nonceWhere(null, w.version, h -> w.target.isMetBy(h, 0));
        assertThat(submitStandard(c, w, 1, good, w.version)).isEqualTo(new SubmitSharesSuccess(w.channelId, 1, 1, 0));
        assertThat(submitStandard(c, w, 2, good, w.version)).isEqualTo(new SubmitSharesError(w.channelId, 2, "duplicate-share"));
        int bad = w.nonceWhere(null, w.version, h -> !w.target.isMetBy(h, 0));
        assertThat(submitStandard(c, w, 3, bad, w.version)).isEqualTo(new SubmitSharesError(w.channelId, 3, "difficulty-too-low"));
        sv2.receive(c.session(), new SubmitSharesStandard(99, 4, w.jobId, good, w.ntime, w.version));
        assertThat(c.wire().last(Sv2Message.class)).isEqualTo(new SubmitSharesError(99, 4, "invalid-channel-id"));
        sv2.receive(c.session(), new SubmitSharesStandard(w.channelId, 5, w.jobId + 7, good, w.ntime, w.version));
        assertThat(c.wire().last(Sv2Message.class)).isEqualTo(new SubmitSharesError(w.channelId, 5, "invalid-job-id"));
        sv2.receive(c.session(), new SubmitSharesStandard(w.channelId, 6, w.jobId, good, (int) (T0 - 4000), w.version));
        assertThat(c.wire().last(Sv2Message.class)).isEqualTo(new SubmitSharesError(w.channelId, 6, "invalid-timestamp"));

        assertThat(events).extracting(ShareEvent::rejectReason).containsExactly(null, RejectReason.DUPLICATE,
                RejectReason.LOW_DIFFICULTY, RejectReason.JOB_NOT_FOUND, RejectReason.NTIME_OUT_OF_RANGE);
        assertThat(events.get(0).worker()).isEqualTo("w1");
        assertThat(sv2.stats().accepted()).isEqualTo(1);
        assertThat(engine.stats().accepted()).isEqualTo(1);
    }

    @Test
    void versionRollingIsAllowedInsideTheMaskOnly() {
        engine.newTemplate(template(1, 0x1d00ffff));
        Client c = setUp(0);
        Work w = openStandard(c);
        int rolled = w.version | 0x00ab_c000;
        int good = w.nonceWhere(null, rolled, h -> w.target.isMetBy(h, 0));
        assertThat(submitStandard(c, w, 1, good, rolled)).isInstanceOf(SubmitSharesSuccess.class);
        int outside = w.version | 0x4000_0000;
        int n = w.nonceWhere(null, outside, h -> w.target.isMetBy(h, 0));
        assertThat(submitStandard(c, w, 2, n, outside)).isEqualTo(new SubmitSharesError(w.channelId, 2, "invalid-version"));
    }

    @Test
    void aNewBlockMakesOldJobsStaleAndTheNewJobComesAsFutureJobAndPrevHash() {
        engine.newTemplate(template(1, 0x1d00ffff));
        Client c = setUp(0);
        Work old = openStandard(c);
        int good = old.nonceWhere(null, old.version, h -> old.target.isMetBy(h, 0));

        Announcement same = engine.newTemplate(template(1, 0x1d00ffff));
        sv2.deliver(c.session(), same);
        List<Sv2Message> update = c.wire().take();
        assertThat(update).hasSize(1);
        assertThat(((NewMiningJob) update.get(0)).minNtime()).hasValue((int) T0);

        Announcement next = engine.newTemplate(template(2, 0x1d00ffff));
        sv2.deliver(c.session(), next);
        List<Sv2Message> moved = c.wire().take();
        assertThat(moved).hasSize(2);
        assertThat(((NewMiningJob) moved.get(0)).minNtime()).isEmpty();
        assertThat(((SetNewPrevHash) moved.get(1)).prevHash()).isEqualTo(next.job().previousBlockHash());
        assertThat(submitStandard(c, old, 7, good, old.version)).isEqualTo(new SubmitSharesError(old.channelId, 7, "stale-share"));
    }

    @Test
    void extendedChannelRollsItsOwnExtranonceAndTheRootItComputesIsThePools() {
        engine.newTemplate(template(1, 0x1d00ffff));
        Client c = setUp(0);
        Work w = openExtended(c);
        assertThat(w.prefix).hasSize(engine.core().extranonce1Size());
        assertThat(w.extranonceSize).isEqualTo(engine.core().extranonce2Size());
        assertThat(w.coinbasePrefix).isNotEmpty();
        byte[] en2 = Hex.decode("00000000deadbeef");
        int good = w.nonceWhere(en2, w.version, h -> w.target.isMetBy(h, 0));
        sv2.receive(c.session(), new SubmitSharesExtended(w.channelId, 1, w.jobId, good, w.ntime, w.version, en2));
        assertThat(c.wire().last(Sv2Message.class)).isEqualTo(new SubmitSharesSuccess(w.channelId, 1, 1, 0));
        sv2.receive(c.session(), new SubmitSharesExtended(w.channelId, 2, w.jobId, good, w.ntime, w.version, new byte[4]));
        assertThat(c.wire().last(Sv2Message.class)).isEqualTo(new SubmitSharesError(w.channelId, 2, "bad-extranonce-size"));
        assertThat(events.get(0).extranonce2()).isEqualTo("00000000deadbeef");

        sv2.receive(c.session(), new OpenExtendedMiningChannel(3, "proxy1", 0f, Target.MAX, 33));
        assertThat(c.wire().last(Sv2Message.class)).isEqualTo(new OpenMiningChannelError(3, "min-extranonce-size-too-large"));
    }

    @Test
    void aV2BlockGoesToTheNodeAndV1AndV2MinersMineTheSameJob() {
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        org.stratum4j.core.engine.Session v1 = engine.open(new org.stratum4j.core.engine.FakeConnection(1));
        engine.receive(v1, new org.stratum4j.core.protocol.Subscribe(org.stratum4j.core.protocol.RequestId.of(1), "cpuminer", null));
        Client c = setUp(0);
        Work w = openExtended(c);
        byte[] en2 = new byte[8];
        Target network = CompactBits.of(0x207fffff).toTarget();
        int nonce = w.nonceWhere(en2, w.version, h -> network.isMetBy(h, 0));
        sv2.receive(c.session(), new SubmitSharesExtended(w.channelId, 1, w.jobId, nonce, w.ntime, w.version, en2));
        assertThat(c.wire().last(Sv2Message.class)).isInstanceOf(SubmitSharesSuccess.class);
        assertThat(blocks).hasSize(1);
        FoundBlock b = blocks.get(0);
        assertThat(b.job().id()).isEqualTo(a.job().id());
        assertThat(b.worker()).isEqualTo("proxy1");
        assertThat(b.hash().internalBytes()).isEqualTo(w.headerHash(en2, w.version, nonce));
        assertThat(events.get(0).block()).isTrue();
        // The V1 miner was handed the same job (same id) and a different extranonce1.
        assertThat(v1.extranonce1Hex()).isNotEqualTo(Hex.encode(w.prefix));
    }

    @Test
    void targetsFollowTheDevicesMaximumAndUpdates() {
        engine.newTemplate(template(1, 0x1d00ffff));
        Client c = setUp(0);
        Target cap = Difficulty.of(4).toTarget();
        sv2.receive(c.session(), new OpenStandardMiningChannel(1, "w1", 0f, cap));
        Work w = new Work();
        w.take(c.wire().take());
        assertThat(w.target).isEqualTo(cap);
        sv2.receive(c.session(), new UpdateChannel(w.channelId, 0f, Difficulty.of(16).toTarget()));
        assertThat(c.wire().last(SetTarget.class)).isEqualTo(new SetTarget(w.channelId, Difficulty.of(16).toTarget()));
        sv2.receive(c.session(), new OpenStandardMiningChannel(5, "w1", 0f, Target.of(java.math.BigInteger.ONE)));
        assertThat(c.wire().last(Sv2Message.class)).isEqualTo(new OpenMiningChannelError(5, "max-target-out-of-range"));
        // A nominal hash rate sets the opening difficulty: 10 s of 1 TH/s is about difficulty 2328.
        sv2.receive(c.session(), new OpenStandardMiningChannel(6, "w2", 1e12f, Target.MAX));
        OpenStandardMiningChannelSuccess s = (OpenStandardMiningChannelSuccess) c.wire().take().get(0);
        assertThat(s.target().difficulty()).isBetween(2300.0, 2350.0);
    }

    @Test
    void refusedWorkersGetUnknownUserAndClosedConnectionsFreeTheirExtranonces() {
        authorizer = r -> CompletableFuture.completedFuture(r.worker().startsWith("good") ? Authorizer.Result.OK
                : Authorizer.Result.refused("no such user"));
        Client c = setUp(0);
        sv2.receive(c.session(), new OpenStandardMiningChannel(1, "bad", 0f, Target.MAX));
        assertThat(c.wire().last(Sv2Message.class)).isEqualTo(new OpenMiningChannelError(1, "unknown-user"));
        sv2.receive(c.session(), new OpenStandardMiningChannel(2, "good", 0f, Target.MAX));
        sv2.receive(c.session(), new OpenStandardMiningChannel(3, "good2", 0f, Target.MAX));
        assertThat(sv2.stats().channels()).isEqualTo(2);
        sv2.closed(c.session());
        assertThat(sv2.stats()).isEqualTo(new Sv2Engine.Stats(0, 0, 0, 0));
    }

    @Test
    void aConnectionHoldsAtMost64Channels() {
        Client c = setUp(0);
        for (int i = 0; i < 64; i++) {
            sv2.receive(c.session(), new OpenStandardMiningChannel(i, "w" + i, 0f, Target.MAX));
        }
        c.wire().take();
        sv2.receive(c.session(), new OpenStandardMiningChannel(64, "w64", 0f, Target.MAX));
        assertThat(c.wire().last(Sv2Message.class)).isEqualTo(new OpenMiningChannelError(64, "too-many-channels"));
        assertThat(c.session().channelCount()).isEqualTo(64);
        sv2.receive(c.session(), new CloseChannel(1, "done"));
        sv2.receive(c.session(), new OpenStandardMiningChannel(65, "w65", 0f, Target.MAX));
        assertThat(c.wire().take().get(0)).isInstanceOf(OpenStandardMiningChannelSuccess.class);
    }

    @Test
    void aFloodOfInvalidSharesBansTheAddressAsInV1() {
        PoolEngine strict = PoolEngine.builder().clock(clock)
                .payouts(t -> List.of(CoinbaseOutput.of(t.coinbaseValue(), PAY)))
                .blockSubmitter(b -> CompletableFuture.completedFuture(Optional.empty()))
                .difficultyPolicy(DifficultyPolicy.fixed(Difficulty.of("1e-12"), Difficulty.of(1L << 40)))
                .initialDifficulty(Difficulty.of(1024))
                .banPolicy(org.stratum4j.core.engine.BanPolicy.invalidShares(5, 0.9, Duration.ofMinutes(1), Duration.ofMinutes(10)))
                .build();
        strict.newTemplate(template(1, 0x1d00ffff));
        Sv2Engine v2 = Sv2Engine.on(strict);
        Wire w = new Wire();
        Sv2Session s = v2.open(w);
        v2.receive(s, new SetupConnection(0, 2, 2, 0, "", 0, "v", "", "", ""));
        v2.receive(s, new OpenStandardMiningChannel(1, "w1", 0f, Target.MAX));
        Work work = new Work();
        work.take(w.take());
        for (int seq = 1; seq <= 5 && w.banned == null; seq++) {
            // Random nonces at difficulty 1024: every one too low.
            v2.receive(s, new SubmitSharesStandard(work.channelId, seq, work.jobId, seq * 7919, work.ntime, work.version));
        }
        assertThat(w.banned).isEqualTo(Duration.ofMinutes(10));
        assertThat(w.take()).allSatisfy(m -> assertThat(m).isEqualTo(new SubmitSharesError(work.channelId,
                ((SubmitSharesError) m).sequenceNumber(), "difficulty-too-low")));
        assertThat(v2.stats().connections()).isZero();
    }

    @Test
    void pendingAuthorizationHoldsLaterMessagesInOrder() {
        CompletableFuture<Authorizer.Result> pending = new CompletableFuture<>();
        authorizer = r -> pending;
        engine.newTemplate(template(1, 0x1d00ffff));
        Client c = setUp(0);
        sv2.receive(c.session(), new OpenStandardMiningChannel(1, "w1", 0f, Target.MAX));
        sv2.receive(c.session(), new SubmitSharesStandard(1, 1, 1, 0, (int) T0, 0x20000000));
        assertThat(c.wire().take()).isEmpty();
        pending.complete(Authorizer.Result.OK);
        List<Sv2Message> out = c.wire().take();
        assertThat(out).hasSize(4);
        assertThat(out.get(0)).isInstanceOf(OpenStandardMiningChannelSuccess.class);
        assertThat(out.get(1)).isInstanceOf(NewMiningJob.class);
        assertThat(out.get(2)).isInstanceOf(SetNewPrevHash.class);
        assertThat(out.get(3)).isInstanceOfAny(SubmitSharesSuccess.class, SubmitSharesError.class);
    }
}
