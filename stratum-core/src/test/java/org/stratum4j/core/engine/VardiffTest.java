package org.stratum4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * Vardiff against simulated miners: shares arrive as a Poisson process at
 * {@code hashrate / (difficulty · 2^32)} per second, in simulated time (no sleeping, no wall clock).
 */
class VardiffTest {

    private static final double TWO_32 = 4294967296.0;
    private static final Vardiff POLICY = Vardiff.builder().minimum(Difficulty.of("1e-10")).maximum(Difficulty.of(1L << 50)).build();
    private static final Instant START = Instant.ofEpochSecond(1_700_000_000L);
    private static final double TICK = 5;

    /** A miner and its controller in simulated time. */
    static final class Sim {
        final SplittableRandom random = new SplittableRandom(42);
        final DifficultyPolicy.Controller controller;
        double hashrate;
        double now;
        double nextShare;
        double nextTick = TICK;
        int shares;
        double firstChangeAt = -1;
        boolean firstChangeUp;
        final List<Double> changes = new ArrayList<>();

        Sim(double hashrate, Difficulty start) {
            this.hashrate = hashrate;
            this.controller = POLICY.start(start, START);
            drawNextShare();
        }

        void drawNextShare() {
            double lambda = hashrate / (controller.current().toDouble() * TWO_32);
            nextShare = lambda == 0 ? Double.POSITIVE_INFINITY : now - Math.log(1 - random.nextDouble()) / lambda;
        }

        Instant at(double t) {
            return START.plusNanos((long) (t * 1e9));
        }

        /** Runs until {@code until} seconds; returns the shares found in that span. */
        int runUntil(double until) {
            int before = shares;
            while (true) {
                double t = Math.min(nextShare, nextTick);
                if (t > until) {
                    now = until;
                    return shares - before;
                }
                now = t;
                Difficulty old = controller.current();
                Difficulty changed;
                if (nextShare <= nextTick) {
                    shares++;
                    changed = controller.onAccepted(old, at(now));
                } else {
                    nextTick += TICK;
                    changed = controller.onTick(at(now));
                }
                if (changed != null) {
                    changes.add(now);
                }
                if (changed != null && firstChangeAt < 0) {
                    firstChangeAt = now;
                    firstChangeUp = changed.compareTo(old) > 0;
                }
                if (changed != null || nextShare <= now) {
                    drawNextShare();
                }
            }
        }

        double idealDifficulty() {
            return hashrate * POLICY.secondsPerShare() / TWO_32;
        }
    }

    @ParameterizedTest(name = "{0} H/s")
    @ValueSource(doubles = {1e3, 1e6, 1e9, 1e12, 1e15})
    void convergesToTheTargetShareRateFromDifficultyOne(double hashrate) {
        Sim sim = new Sim(hashrate, Difficulty.ONE);
        sim.runUntil(1800);
        int shares = sim.runUntil(2400);
        double rate = shares / 600.0;
        double target = 1 / POLICY.secondsPerShare();
        assertThat(rate).as("shares per second over the last 10 minutes").isBetween(target / 2.5, target * 2.5);
        assertThat(sim.controller.current().toDouble() / sim.idealDifficulty()).as("difficulty / ideal").isBetween(0.4, 2.5);
    }

    /** Settles a 1 TH/s miner, multiplies its hash rate by {@code factor}, and returns the simulation after 2 minutes. */
    private static double[] firstChangeAfterHashrateTimes(double factor) {
        Sim sim = new Sim(1e12, Difficulty.ONE);
        sim.runUntil(1200);
        sim.hashrate *= factor;
        sim.firstChangeAt = -1;
        sim.drawNextShare();
        double from = sim.now;
        sim.runUntil(from + 120);
        return new double[] {sim.firstChangeAt - from, sim.firstChangeUp ? 1 : -1};
    }

    @Test
    void aMinerFiftyTimesTooFastGetsAHigherDifficultyWithinSeconds() {
        double[] change = firstChangeAfterHashrateTimes(50);
        assertThat(change[0]).as("seconds to the first change").isBetween(0.0, 5.0);
        assertThat(change[1]).as("direction").isEqualTo(1);
    }

    @Test
    void aMinerFiftyTimesTooSlowGetsALowerDifficultyWithinAMinute() {
        double[] change = firstChangeAfterHashrateTimes(1.0 / 50);
        assertThat(change[0]).as("seconds to the first change").isBetween(0.0, 60.0);
        assertThat(change[1]).as("direction").isEqualTo(-1);
    }

    /** Seconds between consecutive changes after the first. */
    private static List<Double> gapsAfterTheFirst(List<Double> changes) {
        List<Double> gaps = new ArrayList<>();
        for (int i = 2; i < changes.size(); i++) {
            gaps.add(changes.get(i) - changes.get(i - 1));
        }
        return gaps;
    }

    @ParameterizedTest(name = "{0} H/s")
    @ValueSource(doubles = {1e6, 1e9, 1e12, 1e15})
    void changesAreAtLeastTheMinimumIntervalApartAfterTheFirst(double hashrate) {
        Sim sim = new Sim(hashrate, Difficulty.of("1e-9"));
        sim.runUntil(600);
        // Hash rate swings that each call for a change at once.
        for (double factor : new double[] {40, 1.0 / 40, 40, 1.0 / 40}) {
            sim.hashrate *= factor;
            sim.drawNextShare();
            sim.runUntil(sim.now + 120);
        }
        assertThat(sim.changes).as("changes made").hasSizeGreaterThan(4);
        assertThat(gapsAfterTheFirst(sim.changes)).allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(10.0));
    }

    @Test
    void theFirstChangeIsNotHeldBackSoAFastMinerIsCorrectedAfterItsFirstShares() {
        // A 1 PH/s miner on a port starting at 1: eight shares, a few microseconds, then the change.
        Sim sim = new Sim(1e15, Difficulty.ONE);
        sim.runUntil(1);
        assertThat(sim.firstChangeAt).isBetween(0.0, 0.001);
        assertThat(sim.shares).isLessThan(200);
    }

    @Test
    void aMinerBackFromAPauseIsRetargetedInAFewSpacedStepsNotAStaircase() {
        // cpuminer stopped for 70 s: the silence lowers its difficulty twice; then it mines at full speed again.
        Sim sim = new Sim(1.3e7, Difficulty.of("0.001"));
        sim.runUntil(600);
        double hashrate = sim.hashrate;
        sim.hashrate = 0;
        sim.drawNextShare();
        sim.runUntil(sim.now + 70);
        double resumed = sim.now;
        sim.hashrate = hashrate;
        sim.drawNextShare();
        sim.changes.clear();
        sim.runUntil(resumed + 120);
        assertThat(sim.changes).as("changes in the two minutes after the pause").hasSizeBetween(1, 4);
        for (int i = 1; i < sim.changes.size(); i++) {
            assertThat(sim.changes.get(i) - sim.changes.get(i - 1)).isGreaterThanOrEqualTo(10.0);
        }
        assertThat(sim.controller.current().toDouble() / sim.idealDifficulty()).as("difficulty / ideal").isBetween(0.4, 2.5);
    }

    @Test
    void afterASilenceTheRateIsMeasuredFromTheFirstShareNotFromTheChange() {
        Vardiff v = Vardiff.builder().minimum(Difficulty.of("1e-10")).build();
        DifficultyPolicy.Controller c = v.start(Difficulty.ONE, START);
        Difficulty lowered = c.onTick(START.plusSeconds(30));
        assertThat(lowered).as("silence lowers the difficulty").isNotNull();
        // The miner was paused: its first share comes 30 s after the change, then it finds eight in two seconds.
        assertThat(c.onAccepted(lowered, START.plusSeconds(60))).isNull();
        Difficulty next = null;
        for (int i = 1; i <= 8 && next == null; i++) {
            next = c.onAccepted(lowered, START.plusSeconds(60).plusMillis(250L * i));
        }
        // Four shares a second at a 3.3 s target: about 13 times too easy. Counted from the change, the
        // pause would have hidden it (nine shares in 32 s look about right).
        assertThat(next).as("raised").isNotNull();
        assertThat(next.toDouble() / lowered.toDouble()).isBetween(5.0, 30.0);
    }

    @Test
    void neverBelowTheMinersFloorNorOutsideTheBounds() {
        DifficultyPolicy.Controller c = POLICY.start(Difficulty.of(1000), START);
        c.setFloor(Difficulty.of(500), START);
        // Silence for a long time would drop far below 500.
        Difficulty d = c.onTick(START.plusSeconds(3600));
        assertThat(d).isEqualTo(Difficulty.of(500));
        assertThat(c.onTick(START.plusSeconds(7200))).isNull();
        assertThat(c.current()).isEqualTo(Difficulty.of(500));
        assertThat(c.suggest(Difficulty.of(100), START.plusSeconds(7201))).isNull();
        assertThat(c.suggest(Difficulty.of("1e30"), START.plusSeconds(7202))).isEqualTo(Difficulty.of(1L << 50));
    }

    @Test
    void roundingKeepsLargeDifficultiesWhole() {
        assertThat(Vardiff.round(783012.6)).isEqualTo(Difficulty.of(783013));
        assertThat(Vardiff.round(0.000000781234)).isEqualTo(Difficulty.of("0.000000781"));
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> Vardiff.builder().secondsPerShare(0)).hasMessageContaining("outside 0.1..3600");
        assertThatThrownBy(() -> Vardiff.builder().sharesPerRetarget(0)).hasMessageContaining("outside 1..1000");
        assertThatThrownBy(() -> Vardiff.builder().retargetTime(Duration.ZERO)).hasMessageContaining("retarget time");
        assertThatThrownBy(() -> Vardiff.builder().minimumChangeInterval(Duration.ofSeconds(-1)))
                .hasMessageContaining("minimum change interval PT-1S is outside PT0S..PT1H");
        assertThatThrownBy(() -> Vardiff.builder().minimum(Difficulty.of(10)).maximum(Difficulty.of(1)).build())
                .hasMessageContaining("above its maximum");
    }
}
