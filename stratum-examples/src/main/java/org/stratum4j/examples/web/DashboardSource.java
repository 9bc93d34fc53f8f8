package org.stratum4j.examples.web;

import java.time.Instant;
import java.util.List;

/**
 * What the dashboard reads: the narrow seam between the pages and where the figures live (this
 * process's memory, or the share store for a cluster).
 */
public interface DashboardSource {

    /** The pool at a glance. */
    record PoolSummary(double hashrate, int workersOnline, int minersOnline, long height, double networkDifficulty,
                       long blocksFound) {
        /** Seconds the pool needs on average for a block at this hashrate, or -1 at no hashrate. */
        public double expectedBlockSeconds() {
            return hashrate <= 0 ? -1 : networkDifficulty * ShareHistory.HASHES_PER_DIFFICULTY / hashrate;
        }
    }

    /** A block the pool found. */
    record BlockView(long height, String hash, String worker, Instant time, String status, long confirmations) {
    }

    /**
     * What an address earned in one block, from the payout ledger (pool mode with payouts in the
     * coinbase): satoshis earned, paid by that block's coinbase, and left as a balance after it.
     */
    record EarningView(String blockHash, Long height, Instant foundAt, long earnedSats, long paidSats, long balanceSats,
                       String status, int confirmations) {
    }

    /** The pool's figures now. */
    PoolSummary pool();

    /** The pool's hashrate over {@code view}: [epoch second, H/s] points, oldest first. */
    double[][] poolSeries(ShareHistory.View view);

    /** The best shares, best first. */
    List<ShareHistory.BestShare> bestShares();

    /** The workers of one address (empty when it has none). */
    List<ShareHistory.WorkerView> workersOf(String address);

    /** One worker's hashrate over {@code view}, or null when unknown. */
    double[][] workerSeries(String worker, ShareHistory.View view);

    /** Found blocks, newest first, at most {@code limit}. */
    List<BlockView> blocks(int limit);

    /** {@code address}'s most recent earnings, newest first; empty where payouts are not in the coinbase. */
    default List<EarningView> earnings(String address) {
        return List.of();
    }

    /** Connected miners by software (the user agent's name), most first. */
    java.util.Map<String, Long> minerSoftware();
}
