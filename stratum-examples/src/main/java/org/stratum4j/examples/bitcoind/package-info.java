/**
 * Bitcoin Core adapter of the example pool: a JSON-RPC client for {@code getblocktemplate}
 * (with long poll), {@code submitblock} and {@code getblockchaininfo}, with user/password or cookie
 * authentication and typed errors.
 */
package org.stratum4j.examples.bitcoind;
