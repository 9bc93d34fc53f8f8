/**
 * Bitcoin primitives that the rest of stratum4j stands on: hashes with explicit byte order,
 * SHA-256 / sha256d with a midstate, compact nBits, targets and difficulty, the 80-byte block
 * header, merkle roots and Stratum branches, varints, script numbers, the witness commitment and
 * payout addresses.
 *
 * <h2>Byte order</h2>
 * A {@link org.stratum4j.core.bitcoin.Sha256Hash} always stores the <em>internal</em> order: the
 * raw bytes a SHA-256 produces, as they sit in headers and transactions. The <em>display</em> order
 * that block explorers and Bitcoin Core's RPC print is the same 32 bytes reversed. Every method that
 * takes or gives hex says which of the two it means in its name; nothing in this package reverses
 * bytes behind the caller's back.
 *
 * <p>Everything here is immutable or stateless and safe to share between threads, except
 * {@link org.stratum4j.core.bitcoin.Sha256Hasher}, which is a per-thread scratch object.
 */
package org.stratum4j.core.bitcoin;
