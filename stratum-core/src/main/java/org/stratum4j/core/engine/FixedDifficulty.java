package org.stratum4j.core.engine;

import java.time.Instant;
import org.stratum4j.core.bitcoin.Difficulty;

/** {@link DifficultyPolicy#fixed}: changes only when the miner asks. */
final class FixedDifficulty implements DifficultyPolicy {

    private final Difficulty minimum;
    private final Difficulty maximum;

    FixedDifficulty(Difficulty minimum, Difficulty maximum) {
        this.minimum = minimum;
        this.maximum = maximum;
    }

    @Override
    public Difficulty minimum() {
        return minimum;
    }

    @Override
    public Difficulty maximum() {
        return maximum;
    }

    @Override
    public Controller start(Difficulty initial, Instant now) {
        return new Controller() {
            private Difficulty current = DifficultyPolicy.clamp(initial, minimum, maximum);
            private Difficulty floor = minimum;

            @Override
            public Difficulty current() {
                return current;
            }

            @Override
            public Difficulty setFloor(Difficulty f, Instant t) {
                floor = DifficultyPolicy.clamp(f, minimum, maximum);
                return change(Difficulty.max(current, floor));
            }

            @Override
            public Difficulty suggest(Difficulty s, Instant t) {
                return change(DifficultyPolicy.clamp(Difficulty.max(s, floor), minimum, maximum));
            }

            @Override
            public Difficulty onAccepted(Difficulty judgedAt, Instant t) {
                return null;
            }

            @Override
            public Difficulty onTick(Instant t) {
                return null;
            }

            private Difficulty change(Difficulty d) {
                if (d.compareTo(current) == 0) {
                    return null;
                }
                current = d;
                return d;
            }
        };
    }
}
