package org.stratum4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
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

        Sim(double hashrate, Difficulty start) {
            this.hashrate = hashrate;
            this.controller = POLICY.start(start, START);
            drawNextShare();
        }

        void drawNextShare() {
            double lambda = hashrate / (controller.current().toDouble() * TWO_32);
            nextShare = now - Math.log(1 - random.nextDouble()) / lambda;
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
        assertThatThrownBy(() -> Vardiff.builder().minimum(Difficulty.of(10)).maximum(Difficulty.of(1)).build())
                .hasMessageContaining("above its maximum");
    }
}
