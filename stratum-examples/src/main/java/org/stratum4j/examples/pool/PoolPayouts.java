package org.stratum4j.examples.pool;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.engine.Authorizer;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.engine.Payouts;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.payout.Pplns;
import org.stratum4j.examples.payout.PayoutBook;

/**
 * How the pool pays a block, by mode and scheme: the engine's {@link Payouts}, who may mine (the
 * authorizer), whether each miner gets its own jobs, and for PPLNS in the coinbase the
 * {@link PayoutBook} that reads the window and records found blocks.
 */
final class PoolPayouts implements AutoCloseable {

    /** What the pool-wide job pays in solo mode, where miners only ever get their own jobs. */
    private static final byte[] NOBODY = {0x6a};
    /** How often the PPLNS window is read again from the database. */
    private static final Duration WINDOW_REFRESH = Duration.ofSeconds(10);

    final Payouts payouts;
    final Authorizer authorizer;
    final boolean perWorker;
    private final PayoutBook book;
    private final String description;

    private PoolPayouts(Payouts payouts, Authorizer authorizer, boolean perWorker, PayoutBook book, String description) {
        this.payouts = payouts;
        this.authorizer = authorizer;
        this.perWorker = perWorker;
        this.book = book;
        this.description = description;
    }

    static PoolPayouts choose(PoolConfig c, Network network, Clock clock) throws ConfigException {
        if (c.mode == PoolConfig.Mode.SOLO) {
            return new PoolPayouts(t -> List.of(CoinbaseOutput.of(0, NOBODY)), new SoloAuthorizer(network), true, null,
                    "each block pays the address in its finder's worker name");
        }
        Address address;
        try {
            address = Address.parse(c.payoutAddress, network);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--payout-address " + c.payoutAddress + " is not a " + network.id() + " address: " + e.getMessage());
        }
        if (c.payoutScheme == PoolConfig.PayoutScheme.POOL_ADDRESS) {
            return new PoolPayouts(t -> List.of(CoinbaseOutput.to(address, t.coinbaseValue())), Authorizer.acceptWellFormed(), false,
                    null, "every block pays " + address);
        }
        Pplns pplns = Pplns.builder(address).feePercent(c.poolFee).minPayout(c.minPayout).maxOutputs(c.maxPayoutOutputs).build();
        PayoutBook book = PayoutBook.start(c.database, network, pplns, c.pplnsWindowFactor, c.instanceId, WINDOW_REFRESH, clock);
        // Payees are addresses: a user name must start with one, as in solo mode.
        return new PoolPayouts(book, new SoloAuthorizer(network), false, book, "every coinbase pays miners' addresses over a PPLNS"
                + " window of " + c.pplnsWindowFactor.toPlainString() + "x the network difficulty (" + pplns + ")");
    }

    /** {@code submitter}, with found blocks' payouts recorded when the scheme keeps a ledger. */
    BlockSubmitter recording(BlockSubmitter submitter) {
        return book == null ? submitter : book.recording(submitter);
    }

    Optional<PayoutBook> book() {
        return Optional.ofNullable(book);
    }

    void describe(Logger log) {
        log.info("payouts: {}", description);
    }

    @Override
    public void close() {
        if (book != null) {
            book.close();
        }
    }
}
