package org.stratum4j.core.engine;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * SPI: hands a found block to the node ({@code submitblock}) at once. It must not block the
 * caller (the engine calls it on an event loop); the stage completes with empty when the node
 * accepted the block, or its reason ({@code high-hash}, {@code inconclusive}, …), which the engine
 * logs.
 */
@FunctionalInterface
public interface BlockSubmitter {

    /** Submits; never throws (a failed stage is logged as a failed submission). */
    CompletionStage<Optional<String>> submit(FoundBlock block);
}
