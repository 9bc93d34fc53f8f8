package org.stratum4j.core.engine;

import java.util.Objects;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.job.Job;

/**
 * A share that met the network target, assembled into the bytes {@code submitblock} takes.
 *
 * @param hash   the block hash
 * @param height the block's height
 * @param block  the serialized block
 * @param job    the job it was mined on
 * @param worker who found it
 */
public record FoundBlock(Sha256Hash hash, long height, byte[] block, Job job, String worker) {
    /** Checks the components. */
    public FoundBlock {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(job, "job");
    }
}
