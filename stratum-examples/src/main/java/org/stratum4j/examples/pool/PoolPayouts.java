package org.stratum4j.examples.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.engine.Authorizer;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.engine.Payouts;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.payout.Pplns;
import org.stratum4j.examples.payout.PayoutBook;
import org.stratum4j.examples.stats.StatsServer;

/**
 * How the pool pays a block, by mode and scheme: the engine's {@link Payouts}, who may mine (the
 * authorizer), whether each miner gets its own jobs, and for PPLNS in the coinbase the
 * {@link PayoutBook} that reads the window and records found blocks.
 */
final class PoolPayouts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PoolPayouts.class);
    /** What the pool-wide job pays in solo mode, where miners only ever get their own jobs. */
    private static final byte[] NOBODY = {0x6a};
    /** Jobs are made again from the last template at least this often when the split changed. */
    static final Duration JOB_REFRESH = Duration.ofSeconds(30);

    final Payouts payouts;
    final Authorizer authorizer;
    final boolean perWorker;
    private final PayoutBook book;
    private final String description;
    private final Clock clock;
    private final ScheduledExecutorService refresher;

    private PoolPayouts(Payouts payouts, Authorizer authorizer, boolean perWorker, PayoutBook book, String description, Clock clock) {
        this.clock = clock;
        this.refresher = book == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "payout-job-refresh");
            th.setDaemon(true);
            return th;
        });
        this.payouts = payouts;
        this.authorizer = authorizer;
        this.perWorker = perWorker;
        this.book = book;
        this.description = description;
    }

    static PoolPayouts choose(PoolConfig c, Network network, Clock clock) throws ConfigException {
        if (c.mode == PoolConfig.Mode.SOLO) {
            return new PoolPayouts(t -> List.of(CoinbaseOutput.of(0, NOBODY)), new SoloAuthorizer(network), true, null,
                    "each block pays the address in its finder's worker name", clock);
        }
        Address address;
        try {
            address = Address.parse(c.payoutAddress, network);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--payout-address " + c.payoutAddress + " is not a " + network.id() + " address: " + e.getMessage());
        }
        if (c.payoutScheme == PoolConfig.PayoutScheme.POOL_ADDRESS) {
            return new PoolPayouts(t -> List.of(CoinbaseOutput.to(address, t.coinbaseValue())), Authorizer.acceptWellFormed(), false,
                    null, "every block pays " + address, clock);
        }
        Pplns pplns = Pplns.builder(address).feePercent(c.poolFee).minPayout(c.minPayout).maxOutputs(c.maxPayoutOutputs).build();
        PayoutBook book = PayoutBook.start(c.database, network, pplns, c.pplnsWindowFactor, c.instanceId,
                Duration.ofMillis(Math.round(c.pplnsRefreshSeconds * 1000)), clock);
        // Payees are addresses: a user name must start with one, as in solo mode.
        return new PoolPayouts(book, new SoloAuthorizer(network), false, book, "every coinbase pays miners' addresses over a PPLNS"
                + " window of " + c.pplnsWindowFactor.toPlainString() + "x the network difficulty (" + pplns + ")", clock);
    }

    /**
     * {@code announce}, which makes and sends the jobs of a template; with PPLNS in the coinbase
     * also called again with the last template when {@link #JOB_REFRESH} has passed without one
     * and the window has been read since, so that jobs carry the current split on a quiet chain.
     * Calls never overlap (the engine takes templates from one thread at a time).
     */
    Consumer<BlockTemplate> refreshing(Consumer<BlockTemplate> announce) {
        return refreshing(announce, JOB_REFRESH);
    }

    /** As {@link #refreshing(Consumer)}, remaking jobs every {@code every} (tests use less than 30 s). */
    Consumer<BlockTemplate> refreshing(Consumer<BlockTemplate> announce, Duration every) {
        if (book == null) {
            return announce;
        }
        Object lock = new Object();
        AtomicReference<BlockTemplate> last = new AtomicReference<>();
        AtomicReference<Instant> announcedAt = new AtomicReference<>(Instant.MIN);
        Consumer<BlockTemplate> once = t -> {
            synchronized (lock) {
                last.set(t);
                announcedAt.set(clock.instant());
                announce.accept(t);
            }
        };
        refresher.scheduleWithFixedDelay(() -> {
            BlockTemplate t = last.get();
            Instant at = announcedAt.get();
            if (t != null && !clock.instant().isBefore(at.plus(every)) && book.lastRefresh().isAfter(at)) {
                try {
                    once.accept(t);
                } catch (RuntimeException e) {
                    LOG.error("jobs could not be refreshed with the new payouts", e);
                }
            }
        }, Math.min(1000, every.toMillis()), Math.min(1000, every.toMillis()), TimeUnit.MILLISECONDS);
        return once;
    }

    /** {@code submitter}, with found blocks' payouts recorded when the scheme keeps a ledger. */
    BlockSubmitter recording(BlockSubmitter submitter) {
        return book == null ? submitter : book.recording(submitter);
    }

    /** The payouts' part of {@code /stats}: the scheme, and the window and balances when the book keeps them. */
    StatsServer.Section statsSection() {
        return new StatsServer.Section() {
            @Override
            public String name() {
                return "payouts";
            }

            @Override
            public void write(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
                g.writeStringField("scheme", book == null ? (perWorker ? "solo" : "pool-address") : "pplns-coinbase");
                if (book != null) {
                    PayoutBook.Status st = book.status();
                    g.writeNumberField("window_difficulty", st.windowDifficulty());
                    g.writeStringField("window_read_at", st.windowReadAt().toString());
                    g.writeNumberField("payees_in_window", st.payees());
                    g.writeNumberField("carried_sats", st.carried());
                    g.writeNumberField("blocks_recorded", st.blocksRecorded());
                }
            }
        };
    }

    Optional<PayoutBook> book() {
        return Optional.ofNullable(book);
    }

    void describe(Logger log) {
        log.info("payouts: {}", description);
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (book != null) {
            book.close();
        }
    }
}
