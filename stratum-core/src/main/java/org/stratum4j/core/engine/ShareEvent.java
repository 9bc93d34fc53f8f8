package org.stratum4j.core.engine;

import java.net.SocketAddress;
import java.time.Instant;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.share.RejectReason;

/**
 * One share and its verdict, for a {@link ShareSink}: everything needed to account for it or to
 * re-check it later.
 *
 * @param time           when it was judged
 * @param sessionId      the engine's id of the connection
 * @param remoteAddress  the miner's address
 * @param worker         the worker name (may be null for a submit without one)
 * @param jobId          the job id as submitted
 * @param baseJobId      the id the job was published under ({@link PoolCore#announce}, {@link PoolCore#newTemplate}): the
 *                       same as {@code jobId} unless the session was sent a copy under its own id (after a difficulty
 *                       change, or paying its own worker); null when the share named no job in force
 * @param extranonce1    hex
 * @param extranonce2    hex (null when malformed)
 * @param ntime          as submitted
 * @param nonce          as submitted
 * @param version        the header version hashed (0 when not hashed)
 * @param difficulty     the difficulty the share was judged at
 * @param hash           the proof-of-work hash, or null when rejected before hashing
 * @param shareDifficulty the hash's own difficulty, or 0
 * @param rejectReason   null when accepted
 * @param block          whether it is a block
 */
public record ShareEvent(Instant time, long sessionId, SocketAddress remoteAddress, String worker, String jobId, String baseJobId,
                         String extranonce1, String extranonce2, int ntime, int nonce, int version, Difficulty difficulty,
                         Sha256Hash hash, double shareDifficulty, RejectReason rejectReason, boolean block) {

    /** Whether the share was accepted. */
    public boolean accepted() {
        return rejectReason == null;
    }
}
