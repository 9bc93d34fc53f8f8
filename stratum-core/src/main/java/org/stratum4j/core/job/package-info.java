/**
 * From a node's block template to Stratum jobs and back to a block: the template model and its
 * {@code getblocktemplate} parser, the coinbase builder (split at the extranonce), jobs and their
 * ids, the job book that share validation looks jobs up in, the block assembler that makes the
 * {@code submitblock} bytes, and a validator that checks a block with Bitcoin Core's rules.
 *
 * <p>Everything here is immutable or thread-safe; nothing reads the wall clock (a
 * {@link java.time.Clock} is injected) or does I/O.
 */
package org.stratum4j.core.job;
