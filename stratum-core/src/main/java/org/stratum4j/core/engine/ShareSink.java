package org.stratum4j.core.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SPI: where judged shares go (a share log, accounting, statistics). Called on the session's event
 * loop for every share, accepted or not; it must not block.
 *
 * <p>A durable sink ({@link #isDurable()}) promises that an accepted share is stored once the
 * returned stage completes; the engine sends the miner's {@code true} only then, so nothing it
 * acknowledged is lost; a stage that fails with a {@link ShareRefusedException} gives the miner that
 * exception's error instead (a proxy's sink passes on the upstream pool's verdict so), and any other
 * failure tells the miner the share could not be stored. A non-durable sink's stage is ignored.
 */
public interface ShareSink {

    /** Takes one share; for a durable sink the stage completes when it is stored (or fails when it cannot be). */
    CompletionStage<Void> record(ShareEvent event);

    /** Whether {@link #record} completion means "stored". */
    default boolean isDurable() {
        return false;
    }

    /** A sink that drops everything. */
    static ShareSink discard() {
        return event -> CompletableFuture.completedFuture(null);
    }
}
