package org.stratum4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.BlockValidator;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Authorize;
import org.stratum4j.core.protocol.Configure;
import org.stratum4j.core.protocol.DecodeError;
import org.stratum4j.core.protocol.JsonValue;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.RequestId;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.core.protocol.SetDifficulty;
import org.stratum4j.core.protocol.StratumError;
import org.stratum4j.core.protocol.Submit;
import org.stratum4j.core.protocol.Subscribe;
import org.stratum4j.core.protocol.SuggestDifficulty;
import org.stratum4j.core.protocol.UnknownMethod;
import org.stratum4j.core.share.RejectReason;
import org.stratum4j.core.testing.MutableClock;

/** The engine, method by method and rejection code by rejection code, with a fake clock and connection. */
class EngineTest {

    static final long T0 = 1_700_000_000L;
    static final byte[] PAY = Hex.decode("0014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc");
    /** Shares at this difficulty pass about one hash in four; 2000ffff makes one in 256 a block. */
    static final Difficulty EASY = Difficulty.of("0.000000001");

    final MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
    final List<FoundBlock> blocks = new ArrayList<>();
    final List<ShareEvent> events = new ArrayList<>();
    PoolEngine engine = builder().build();

    PoolEngine.Builder builder() {
        return PoolEngine.builder().clock(clock)
                .payouts(t -> List.of(CoinbaseOutput.of(t.coinbaseValue(), PAY)))
                .blockSubmitter(b -> {
                    blocks.add(b);
                    return CompletableFuture.completedFuture(java.util.Optional.empty());
                })
                .shareSink(e -> {
                    events.add(e);
                    return CompletableFuture.completedFuture(null);
                })
                .difficultyPolicy(DifficultyPolicy.fixed(Difficulty.of("1e-12"), Difficulty.of(1L << 40)))
                .initialDifficulty(EASY);
    }

    static BlockTemplate template(int tip, int bits) {
        byte[] prev = new byte[32];
        prev[31] = (byte) tip;
        return BlockTemplate.builder().previousBlockHash(Sha256Hash.fromInternalBytes(prev)).bits(CompactBits.of(bits))
                .height(200 + tip).curTime(T0).minTime(T0 - 600).coinbaseValue(5_000_000_000L).build();
    }

    record Miner(FakeConnection connection, Session session) {
    }

    Miner connect(int port) {
        FakeConnection c = new FakeConnection(port);
        return new Miner(c, engine.open(c));
    }

    Miner ready(int port) {
        Miner m = connect(port);
        engine.receive(m.session(), new Subscribe(RequestId.of(1), "test", null));
        engine.receive(m.session(), new Authorize(RequestId.of(2), "w1", "x"));
        m.connection().take();
        return m;
    }

    static Submit submit(String jobId, byte[] en2, long ntime, long nonce) {
        return Submit.of(RequestId.of(4), "w1", jobId, en2, (int) ntime, (int) nonce);
    }

    /** The first nonce whose header on {@code job} satisfies {@code wanted}. */
    static long nonceWhere(Job job, Session s, byte[] en2, Predicate<Sha256Hash> wanted) {
        return nonceWhere(job, s, en2, 0, wanted);
    }

    /** The first nonce from {@code from} whose header on {@code job} satisfies {@code wanted}. */
    static long nonceWhere(Job job, Session s, byte[] en2, long from, Predicate<Sha256Hash> wanted) {
        for (long nonce = from; ; nonce++) {
            Sha256Hash h = job.header(s.extranonce1(), en2, job.version(), job.ntime(), nonce).hash();
            if (wanted.test(h)) {
                return nonce;
            }
        }
    }

    Response answer(Miner m, Submit s) {
        engine.receive(m.session(), s);
        return FakeConnection.last(m.connection().take());
    }

    @Test
    void poolProcessesWithDistinctInstanceIdsNeverIssueTheSameJobIdOrExtranonce1() {
        // Two processes behind one balancer, same clock, same template: their work must never be mistaken for each other's.
        PoolEngine seven = builder().instanceId(7).build();
        PoolEngine eight = builder().instanceId(8).build();
        java.util.Set<String> jobIds = new java.util.HashSet<>();
        java.util.Set<String> extranonces = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            for (PoolEngine e : List.of(seven, eight)) {
                Announcement a = e.newTemplate(template(1 + i % 3, 0x207fffff));
                assertThat(jobIds.add(a.job().id())).as("job id %s", a.job().id()).isTrue();
                assertThat(a.job().id()).endsWith(e == seven ? "07" : "08");
                Session s = e.open(new FakeConnection(i));
                e.receive(s, new Subscribe(RequestId.of(1), "test", null));
                assertThat(extranonces.add(s.extranonce1Hex())).isTrue();
                assertThat(s.extranonce1Hex()).startsWith(e == seven ? "07" : "08");
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder().instanceId(256))
                .hasMessage("instance id 256 is outside 0..255");
    }

    @Test
    void openSessionsAreCountedByMinerSoftwareAndMadeUpNamesCannotGrowTheCount() {
        Miner a = connect(1);
        engine.receive(a.session(), new Subscribe(RequestId.of(1), "cgminer/4.11", null));
        Miner b = connect(2);
        engine.receive(b.session(), new Subscribe(RequestId.of(1), "cgminer/4.12.1", null));
        engine.receive(b.session(), new Subscribe(RequestId.of(2), "cgminer/4.12.1", null)); // a second subscribe counts once
        Miner c = connect(3);
        engine.receive(c.session(), new Subscribe(RequestId.of(1), "cpuminer/2.5.1", null));
        Miner d = connect(4);
        engine.receive(d.session(), new Subscribe(RequestId.of(1), null, null));
        assertThat(engine.minerSoftware()).containsExactly(Map.entry("cgminer", 2L), Map.entry("cpuminer", 1L),
                Map.entry("unknown", 1L));
        engine.closed(b.session());
        engine.closed(d.session());
        assertThat(engine.minerSoftware()).containsExactly(Map.entry("cgminer", 1L), Map.entry("cpuminer", 1L));
        for (int i = 0; i < 200; i++) {
            Miner m = connect(10 + i);
            engine.receive(m.session(), new Subscribe(RequestId.of(1), "made-up-" + i + "/1.0", null));
        }
        assertThat(engine.minerSoftware()).hasSizeLessThanOrEqualTo(MinerSoftware.MAX_NAMES + 1).containsKey("other");
        assertThat(MinerSoftware.name("bmminer 2.0.0")).isEqualTo("bmminer");
        assertThat(MinerSoftware.name("\u0000\u0007")).isEqualTo("unknown");
    }

    @Test
    void subscribeAnswersThenSetDifficultyThenTheCurrentJob() {
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = connect(1);
        engine.receive(m.session(), new Subscribe(RequestId.of(1), "cgminer/4.11", null));
        List<PoolMessage> out = m.connection().take();
        assertThat(out).hasSize(3);
        Response r = (Response) out.get(0);
        assertThat(r.id()).isEqualTo(RequestId.of(1));
        assertThat(m.session().extranonce1()).hasSize(4);
        assertThat(r.result().toString()).contains(m.session().extranonce1Hex()).contains("8");
        assertThat(out.get(1)).isEqualTo(new SetDifficulty(EASY));
        Notify n = (Notify) out.get(2);
        assertThat(n.jobId()).isEqualTo(a.job().id());
        assertThat(n.cleanJobs()).isTrue();
    }

    @Test
    void extranonce1IsUniqueAmongLiveSessionsAndCarriesTheInstanceId() {
        engine = builder().extranonces(ExtranonceAllocator.sequential(4, 7)).build();
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Miner> miners = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Miner m = ready(i);
            miners.add(m);
            assertThat(seen.add(m.session().extranonce1Hex())).isTrue();
            assertThat(m.session().extranonce1Hex()).startsWith("07");
        }
        engine.closed(miners.get(0).session());
        assertThat(engine.stats().sessions()).isEqualTo(499);
    }

    @Test
    void everyRejectionCodeInTheProtocolsOrder() {
        Announcement a = engine.newTemplate(template(1, 0x2000ffff));
        Job job = a.job();
        byte[] en2 = new byte[8];

        Miner fresh = connect(1);
        assertThat(answer(fresh, submit(job.id(), en2, T0, 0)).error().code()).isEqualTo(25);

        Miner m = ready(2);
        Session s = m.session();
        engine.deliver(s, a);
        m.connection().take();
        assertThat(answer(m, Submit.of(RequestId.of(4), "someone-else", job.id(), en2, (int) T0, 0)).error().code()).isEqualTo(24);
        Response malformed = answer(m, Submit.malformed(RequestId.of(4), "w1", "extranonce2 is not hex"));
        assertThat(malformed.error()).isEqualTo(StratumError.other("extranonce2 is not hex"));
        assertThat(answer(m, submit("feedbeef", en2, T0, 0)).error().code()).isEqualTo(21);
        assertThat(answer(m, submit(job.id(), new byte[4], T0, 0)).error()).isEqualTo(RejectReason.EXTRANONCE2_SIZE.error());
        assertThat(answer(m, submit(job.id(), en2, T0 - 601, 0)).error()).isEqualTo(RejectReason.NTIME_OUT_OF_RANGE.error());
        assertThat(answer(m, Submit.of(RequestId.of(4), "w1", job.id(), en2, (int) T0, 0, 0x00002000)).error())
                .isEqualTo(RejectReason.VERSION_BITS_OUTSIDE_MASK.error());
        long low = nonceWhere(job, s, en2, h -> !EASY.toTarget().isMetBy(h));
        assertThat(answer(m, submit(job.id(), en2, T0, low)).error().code()).isEqualTo(23);
        long good = nonceWhere(job, s, en2, h -> EASY.toTarget().isMetBy(h) && !job.networkTarget().isMetBy(h));
        assertThat(answer(m, submit(job.id(), en2, T0, good)).isTrue()).isTrue();
        assertThat(answer(m, submit(job.id(), en2, T0, good)).error().code()).isEqualTo(22);
        assertThat(s.acceptedShares()).isEqualTo(1);
        for (RejectReason r : RejectReason.values()) {
            if (r != RejectReason.NOT_SUBSCRIBED) {
                assertThat(s.rejectedShares(r)).as(r.name()).isEqualTo(1);
            }
        }
        assertThat(events).hasSize(10);
        assertThat(events.stream().filter(ShareEvent::accepted)).hasSize(1);
        assertThat(blocks).isEmpty();
    }

    @Test
    void aBlockIsAssembledAndSubmittedAndBitcoinCoreRulesAcceptIt() {
        BlockTemplate t = template(1, 0x2000ffff);
        Announcement a = engine.newTemplate(t);
        Miner m = ready(1);
        engine.deliver(m.session(), a);
        byte[] en2 = Hex.decode("0000000000000042");
        long nonce = nonceWhere(a.job(), m.session(), en2, h -> a.job().networkTarget().isMetBy(h));
        assertThat(answer(m, submit(a.job().id(), en2, T0, nonce)).isTrue()).isTrue();
        assertThat(blocks).hasSize(1);
        FoundBlock b = blocks.get(0);
        assertThat(b.height()).isEqualTo(201);
        assertThat(BlockValidator.validate(b.block(), t, T0)).isEmpty();
        assertThat(events.get(0).block()).isTrue();
        assertThat(m.session().blocks()).isEqualTo(1);
        assertThat(engine.stats().blocks()).isEqualTo(1);
    }

    @Test
    void aNewTipMakesOldJobsStale() {
        Announcement first = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.deliver(m.session(), first);
        Announcement second = engine.newTemplate(template(2, 0x207fffff));
        engine.deliver(m.session(), second);
        assertThat(FakeConnection.lastNotify(m.connection().take()).cleanJobs()).isTrue();
        assertThat(answer(m, submit(first.job().id(), new byte[8], T0, 1)).error().code()).isEqualTo(21);
        assertThat(m.session().rejectedShares(RejectReason.JOB_NOT_FOUND)).isEqualTo(1);
    }

    @Test
    void expiredJobsAreStale() {
        engine = builder().jobRetention(100, Duration.ofSeconds(60)).build();
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.deliver(m.session(), a);
        clock.advance(Duration.ofSeconds(61));
        assertThat(answer(m, submit(a.job().id(), new byte[8], T0, 1)).error().code()).isEqualTo(21);
    }

    @Test
    void configureAnswersEveryExtension() {
        Miner m = connect(1);
        engine.receive(m.session(), new Configure(RequestId.of(1), List.of("version-rolling", "minimum-difficulty",
                "subscribe-extranonce", "info", "made-up"), 0xffffffff, 2, Difficulty.of(64)));
        Response r = FakeConnection.last(m.connection().take());
        java.util.Map<String, JsonValue> answer = ((JsonValue.Object) r.result()).fields();
        assertThat(answer).containsExactly(
                java.util.Map.entry("version-rolling", JsonValue.Bool.TRUE),
                java.util.Map.entry("version-rolling.mask", new JsonValue.Str("1fffe000")),
                java.util.Map.entry("minimum-difficulty", JsonValue.Bool.TRUE),
                java.util.Map.entry("subscribe-extranonce", JsonValue.Bool.TRUE),
                java.util.Map.entry("info", JsonValue.Bool.FALSE),
                java.util.Map.entry("made-up", JsonValue.Bool.FALSE));
        assertThat(m.session().versionMask()).isEqualTo(0x1fffe000);
        assertThat(m.session().isExtranonceSubscribed()).isTrue();
        assertThat(m.session().difficulty()).isEqualTo(Difficulty.of(64));
        engine.receive(m.session(), new Subscribe(RequestId.of(2), "x", null));
        assertThat(FakeConnection.lastSetDifficulty(m.connection().take()).difficulty()).isEqualTo(Difficulty.of(64));

        Miner narrow = connect(2);
        engine.receive(narrow.session(), new Configure(RequestId.of(1), List.of("version-rolling"), 0x00006000, 4, null));
        assertThat(((JsonValue.Object) FakeConnection.last(narrow.connection().take()).result()).fields())
                .containsExactly(java.util.Map.entry("version-rolling", JsonValue.Bool.FALSE));
        assertThat(narrow.session().versionMask()).isZero();
    }

    @Test
    void aNarrowerPoolMaskReachesMinersWithTheirNextJobAndBindsTheirShares() {
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = connect(1);
        engine.receive(m.session(), new Configure(RequestId.of(1), List.of("version-rolling"), 0xffffffff, 2, null));
        engine.receive(m.session(), new Subscribe(RequestId.of(2), "x", null));
        engine.receive(m.session(), new Authorize(RequestId.of(3), "w1", "x"));
        m.connection().take();
        Miner plain = ready(2);
        // A proxy's upstream allows fewer bits: asking for more than the engine was built with gets only the built ones.
        assertThat(engine.core().changeVersionMask(0xff00ffff)).isEqualTo(0x1f00e000);
        Announcement b = engine.newTemplate(template(2, 0x207fffff));
        engine.deliver(m.session(), b);
        engine.deliver(plain.session(), b);
        List<Object> out = new java.util.ArrayList<>(m.connection().take());
        assertThat(out.get(0)).isEqualTo(new org.stratum4j.core.protocol.SetVersionMask(0x1f00e000));
        assertThat(out.get(1)).isInstanceOf(Notify.class);
        assertThat(m.session().versionMask()).isEqualTo(0x1f00e000);
        assertThat(plain.connection().take()).as("a miner that never rolled hears nothing of it").noneMatch(
                org.stratum4j.core.protocol.SetVersionMask.class::isInstance);
        // Bits outside the mask in force are refused (20), as the upstream would.
        Response r = answer(m, Submit.of(RequestId.of(4), "w1", b.job().id(), new byte[8], (int) T0, 0, 0x00ff0000));
        assertThat(r.error().code()).isEqualTo(20);
        // Widening back within what was agreed is said the same way, once.
        engine.core().changeVersionMask(0x1fffe000);
        engine.deliver(m.session(), a);
        engine.deliver(m.session(), b);
        assertThat(m.connection().take()).filteredOn(org.stratum4j.core.protocol.SetVersionMask.class::isInstance)
                .containsExactly(new org.stratum4j.core.protocol.SetVersionMask(0x1fffe000));
    }

    @Test
    void suggestedDifficultyBeforeAndAfterSubscribe() {
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = connect(1);
        engine.receive(m.session(), new SuggestDifficulty(RequestId.of(1), Difficulty.of(512)));
        engine.receive(m.session(), new Subscribe(RequestId.of(2), "x", null));
        assertThat(FakeConnection.lastSetDifficulty(m.connection().take()).difficulty()).isEqualTo(Difficulty.of(512));
        engine.receive(m.session(), new SuggestDifficulty(RequestId.of(3), Difficulty.of(1024)));
        List<PoolMessage> out = m.connection().take();
        assertThat(FakeConnection.lastSetDifficulty(out).difficulty()).isEqualTo(Difficulty.of(1024));
        Notify fresh = FakeConnection.lastNotify(out);
        assertThat(fresh.cleanJobs()).isFalse();
        // Different work, not only a new id: cpuminer keeps a thread on its old job and target while the
        // header bytes are the same. A later ntime, within minutes of the clock.
        assertThat(Integer.toUnsignedLong(fresh.ntime())).isGreaterThan(Integer.toUnsignedLong(a.job().notifyMessage().ntime()))
                .isLessThanOrEqualTo(clock.instant().getEpochSecond() + 600);
        assertThat(fresh.jobId()).isNotEqualTo(a.job().id());
        assertThat(fresh.coinb2()).isEqualTo(a.job().notifyMessage().coinb2());
    }

    @Test
    void sharesOnJobsSentBeforeADifficultyRiseAreJudgedAtTheOldDifficulty() {
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.deliver(m.session(), a);
        byte[] en2 = new byte[8];
        // A share that meets EASY but not 4 × EASY.
        Difficulty harder = Difficulty.of("0.000000004");
        long nonce = nonceWhere(a.job(), m.session(), en2,
                h -> EASY.toTarget().isMetBy(h) && !harder.toTarget().isMetBy(h));
        engine.receive(m.session(), new SuggestDifficulty(RequestId.of(9), harder));
        Notify reissued = FakeConnection.lastNotify(m.connection().take());
        assertThat(answer(m, submit(a.job().id(), en2, T0, nonce)).isTrue()).as("old job, old difficulty").isTrue();
        // The same work under the reissued id is judged at the new difficulty (and the header was already seen).
        long other = nonceWhere(a.job(), m.session(), en2,
                h -> EASY.toTarget().isMetBy(h) && !harder.toTarget().isMetBy(h) && !h.equals(
                        a.job().header(m.session().extranonce1(), en2, a.job().version(), T0, nonce).hash()));
        assertThat(answer(m, submit(reissued.jobId(), en2, T0, other)).error().code()).isEqualTo(23);
        assertThat(answer(m, submit(reissued.jobId(), en2, T0, nonce)).error().code()).as("same header: duplicate").isEqualTo(22);
    }

    @Test
    void aShareIsJudgedAtTheDifficultyItsJobWasSentWithHoweverManyChangesCameSince() {
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.deliver(m.session(), a);
        m.connection().take();
        byte[] en2 = new byte[8];
        // Three rises in a row (×4, ×16, ×64), each with a fresh job the miner has not started yet.
        List<String> ids = new ArrayList<>();
        for (String d : new String[] {"0.000000004", "0.000000016", "0.000000064"}) {
            engine.receive(m.session(), new SuggestDifficulty(RequestId.of(9), Difficulty.of(d)));
            List<PoolMessage> out = m.connection().take();
            assertThat(FakeConnection.lastSetDifficulty(out).difficulty()).isEqualTo(Difficulty.of(d));
            Notify fresh = FakeConnection.lastNotify(out);
            assertThat(fresh.jobId()).as("a job id not seen before").isNotEqualTo(a.job().id()).isNotIn(ids);
            ids.add(fresh.jobId());
        }
        // A share on the first job that meets EASY and nothing harder: still worth EASY, three changes later.
        Difficulty quadruple = Difficulty.of("0.000000004");
        long nonce = nonceWhere(a.job(), m.session(), en2, h -> EASY.toTarget().isMetBy(h) && !quadruple.toTarget().isMetBy(h));
        events.clear();
        assertThat(answer(m, submit(a.job().id(), en2, T0, nonce)).isTrue()).isTrue();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.difficulty()).isEqualTo(EASY));
        // On the job sent at ×4 (the first reissue), a share meeting ×4 but not ×16 is accepted at ×4 ...
        Difficulty sixteen = Difficulty.of("0.000000016");
        long second = nonceWhere(a.job(), m.session(), en2, nonce + 1, h -> quadruple.toTarget().isMetBy(h) && !sixteen.toTarget().isMetBy(h));
        events.clear();
        assertThat(answer(m, submit(ids.get(0), en2, T0, second)).isTrue()).isTrue();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.difficulty()).isEqualTo(quadruple));
        // ... and one meeting only EASY is not: that job came with ×4.
        long weak = nonceWhere(a.job(), m.session(), en2, second + 1, h -> EASY.toTarget().isMetBy(h) && !quadruple.toTarget().isMetBy(h));
        assertThat(answer(m, submit(ids.get(0), en2, T0, weak)).error().code()).isEqualTo(23);
        // A drop is applied to old work at once: judged at the easier of the two.
        engine.receive(m.session(), new SuggestDifficulty(RequestId.of(9), Difficulty.of("0.000000002")));
        m.connection().take();
        long third = nonceWhere(a.job(), m.session(), en2, weak + 1,
                h -> Difficulty.of("0.000000002").toTarget().isMetBy(h) && !quadruple.toTarget().isMetBy(h));
        events.clear();
        assertThat(answer(m, submit(ids.get(2), en2, T0, third)).isTrue()).isTrue();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.difficulty()).isEqualTo(Difficulty.of("0.000000002")));
        // Work from before the drop that meets its own target (×64) was mined at it: credited at ×64.
        Difficulty sixtyFour = Difficulty.of("0.000000064");
        long strong = nonceWhere(a.job(), m.session(), en2, third + 1, h -> sixtyFour.toTarget().isMetBy(h));
        events.clear();
        assertThat(answer(m, submit(ids.get(2), en2, T0, strong)).isTrue()).isTrue();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.difficulty()).isEqualTo(sixtyFour));
    }

    @Test
    void aDifficultyChangeRacingANewTipReachesTheMinerWithTheNewTipsJob() {
        Announcement first = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.deliver(m.session(), first);
        m.connection().take();
        // The template thread has a new tip (the old tip's jobs are gone) but this session's loop has not delivered it yet.
        Announcement second = engine.newTemplate(template(2, 0x207fffff));
        Difficulty higher = Difficulty.of("0.000000004");
        engine.receive(m.session(), new SuggestDifficulty(RequestId.of(9), higher));
        List<PoolMessage> out = m.connection().take();
        assertThat(FakeConnection.lastSetDifficulty(out).difficulty()).isEqualTo(higher);
        assertThat(out).as("no reissue of a job that is gone").noneMatch(Notify.class::isInstance);
        engine.deliver(m.session(), second);
        Notify next = FakeConnection.lastNotify(m.connection().take());
        assertThat(next.jobId()).isEqualTo(second.job().id());
        // The new tip's job came after the change: it is judged at the new difficulty.
        byte[] en2 = new byte[8];
        long weak = nonceWhere(second.job(), m.session(), en2, h -> EASY.toTarget().isMetBy(h) && !higher.toTarget().isMetBy(h));
        assertThat(answer(m, submit(next.jobId(), en2, T0, weak)).error().code()).isEqualTo(23);
        long strong = nonceWhere(second.job(), m.session(), en2, weak + 1, h -> higher.toTarget().isMetBy(h));
        assertThat(answer(m, submit(next.jobId(), en2, T0, strong)).isTrue()).isTrue();
    }

    @Test
    void vardiffRaisesAFastMinersDifficultyAndSendsAFreshJobAtOnce() {
        engine = builder().difficultyPolicy(Vardiff.builder().minimum(Difficulty.of("1e-12")).build()).build();
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.deliver(m.session(), a);
        m.connection().take();
        byte[] en2 = new byte[8];
        List<PoolMessage> out = new ArrayList<>();
        long nonce = -1;
        for (int i = 0; i < 8; i++) {
            clock.advance(Duration.ofMillis(100));
            nonce = nonceWhere(a.job(), m.session(), en2, nonce + 1, h -> EASY.toTarget().isMetBy(h));
            engine.receive(m.session(), submit(a.job().id(), en2, T0, nonce));
            out.addAll(m.connection().take());
        }
        // Eight shares in 0.8 s at a 3.3 s target: the difficulty rises after the eighth, and a fresh job follows it.
        SetDifficulty raised = FakeConnection.lastSetDifficulty(out);
        assertThat(raised.difficulty().compareTo(EASY)).isPositive();
        Notify fresh = FakeConnection.lastNotify(out);
        assertThat(fresh.cleanJobs()).isFalse();
        // Different work, not only a new id: cpuminer keeps a thread on its old job and target while the
        // header bytes are the same. A later ntime, within minutes of the clock.
        assertThat(Integer.toUnsignedLong(fresh.ntime())).isGreaterThan(Integer.toUnsignedLong(a.job().notifyMessage().ntime()))
                .isLessThanOrEqualTo(clock.instant().getEpochSecond() + 600);
        assertThat(out.indexOf(fresh)).isGreaterThan(out.indexOf(raised));
        assertThat(m.session().difficulty()).isEqualTo(raised.difficulty());
        assertThat(m.session().acceptedShares()).isEqualTo(8);
    }

    @Test
    void passwordDifficultyOption() {
        engine.newTemplate(template(1, 0x207fffff));
        Miner m = connect(1);
        engine.receive(m.session(), new Subscribe(RequestId.of(1), "x", null));
        engine.receive(m.session(), new Authorize(RequestId.of(2), "w1", "x,d=2048"));
        List<PoolMessage> out = m.connection().take();
        assertThat(FakeConnection.lastSetDifficulty(out).difficulty()).isEqualTo(Difficulty.of(2048));
        assertThat(out.stream().filter(Response.class::isInstance).map(Response.class::cast)
                .filter(r -> r.id().equals(RequestId.of(2)))).singleElement().matches(Response::isTrue);
    }

    @Test
    void slowAuthorizerHoldsLaterRequestsAndAnswersInOrder() {
        CompletableFuture<Authorizer.Result> pending = new CompletableFuture<>();
        engine = builder().authorizer(req -> pending).build();
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = connect(1);
        engine.receive(m.session(), new Subscribe(RequestId.of(1), "x", null));
        m.connection().take();
        engine.receive(m.session(), new Authorize(RequestId.of(2), "w1", "x"));
        long nonce = nonceWhere(a.job(), m.session(), new byte[8], h -> EASY.toTarget().isMetBy(h));
        engine.receive(m.session(), submit(a.job().id(), new byte[8], T0, nonce));
        assertThat(m.connection().sent).isEmpty();
        pending.complete(Authorizer.Result.OK);
        assertThat(m.connection().sent).as("the answer comes back on the loop").isEmpty();
        m.connection().runTasks();
        List<Response> replies = m.connection().responses();
        assertThat(replies).extracting(Response::id).containsExactly(RequestId.of(2), RequestId.of(4));
        assertThat(replies).allMatch(Response::isTrue);
    }

    @Test
    void refusedWorkerGetsError24AndCannotSubmit() {
        engine = builder().authorizer(req -> CompletableFuture.completedFuture(Authorizer.Result.refused("unknown account"))).build();
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = connect(1);
        engine.receive(m.session(), new Subscribe(RequestId.of(1), "x", null));
        engine.receive(m.session(), new Authorize(RequestId.of(2), "w1", "x"));
        Response r = FakeConnection.last(m.connection().take());
        assertThat(r.error()).isEqualTo(new StratumError(24, "unknown account"));
        assertThat(answer(m, submit(a.job().id(), new byte[8], T0, 0)).error().code()).isEqualTo(24);
        engine.receive(m.session(), new Authorize(RequestId.of(3), "", "x"));
        assertThat(FakeConnection.last(m.connection().take()).error().code()).isEqualTo(24);
    }

    static ShareSink durable(java.util.function.Function<ShareEvent, java.util.concurrent.CompletionStage<Void>> store) {
        return new ShareSink() {
            @Override
            public java.util.concurrent.CompletionStage<Void> record(ShareEvent e) {
                return store.apply(e);
            }

            @Override
            public boolean isDurable() {
                return true;
            }
        };
    }

    @Test
    void durableSinkDelaysTheTrueAndKeepsReplyOrder() {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        engine = builder().shareSink(durable(e -> e.accepted() ? stored : CompletableFuture.completedFuture(null))).build();
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.deliver(m.session(), a);
        m.connection().take();
        long nonce = nonceWhere(a.job(), m.session(), new byte[8], h -> EASY.toTarget().isMetBy(h));
        engine.receive(m.session(), submit(a.job().id(), new byte[8], T0, nonce));
        engine.receive(m.session(), new UnknownMethod(RequestId.of(5), "mining.ping"));
        assertThat(m.connection().sent).isEmpty();
        stored.complete(null);
        m.connection().runTasks();
        List<Response> replies = m.connection().responses();
        assertThat(replies).extracting(Response::id).containsExactly(RequestId.of(4), RequestId.of(5));
        assertThat(replies.get(0).isTrue()).isTrue();
        assertThat(replies.get(1).error().code()).isEqualTo(20);
    }

    @Test
    void aShareTheSinkCouldNotStoreIsNotAcknowledged() {
        engine = builder().shareSink(durable(e -> CompletableFuture.failedFuture(new java.io.IOException("disk full")))).build();
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.deliver(m.session(), a);
        long nonce = nonceWhere(a.job(), m.session(), new byte[8], h -> EASY.toTarget().isMetBy(h));
        Response r = answer(m, submit(a.job().id(), new byte[8], T0, nonce));
        assertThat(r.isTrue()).isFalse();
        assertThat(r.error().message()).contains("could not be stored");
    }

    @Test
    void aSinkRefusingAShareGivesTheMinerItsVerdictLaterAndTheEventNamesTheBaseJob() {
        List<ShareEvent> events = new java.util.ArrayList<>();
        CompletableFuture<Void> upstream = new CompletableFuture<>();
        engine = builder().shareSink(durable(e -> {
            events.add(e);
            return e.accepted() ? upstream : CompletableFuture.completedFuture(null);
        })).build();
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.deliver(m.session(), a);
        long nonce = nonceWhere(a.job(), m.session(), new byte[8], h -> EASY.toTarget().isMetBy(h));
        engine.receive(m.session(), submit(a.job().id(), new byte[8], T0, nonce));
        assertThat(m.connection().responses()).isEmpty();
        upstream.completeExceptionally(new ShareRefusedException(new StratumError(21, "Stale share (upstream)")));
        m.connection().runTasks();
        Response r = FakeConnection.last(m.connection().take());
        assertThat(r.error()).isEqualTo(new StratumError(21, "Stale share (upstream)"));
        assertThat(events).hasSize(1).first().satisfies(e -> {
            assertThat(e.jobId()).isEqualTo(a.job().id());
            assertThat(e.baseJobId()).isEqualTo(a.job().id());
        });
        // The same work reissued under a new id (a difficulty change): the event still names the job as published.
        engine.receive(m.session(), new SuggestDifficulty(RequestId.of(9), Difficulty.of(EASY.toDouble() / 2)));
        Notify reissued = FakeConnection.lastNotify(m.connection().take());
        assertThat(reissued.jobId()).isNotEqualTo(a.job().id());
        byte[] en2 = new byte[8];
        en2[7] = 1;
        long other = nonceWhere(a.job(), m.session(), en2, h -> EASY.toTarget().isMetBy(h));
        engine.receive(m.session(), submit(reissued.jobId(), en2, T0, other));
        assertThat(events).last().satisfies(e -> {
            assertThat(e.jobId()).isEqualTo(reissued.jobId());
            assertThat(e.baseJobId()).isEqualTo(a.job().id());
        });
        assertThat(ShareRefusedException.in(new java.util.concurrent.CompletionException(new ShareRefusedException(StratumError.JOB_NOT_FOUND))))
                .isNotNull();
        assertThat(ShareRefusedException.in(new java.io.IOException("disk full"))).isNull();
    }

    @Test
    void unknownMethodsAndGarbage() {
        Miner m = ready(1);
        engine.receive(m.session(), new UnknownMethod(RequestId.of(7), "mining.ping"));
        Response r = FakeConnection.last(m.connection().take());
        assertThat(r.error().code()).isEqualTo(20);
        assertThat(r.result()).isEqualTo(JsonValue.Null.INSTANCE);
        for (int i = 0; i < 10; i++) {
            engine.receive(m.session(), new DecodeError(RequestId.NULL, DecodeError.Kind.NOT_JSON, "not JSON"));
        }
        assertThat(m.connection().closedReason).isNull();
        engine.receive(m.session(), new DecodeError(RequestId.NULL, DecodeError.Kind.NOT_JSON, "not JSON"));
        assertThat(m.connection().closedReason).contains("not Stratum");

        Miner early = connect(2);
        engine.receive(early.session(), new DecodeError(RequestId.NULL, DecodeError.Kind.NOT_JSON, "GET / HTTP/1.1"));
        assertThat(early.connection().closedReason).contains("before subscribe");
    }

    @Test
    void invalidShareFloodIsBanned() {
        engine = builder().banPolicy(BanPolicy.invalidShares(20, 0.9, Duration.ofMinutes(1), Duration.ofMinutes(10))).build();
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.deliver(m.session(), a);
        for (int i = 0; i < 19; i++) {
            engine.receive(m.session(), submit(a.job().id(), new byte[3], T0, i));
        }
        // Stale shares do not count toward a ban.
        for (int i = 0; i < 50; i++) {
            engine.receive(m.session(), submit("0bad", new byte[8], T0, i));
        }
        assertThat(m.connection().bannedFor).isNull();
        engine.receive(m.session(), submit(a.job().id(), new byte[3], T0, 99));
        assertThat(m.connection().bannedFor).isEqualTo(Duration.ofMinutes(10));
        assertThat(engine.stats().sessions()).isZero();
    }

    @Test
    void aJobTheSessionGotWhenItSubscribedIsNotDeliveredAgain() {
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1); // got the job when it subscribed
        m.connection().take();
        // The transport's fan-out of the same job reaches the session after it subscribed: nothing more to send.
        engine.deliver(m.session(), a);
        assertThat(m.connection().take()).isEmpty();
        Announcement next = engine.newTemplate(template(2, 0x207fffff));
        engine.deliver(m.session(), next);
        assertThat(FakeConnection.lastNotify(m.connection().take()).jobId()).isEqualTo(next.job().id());
        engine.deliver(m.session(), next);
        assertThat(m.connection().take()).isEmpty();
    }

    @Test
    void renewedExtranonceIsAnnouncedToSubscribedMiners() {
        Announcement a = engine.newTemplate(template(1, 0x207fffff));
        Miner m = ready(1);
        engine.receive(m.session(), new org.stratum4j.core.protocol.ExtranonceSubscribe(RequestId.of(3)));
        String before = m.session().extranonce1Hex();
        m.connection().take();
        engine.renewExtranonce(m.session());
        List<PoolMessage> out = m.connection().take();
        assertThat(out.get(0)).isInstanceOf(org.stratum4j.core.protocol.SetExtranonce.class);
        assertThat(Hex.encode(((org.stratum4j.core.protocol.SetExtranonce) out.get(0)).extranonce1()))
                .isEqualTo(m.session().extranonce1Hex()).isNotEqualTo(before);
        assertThat(FakeConnection.lastNotify(out).jobId()).isEqualTo(a.job().id());

        Miner plain = ready(2);
        engine.renewExtranonce(plain.session());
        assertThat(plain.connection().take()).anyMatch(org.stratum4j.core.protocol.Reconnect.class::isInstance);
        assertThat(plain.connection().closedReason).contains("did not subscribe to extranonce");
    }

    @Test
    void builderFailsFastWithClearMessages() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PoolEngine.builder().build())
                .hasMessageContaining("needs a clock");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PoolEngine.builder().clock(clock).build())
                .hasMessageContaining("needs payouts");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder().extranonces(ExtranonceAllocator.sequential(6, 0)).build())
                .hasMessageContaining("extranonce1 is 6 bytes but the coinbase has room for 4");
    }
}
