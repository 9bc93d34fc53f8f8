package org.stratum4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Sha256Hasher;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Authorize;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.RequestId;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.core.protocol.SetDifficulty;
import org.stratum4j.core.protocol.Submit;
import org.stratum4j.core.protocol.Subscribe;
import org.stratum4j.core.protocol.SuggestDifficulty;
import org.stratum4j.core.testing.MutableClock;

/**
 * The engine against a model of cpuminer 2.5.1's Stratum client (cpu-miner.c, util.c), hashing for
 * real (sha256d) in simulated time. What the model keeps from cpuminer: {@code mining.set_difficulty}
 * is stored and applied to the next {@code mining.notify}; a notify with a new id becomes the newest
 * work, with extranonce2 back at zero; each thread mines its current work, with that work's job id
 * and target, until it finds a share or its scan time runs out, and then takes the newest work
 * only if its first 76 header bytes differ ({@code memcmp(work.data, g_work.data, 76)}: the same
 * work under a new id leaves the thread on the old job and target); a clean notify restarts every
 * thread at once; every submit carries id 4. So during a series of difficulty changes it keeps
 * submitting shares on jobs sent one, two or three changes ago. Not one may be refused.
 */
class CpuminerBehaviourTest {

    private static final double TWO_32 = 4294967296.0;
    private static final long T0 = EngineTest.T0;
    /** Mainnet difficulty 1: no share here is a block, so every verdict is about the share target. */
    private static final int BITS = 0x1d00ffff;

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
    private final List<ShareEvent> events = new ArrayList<>();

    private PoolEngine engine(Vardiff vardiff) {
        return PoolEngine.builder().clock(clock)
                .payouts(t -> List.of(CoinbaseOutput.of(t.coinbaseValue(), EngineTest.PAY)))
                .blockSubmitter(b -> CompletableFuture.completedFuture(Optional.empty()))
                .shareSink(e -> {
                    events.add(e);
                    return CompletableFuture.completedFuture(null);
                })
                .difficultyPolicy(vardiff)
                .initialDifficulty(Difficulty.of("1e-8"))
                .build();
    }

    /** One thread's work: what cpuminer's {@code struct work} holds for Stratum. */
    private record Work(String jobId, Job job, Target target, Difficulty difficulty, byte[] extranonce2, byte[] header,
                        int changesBefore) {
    }

    /** cpuminer's client state and threads, driven by the test's simulated clock. */
    private final class Cpuminer {
        final PoolEngine engine;
        final FakeConnection connection = new FakeConnection(3333);
        final Session session;
        final Sha256Hasher hasher = new Sha256Hasher();
        final byte[] hash = new byte[32];
        final Work[] work;
        final long[] nonce;
        final double[] scanStarted;
        final double scanSeconds;
        /** Hashes per simulated second per thread. */
        double hashrate;
        Difficulty nextDiff = Difficulty.ONE;
        Work newest;
        int difficultyChanges;
        int accepted;
        final List<Response> refused = new ArrayList<>();
        /** Accepted shares by how many difficulty changes came between their job's notify and the submit. */
        final int[] acceptedChangesBehind = new int[8];
        final List<Difficulty> workDifficulties = new ArrayList<>();

        Cpuminer(PoolEngine engine, int threads, double hashrate, double scanSeconds) {
            this.engine = engine;
            this.session = engine.open(connection);
            this.work = new Work[threads];
            this.nonce = new long[threads];
            this.scanStarted = new double[threads];
            this.hashrate = hashrate;
            this.scanSeconds = scanSeconds;
            engine.receive(session, new Subscribe(RequestId.of(1), "cpuminer/2.5.1", null));
            engine.receive(session, new Authorize(RequestId.of(2), "w1", "x"));
            read();
        }

        /** Reads what the pool sent, as cpuminer's stratum thread does. */
        void read() {
            for (PoolMessage m : connection.take()) {
                if (m instanceof SetDifficulty sd) {
                    nextDiff = sd.difficulty();
                    difficultyChanges++;
                } else if (m instanceof Notify n) {
                    Job job = Job.fromNotify(n, 4, 8, clock.instant());
                    byte[] en2 = new byte[8];
                    byte[] header = job.header(session.extranonce1(), en2, job.version(), job.ntime(), 0).serialize();
                    newest = new Work(n.jobId(), job, nextDiff.toTarget(), nextDiff, en2, header, difficultyChanges);
                    if (n.cleanJobs()) {
                        for (int t = 0; t < work.length; t++) {
                            take(t);
                        }
                    }
                } else if (m instanceof Response r && r.id().equals(RequestId.of(4))) {
                    if (r.isTrue()) {
                        accepted++;
                    } else {
                        refused.add(r);
                    }
                }
            }
        }

        /** cpuminer's loop head: different work starts at the thread's own nonce range; the same header carries on. */
        void take(int t) {
            if (work[t] == null || !java.util.Arrays.equals(work[t].header(), 0, 76, newest.header(), 0, 76)) {
                work[t] = newest;
                nonce[t] = (0xffffffffL / work.length) * t;
            } else {
                nonce[t]++;
            }
            scanStarted[t] = seconds();
        }

        double seconds() {
            return Duration.between(Instant.ofEpochSecond(T0), clock.instant()).toNanos() / 1e9;
        }

        /** Every thread hashes for {@code dt} simulated seconds. */
        void mine(double dt) {
            long perThread = Math.round(hashrate * dt);
            for (int t = 0; t < work.length; t++) {
                if (work[t] == null) {
                    take(t);
                }
                for (long i = 0; i < perThread; i++) {
                    Work w = work[t];
                    LittleEndian.writeInt32(w.header(), 76, (int) nonce[t]);
                    hasher.sha256d(w.header(), 0, 80, hash, 0);
                    if (w.target().isMetBy(hash, 0)) {
                        submit(w, (int) nonce[t]);
                        take(t);
                        continue;
                    }
                    nonce[t]++;
                }
                if (seconds() - scanStarted[t] >= scanSeconds) {
                    take(t);
                }
            }
        }

        void submit(Work w, int nonceValue) {
            int acceptedBefore = accepted;
            engine.receive(session, Submit.of(RequestId.of(4), "w1", w.jobId(), w.extranonce2(), (int) w.job().ntime(), nonceValue));
            read();
            if (accepted > acceptedBefore) {
                acceptedChangesBehind[Math.min(difficultyChanges - w.changesBefore(), 7)]++;
                workDifficulties.add(w.difficulty());
            }
        }
    }

    /**
     * Runs {@code seconds} of simulated time in 100 ms steps: the miner hashes, the engine ticks once
     * a second (as the transport does), a template refreshes every 30 s, and {@code script} may act
     * at each whole second.
     */
    private void run(Cpuminer miner, int seconds, ScriptStep script) {
        int tip = 1;
        deliver(miner, EngineTest.template(tip, BITS));
        for (int step = 1; step <= seconds * 10; step++) {
            clock.advance(Duration.ofMillis(100));
            miner.mine(0.1);
            if (step % 10 == 0) {
                int second = step / 10;
                miner.engine.tick(miner.session);
                miner.read();
                int action = script.at(second, miner);
                if (action == NEW_TIP) {
                    deliver(miner, EngineTest.template(++tip, BITS));
                } else if (second % 30 == 0) {
                    deliver(miner, EngineTest.template(tip, BITS));
                }
            }
        }
    }

    private static final int NOTHING = 0;
    private static final int NEW_TIP = 1;

    /** What happens at a whole second of a run. */
    private interface ScriptStep {
        int at(int second, Cpuminer miner);
    }

    private static void deliver(Cpuminer miner, org.stratum4j.core.job.BlockTemplate template) {
        miner.engine.deliver(miner.session, miner.engine.newTemplate(template));
        miner.read();
    }

    private void assertEveryShareWasJudgedAtMostAtItsJobsDifficulty(Cpuminer miner) {
        assertThat(miner.refused).as("refused shares").isEmpty();
        List<ShareEvent> accepted = events.stream().filter(e -> e.rejectReason() == null).toList();
        assertThat(accepted).hasSize(miner.accepted);
        for (int i = 0; i < accepted.size(); i++) {
            assertThat(accepted.get(i).difficulty().compareTo(miner.workDifficulties.get(i))).as("share %d judged at %s", i,
                    accepted.get(i).difficulty()).isLessThanOrEqualTo(0);
        }
    }

    @Test
    void aFourThreadCpuminerLosesNoShareAcrossVardiffChangesAPauseAndBlocks() {
        // 4 threads at 600 H/s each (simulated): the ideal difficulty is about 1.9e-6, 190 times the start.
        Cpuminer miner = new Cpuminer(engine(Vardiff.builder().minimum(Difficulty.of("1e-12")).build()), 4, 600, 60);
        run(miner, 600, (second, m) -> {
            if (second == 120) {
                m.hashrate *= 6; // a faster machine takes over the worker
            } else if (second == 300) {
                m.hashrate /= 6;
            } else if (second == 360) {
                m.hashrate = 0; // stopped (SIGSTOP, a busy machine)
            } else if (second == 430) {
                m.hashrate = 600;
            }
            return second == 200 || second == 450 || second == 452 ? NEW_TIP : NOTHING;
        });
        assertEveryShareWasJudgedAtMostAtItsJobsDifficulty(miner);
        assertThat(miner.difficultyChanges).as("set_difficulty messages").isGreaterThanOrEqualTo(6);
        assertThat(miner.accepted).as("about one share every 3.3 s over 10 minutes").isGreaterThan(150);
        assertThat(miner.acceptedChangesBehind[1]).as("accepted shares on work sent one change ago").isPositive();
    }

    @Test
    void noShareIsLostHoweverQuicklyTheDifficultyChanges() {
        // No churn bound and a retarget every two shares, plus the miner's own suggestions: changes come
        // faster than the threads finish their work, so shares arrive on jobs several changes old.
        Vardiff restless = Vardiff.builder().minimum(Difficulty.of("1e-12")).sharesPerRetarget(2)
                .minimumChangeInterval(Duration.ZERO).build();
        Cpuminer miner = new Cpuminer(engine(restless), 4, 600, 60);
        run(miner, 300, (second, m) -> {
            if (second % 7 == 0) {
                Difficulty now = m.session.difficulty();
                Difficulty suggestion = second % 14 == 0 ? Difficulty.of(now.toBigDecimal().multiply(java.math.BigDecimal.valueOf(4)))
                        : Difficulty.of(now.toBigDecimal().divide(java.math.BigDecimal.valueOf(4)));
                m.engine.receive(m.session, new SuggestDifficulty(RequestId.of(9), suggestion));
                m.read();
            }
            if (second % 11 == 0) {
                m.hashrate = m.hashrate == 600 ? 4800 : 600;
            }
            return second % 100 == 50 ? NEW_TIP : NOTHING;
        });
        assertEveryShareWasJudgedAtMostAtItsJobsDifficulty(miner);
        assertThat(miner.difficultyChanges).as("set_difficulty messages").isGreaterThan(40);
        assertThat(miner.acceptedChangesBehind[2] + miner.acceptedChangesBehind[3] + miner.acceptedChangesBehind[4])
                .as("accepted shares on work sent two to four changes ago").isPositive();
    }
}
