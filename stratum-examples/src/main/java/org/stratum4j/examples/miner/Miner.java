package org.stratum4j.examples.miner;

import java.util.concurrent.CompletableFuture;
import org.stratum4j.core.bitcoin.Difficulty;

/** A running CPU miner, Stratum V1 ({@link CpuMiner}) or V2 ({@link Sv2CpuMiner}), as its command line reports it. */
public interface Miner extends AutoCloseable {

    /**
     * Connects and starts hashing.
     *
     * @throws Exception when the pool cannot be reached or refuses the user (the message says why)
     */
    void start() throws Exception;

    /** Hashes done so far. */
    long hashes();

    /** Shares the pool accepted. */
    long accepted();

    /** Shares the pool rejected (or that got no answer). */
    long rejected();

    /** The current share difficulty. */
    Difficulty difficulty();

    /** Completes with the reason when the pool connection ends. */
    CompletableFuture<String> closedFuture();

    /** Stops hashing and disconnects. */
    @Override
    void close();
}
