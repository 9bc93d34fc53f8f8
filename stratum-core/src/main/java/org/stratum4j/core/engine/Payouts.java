package org.stratum4j.core.engine;

import java.util.List;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseOutput;

/** SPI: the coinbase outputs of the jobs made from a template (one address, a PPLNS split, …). */
@FunctionalInterface
public interface Payouts {

    /** The payouts for {@code template}; together at most its {@code coinbasevalue}. */
    List<CoinbaseOutput> outputsFor(BlockTemplate template);
}
