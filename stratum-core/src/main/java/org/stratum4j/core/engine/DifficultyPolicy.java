package org.stratum4j.core.engine;

import java.time.Instant;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * SPI: how a session's share difficulty is chosen. The engine makes one {@link Controller} per
 * session and calls it only on that session's event loop, so a controller needs no locking.
 * Every method that may change the difficulty returns the new one, or {@code null} when it stays;
 * the engine then sends {@code mining.set_difficulty} and a fresh job.
 */
public interface DifficultyPolicy {

    /** A controller for a new session, starting at {@code initial} (already within the policy's bounds). */
    Controller start(Difficulty initial, Instant now);

    /** The bounds every difficulty is clamped to. */
    Difficulty minimum();

    /** The upper bound. */
    Difficulty maximum();

    /** One session's difficulty. */
    interface Controller {
        /** The difficulty shares are judged at now. */
        Difficulty current();

        /** The miner's own floor ({@code minimum-difficulty}, {@code d=N}): never go below it. */
        Difficulty setFloor(Difficulty floor, Instant now);

        /** The miner's suggestion ({@code mining.suggest_difficulty}): start from it, within bounds and floor. */
        Difficulty suggest(Difficulty suggestion, Instant now);

        /** An accepted share, judged at {@code judgedAt}. */
        Difficulty onAccepted(Difficulty judgedAt, Instant now);

        /** Time passes (the engine's timer). */
        Difficulty onTick(Instant now);
    }

    /** A fixed difficulty: the start value, or the miner's suggestion or floor, within [min, max]. */
    static DifficultyPolicy fixed(Difficulty minimum, Difficulty maximum) {
        Objects.requireNonNull(minimum, "minimum");
        Objects.requireNonNull(maximum, "maximum");
        if (minimum.compareTo(maximum) > 0) {
            throw new IllegalArgumentException("minimum difficulty " + minimum + " is above the maximum " + maximum);
        }
        return new FixedDifficulty(minimum, maximum);
    }

    /** Clamps {@code d} into [low, high]. */
    static Difficulty clamp(Difficulty d, Difficulty low, Difficulty high) {
        return Difficulty.min(Difficulty.max(d, low), high);
    }
}
