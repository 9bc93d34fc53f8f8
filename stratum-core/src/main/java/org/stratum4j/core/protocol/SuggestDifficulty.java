package org.stratum4j.core.protocol;

import java.util.Objects;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * {@code mining.suggest_difficulty [difficulty]}, which may come before subscribe. The value may be
 * a JSON number or a numeric string.
 *
 * @param id         the request id
 * @param difficulty the difficulty suggested
 */
public record SuggestDifficulty(RequestId id, Difficulty difficulty) implements MinerMessage {
    /** Checks the components. */
    public SuggestDifficulty {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(difficulty, "difficulty");
    }
}
