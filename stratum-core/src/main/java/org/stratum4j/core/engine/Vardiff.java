package org.stratum4j.core.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * Variable difficulty: aims each session at a steady share rate (default one share every 3.33 s,
 * ckpool's 0.3/s) whatever its hash rate, from a CPU miner to a warehouse behind one connection.
 *
 * <p>The estimate is an exponentially decaying average of accepted difficulty per second
 * (difficulty-weighted, so it measures hash rate and survives difficulty changes), corrected for
 * its start-up bias, over a time constant of {@link Builder#decayPeriod} (default 60 s). A
 * retarget is considered after {@link Builder#sharesPerRetarget} shares (default 8: a miner 50×
 * too fast is corrected in well under a second of its shares) or {@link Builder#retargetTime}
 * without them (default 30 s: a miner far too slow gets an easier difficulty within a minute,
 * guessing from the silence that a share would take at least twice as long as it has waited). It
 * changes only when the ideal is outside [½, 2]× the current value, so noise does not cause churn.
 * Results are clamped to [minimum, maximum] and the miner's own floor; difficulties of 1 and more
 * are rounded to whole numbers (many ASIC firmwares parse them as integers), smaller ones to three
 * significant digits.
 *
 * <p>Changes are also bounded in time: after a change, the next one waits at least
 * {@link Builder#minimumChangeInterval} (default 10 s), however fast the shares come. Only the
 * session's first change is exempt, so that a miner far faster than its port's starting difficulty
 * is corrected after its first {@link Builder#sharesPerRetarget} shares rather than flooding the
 * pool for the interval. Without the bound, a miner coming back from a pause climbs a staircase of
 * changes a second apart (each estimate still diluted by the pause); with it, each step waits for
 * enough shares to land close to the ideal, and at most six changes a minute reach any miner. The
 * engine judges shares on older jobs at the difficulty they were sent with, so a change never costs
 * the miner a share; the bound keeps the miner's view (and the job memory) steady. After a change
 * made from silence, the rate is measured from the next share on, so a pause is not counted twice.
 */
public final class Vardiff implements DifficultyPolicy {

    private final double secondsPerShare;
    private final Difficulty minimum;
    private final Difficulty maximum;
    private final double decaySeconds;
    private final int sharesPerRetarget;
    private final double retargetSeconds;
    private final double minimumChangeSeconds;

    private Vardiff(Builder b) {
        this.secondsPerShare = b.secondsPerShare;
        this.minimum = b.minimum;
        this.maximum = b.maximum;
        this.decaySeconds = b.decayPeriod.toMillis() / 1000.0;
        this.sharesPerRetarget = b.sharesPerRetarget;
        this.retargetSeconds = b.retargetTime.toMillis() / 1000.0;
        this.minimumChangeSeconds = b.minimumChangeInterval.toMillis() / 1000.0;
    }

    /** A builder with the defaults above; minimum 0.001 and maximum 2^40 unless set. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Difficulty minimum() {
        return minimum;
    }

    @Override
    public Difficulty maximum() {
        return maximum;
    }

    /** The share interval aimed at, in seconds. */
    public double secondsPerShare() {
        return secondsPerShare;
    }

    @Override
    public Controller start(Difficulty initial, Instant now) {
        return new Session(DifficultyPolicy.clamp(initial, minimum, maximum), now);
    }

    /** Rounds as documented: integers from 1 up, three significant digits below. */
    static Difficulty round(double d) {
        if (d >= 1) {
            return Difficulty.of(BigDecimal.valueOf(Math.rint(d)));
        }
        return Difficulty.of(new BigDecimal(d, new MathContext(3)).stripTrailingZeros());
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private final class Session implements Controller {
        private Difficulty current;
        private Difficulty floor;
        /** Decayed sum of accepted difficulty per second (unnormalized), as of {@code lastUpdate}. */
        private double rate;
        private Instant estimateStart;
        private Instant lastUpdate;
        private Instant lastRetarget;
        private int sharesSinceRetarget;
        private Instant lastChange;
        private boolean changedBefore;
        /** After a change made from silence: the estimate starts at the next share, not at the change. */
        private boolean awaitingFirstShare;

        Session(Difficulty start, Instant now) {
            this.current = start;
            this.floor = minimum;
            this.estimateStart = now;
            this.lastUpdate = now;
            this.lastRetarget = now;
            this.lastChange = now;
        }

        @Override
        public Difficulty current() {
            return current;
        }

        @Override
        public Difficulty setFloor(Difficulty f, Instant now) {
            floor = DifficultyPolicy.clamp(f, minimum, maximum);
            return current.compareTo(floor) < 0 ? change(floor, now, true) : null;
        }

        @Override
        public Difficulty suggest(Difficulty s, Instant now) {
            Difficulty d = DifficultyPolicy.clamp(Difficulty.max(s, floor), minimum, maximum);
            return d.compareTo(current) == 0 ? null : change(d, now, true);
        }

        @Override
        public Difficulty onAccepted(Difficulty judgedAt, Instant now) {
            if (awaitingFirstShare) {
                // The silence already lowered the difficulty; counting it again in the estimate (a miner
                // back from a pause looks slow for a whole decay period) would lower it once more. The
                // rate is measured from this share on, so this share itself opens the window.
                awaitingFirstShare = false;
                rate = 0;
                estimateStart = now;
                lastUpdate = now;
                sharesSinceRetarget = 0;
                return null;
            }
            decayTo(now);
            rate += judgedAt.toDouble() / decaySeconds;
            sharesSinceRetarget++;
            return sharesSinceRetarget >= sharesPerRetarget && mayChange(now) ? retarget(now) : null;
        }

        @Override
        public Difficulty onTick(Instant now) {
            return seconds(lastRetarget, now) >= retargetSeconds && mayChange(now) ? retarget(now) : null;
        }

        /** The churn bound: the first change at once, later ones at least the minimum interval apart. */
        private boolean mayChange(Instant now) {
            return !changedBefore || seconds(lastChange, now) >= minimumChangeSeconds;
        }

        private void decayTo(Instant now) {
            double dt = seconds(lastUpdate, now);
            if (dt > 0) {
                rate *= Math.exp(-dt / decaySeconds);
                lastUpdate = now;
            }
        }

        private Difficulty retarget(Instant now) {
            double waited = seconds(lastRetarget, now);
            double estimate;
            boolean silent = sharesSinceRetarget == 0;
            if (silent) {
                if (waited <= 0) {
                    return null;
                }
                // No share since the last change: the true rate is most likely well below one per "waited".
                estimate = current.toDouble() / (2 * waited);
            } else {
                decayTo(now);
                double span = Math.max(seconds(estimateStart, now), 1e-6);
                estimate = rate / -Math.expm1(-span / decaySeconds);
            }
            double ideal = estimate * secondsPerShare;
            double ratio = ideal / current.toDouble();
            sharesSinceRetarget = 0;
            lastRetarget = now;
            if (ratio >= 0.5 && ratio <= 2) {
                return null;
            }
            Difficulty low = Difficulty.max(minimum, floor);
            // Bound before rounding, so that no estimate (however wild) makes an unrepresentable difficulty.
            double bounded = Math.min(Math.max(ideal, low.toDouble()), maximum.toDouble());
            Difficulty next = DifficultyPolicy.clamp(round(bounded), low, maximum);
            if (next.compareTo(current) == 0) {
                return null;
            }
            changedBefore = true;
            awaitingFirstShare = silent;
            return change(next, now, silent);
        }

        private Difficulty change(Difficulty d, Instant now, boolean restartEstimate) {
            current = d;
            lastRetarget = now;
            lastChange = now;
            sharesSinceRetarget = 0;
            if (restartEstimate) {
                // What was measured at a difficulty that found nothing (or that the miner overrode) says little.
                rate = 0;
                estimateStart = now;
                lastUpdate = now;
            }
            return d;
        }
    }

    /** Settings, checked when set. */
    public static final class Builder {
        private double secondsPerShare = 10.0 / 3;
        private Difficulty minimum = Difficulty.of("0.001");
        private Difficulty maximum = Difficulty.of(1L << 40);
        private Duration decayPeriod = Duration.ofSeconds(60);
        private int sharesPerRetarget = 8;
        private Duration retargetTime = Duration.ofSeconds(30);
        private Duration minimumChangeInterval = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Target interval between a session's shares, 0.1 s to 1 hour (default 3.33 s). */
        public Builder secondsPerShare(double seconds) {
            if (!(seconds >= 0.1 && seconds <= 3600)) {
                throw new IllegalArgumentException("seconds per share " + seconds + " is outside 0.1..3600");
            }
            this.secondsPerShare = seconds;
            return this;
        }

        /** Lowest difficulty (default 0.001). */
        public Builder minimum(Difficulty d) {
            this.minimum = Objects.requireNonNull(d, "minimum");
            return this;
        }

        /** Highest difficulty (default 2^40). */
        public Builder maximum(Difficulty d) {
            this.maximum = Objects.requireNonNull(d, "maximum");
            return this;
        }

        /** Time constant of the rate average, 1 s to 1 hour (default 60 s). */
        public Builder decayPeriod(Duration d) {
            this.decayPeriod = within(d, Duration.ofSeconds(1), Duration.ofHours(1), "decay period");
            return this;
        }

        /** Shares after which a retarget is considered, 1..1000 (default 8). */
        public Builder sharesPerRetarget(int n) {
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("shares per retarget " + n + " is outside 1..1000");
            }
            this.sharesPerRetarget = n;
            return this;
        }

        /** Time after which a retarget is considered without shares, 1 s to 1 hour (default 30 s). */
        public Builder retargetTime(Duration d) {
            this.retargetTime = within(d, Duration.ofSeconds(1), Duration.ofHours(1), "retarget time");
            return this;
        }

        /**
         * Least time between two changes after a session's first, 0 s to 1 hour (default 10 s). A
         * miner's own request ({@code mining.suggest_difficulty}, {@code minimum-difficulty}) is
         * applied at once and starts the interval again.
         */
        public Builder minimumChangeInterval(Duration d) {
            this.minimumChangeInterval = within(d, Duration.ZERO, Duration.ofHours(1), "minimum change interval");
            return this;
        }

        /** The policy. */
        public Vardiff build() {
            if (minimum.compareTo(maximum) > 0) {
                throw new IllegalArgumentException("vardiff minimum " + minimum + " is above its maximum " + maximum);
            }
            return new Vardiff(this);
        }

        private static Duration within(Duration d, Duration low, Duration high, String what) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(low) < 0 || d.compareTo(high) > 0) {
                throw new IllegalArgumentException(what + " " + d + " is outside " + low + ".." + high);
            }
            return d;
        }
    }
}
