package org.stratum4j.core.engine;

import java.util.List;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseOutput;

/**
 * SPI: the coinbase outputs of the jobs made from a template (one address, a PPLNS split, …), and,
 * on an engine with {@linkplain PoolEngine.Builder#payoutPerWorker per-worker payouts}, of the
 * jobs for one miner's payout script.
 */
@FunctionalInterface
public interface Payouts {

    /** The payouts for {@code template}; together at most its {@code coinbasevalue}. */
    List<CoinbaseOutput> outputsFor(BlockTemplate template);

    /**
     * The payouts of a job for the miner whose authorization named {@code minerScript}; by default
     * the whole {@code coinbasevalue} to it (solo mining). Override to keep a pool fee.
     */
    default List<CoinbaseOutput> outputsFor(BlockTemplate template, byte[] minerScript) {
        return List.of(CoinbaseOutput.of(template.coinbaseValue(), minerScript));
    }
}
