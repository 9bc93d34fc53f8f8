/**
 * Payouts in the coinbase for the example pool: the PPLNS window and the
 * carried balances read from the share store's database, and each found block's payouts recorded
 * there exactly as its coinbase pays them. The split itself is {@link org.stratum4j.core.payout.Pplns}.
 */
package org.stratum4j.examples.payout;
