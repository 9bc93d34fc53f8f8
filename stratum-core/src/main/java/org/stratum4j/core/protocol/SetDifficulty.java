package org.stratum4j.core.protocol;

import java.util.Objects;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * {@code mining.set_difficulty [difficulty]}: the share difficulty for jobs sent after it.
 *
 * @param difficulty the new share difficulty
 */
public record SetDifficulty(Difficulty difficulty) implements PoolMessage {
    /** Checks the components. */
    public SetDifficulty {
        Objects.requireNonNull(difficulty, "difficulty");
    }

    @Override
    public RequestId id() {
        return RequestId.NULL;
    }
}
