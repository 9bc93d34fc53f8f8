package org.stratum4j.examples.sharelog;

/**
 * One accepted share as read back from a {@link ShareLog}.
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
 */
public record LoggedShare(String time, String worker, String job, String extranonce1, String extranonce2, String ntime,
                          String nonce, String version, String difficulty, String hash, boolean block) {
}
