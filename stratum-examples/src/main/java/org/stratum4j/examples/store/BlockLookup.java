package org.stratum4j.examples.store;

import java.util.Optional;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * What the chain says about a block the pool found: the share store asks it to follow each block
 * until it is final. Implemented by the Bitcoin Core adapter ({@code getblockheader}) and the demo
 * chain.
 */
@FunctionalInterface
public interface BlockLookup {

    /**
     * Where a block stands.
     *
     * @param height        its height
     * @param confirmations 1 for the tip, more below it; negative when another block holds its height
     *                      (it is not on the main chain)
     */
    record BlockState(long height, long confirmations) {
        /** Whether the block is on the main chain. */
        public boolean onMainChain() {
            return confirmations >= 0;
        }
    }

    /**
     * The block's state, or empty when the chain has never seen it.
     *
     * @throws Exception when the chain cannot be asked now (the store tries again later)
     */
    Optional<BlockState> lookup(Sha256Hash hash) throws Exception;
}
