package org.stratum4j.examples.sharelog;

/**
 * One share as read back from a {@link ShareLog}: an accepted one, or (in a log that keeps them) a
 * rejected one, whose {@code reject} says why.
 *
 * @param time        when it was judged (ISO-8601)
 * @param worker      the worker name
 * @param job         the job id
 * @param extranonce1 hex
 * @param extranonce2 hex
 * @param ntime       hex, as submitted
 * @param nonce       hex, as submitted
 * @param version     hex, the header version hashed
 * @param difficulty  the share difficulty it was accepted at
 * @param hash        the block-header hash (display hex)
 * @param block       whether it was a block
 * @param remote      the miner's IP address, or null in logs older than this field
 * @param reject      null for an accepted share, else its reject reason in lower case ({@code low_difficulty}, …)
 */
public record LoggedShare(String time, String worker, String job, String extranonce1, String extranonce2, String ntime,
                          String nonce, String version, String difficulty, String hash, boolean block, String remote,
                          String reject) {

    /** Whether the share was accepted. */
    public boolean accepted() {
        return reject == null;
    }
}
