/**
 * Stratum V1 messages and their line codec, for both ends of a connection.
 *
 * <ul>
 *   <li>{@link org.stratum4j.core.protocol.PoolCodec}: the pool side. Decodes what miners send
 *       into {@link org.stratum4j.core.protocol.MinerMessage}s and encodes what a pool sends.</li>
 *   <li>{@link org.stratum4j.core.protocol.ClientCodec}: the miner side (CPU miner, load
 *       generator, proxy). Decodes {@link org.stratum4j.core.protocol.PoolMessage}s and encodes
 *       requests.</li>
 * </ul>
 *
 * <p>Decoding never throws on input: anything that is not a well-formed message becomes a
 * {@link org.stratum4j.core.protocol.DecodeError} (carrying the request id when one could be
 * read). A request whose method is known but whose params are wrong is a decode error of kind
 * {@link org.stratum4j.core.protocol.DecodeError.Kind#INVALID_PARAMS}, except {@code mining.submit},
 * which keeps its problem in {@link org.stratum4j.core.protocol.Submit#paramsError()} so that the
 * engine can still answer "not subscribed" (25) or "unauthorized worker" (24) first, as the
 * protocol orders them. A method the codec does not know is an
 * {@link org.stratum4j.core.protocol.UnknownMethod}, to be answered with error 20.
 *
 * <h2>Errors on the wire</h2>
 * An error response is {@code {"id":…,"result":R,"error":[code,"message",null]}} where {@code R} is
 * {@code false} for the methods whose success result is {@code true} (submit, authorize,
 * suggest_difficulty, extranonce.subscribe), so that miners testing {@code result == true} see a
 * rejection, and {@code null} for all others. Codes are the constants of
 * {@link org.stratum4j.core.protocol.StratumError}.
 *
 * <p>Codecs are not thread-safe: give each event loop its own.
 */
package org.stratum4j.core.protocol;
