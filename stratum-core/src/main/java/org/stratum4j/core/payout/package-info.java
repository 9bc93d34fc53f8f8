/**
 * Payouts in the coinbase: {@link org.stratum4j.core.payout.Pplns} splits a block's reward over a
 * window of shares (pay per last N shares), to the satoshi, with a pool fee, a minimum payout and a
 * cap on outputs whose remainder is carried to a later block; the result is a
 * {@link org.stratum4j.core.payout.PayoutPlan}. Pure: the window and the carried balances come
 * from the caller (a share store, say).
 */
package org.stratum4j.core.payout;
