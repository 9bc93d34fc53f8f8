package org.stratum4j.examples.payout;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.bitcoin.Transaction;
import org.stratum4j.core.bitcoin.VarInt;
import org.stratum4j.core.bitcoin.WitnessCommitment;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.engine.FoundBlock;
import org.stratum4j.core.engine.Payouts;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.payout.PayoutPlan;
import org.stratum4j.core.payout.Pplns;
import org.stratum4j.examples.store.DatabaseUrl;
import org.stratum4j.examples.store.LazyConnection;

/**
 * The engine's {@link Payouts} for PPLNS in the coinbase: every job's outputs are
 * {@link Pplns#plan} over the window and balances last read from the database, and a found
 * block's payouts are recorded there as its coinbase made them.
 *
 * <p>One thread with its own connection reads the window (across every pool process on the
 * database) and the balances every {@code refresh} and as soon as the network difficulty changes,
 * and records found blocks. The engine's thread only computes a plan from the last snapshot, so a
 * new share never makes a new job and the database is never waited for; jobs pick up the new
 * window with the next template (Bitcoin Core's long poll brings one at least every 30 s).
 *
 * <p>A found block is matched to its plan by its coinbase's outputs (parsed from the block itself),
 * so what is recorded is exactly what the block pays.
 */
public final class PayoutBook implements Payouts, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PayoutBook.class);
    /** Plans remembered for matching found blocks: every job of the last several templates. */
    private static final int PLANS_KEPT = 256;

    private record Snapshot(BigDecimal windowSize, Map<Address, BigDecimal> credits, Map<Address, Long> balances, Instant at) {
    }

    private record Found(String hash, String worker, Instant at, PayoutPlan plan) {
    }

    private final Network network;
    private final Pplns pplns;
    private final BigDecimal windowFactor;
    private final int instanceId;
    private final Duration refresh;
    private final Clock clock;
    private final Map<List<CoinbaseOutput>, PayoutPlan> plans = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<CoinbaseOutput>, PayoutPlan> eldest) {
            return size() > PLANS_KEPT;
        }
    };
    private final ConcurrentLinkedQueue<Found> found = new ConcurrentLinkedQueue<>();
    private final AtomicLong recorded = new AtomicLong();
    private final Thread thread;
    private volatile Snapshot snapshot;
    private volatile BigDecimal wantedWindow;
    private volatile boolean running = true;
    private final LazyConnection connection;

    private PayoutBook(DatabaseUrl url, Network network, Pplns pplns, BigDecimal windowFactor, int instanceId, Duration refresh,
                       Clock clock) {
        this.connection = new LazyConnection(url, "stratum4j-" + instanceId + "-payouts", false);
        this.network = network;
        this.pplns = pplns;
        this.windowFactor = windowFactor;
        this.instanceId = instanceId;
        this.refresh = refresh;
        this.clock = clock;
        // Size zero: no window has been read (a real one is always positive, so the first template asks for one).
        this.snapshot = new Snapshot(BigDecimal.ZERO, Map.of(), Map.of(), Instant.MIN);
        this.thread = new Thread(this::run, "payout-book");
        this.thread.setDaemon(true);
    }

    /**
     * Starts a book on the database at {@code url} (already migrated by the share store), with the
     * window {@code windowFactor} × the network difficulty, refreshed every {@code refresh}.
     */
    public static PayoutBook start(DatabaseUrl url, Network network, Pplns pplns, BigDecimal windowFactor, int instanceId,
                                   Duration refresh, Clock clock) {
        Objects.requireNonNull(url, "url");
        if (Objects.requireNonNull(windowFactor, "windowFactor").signum() <= 0) {
            throw new IllegalArgumentException("PPLNS window factor " + windowFactor + " must be positive");
        }
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("payout refresh " + refresh + " must be positive");
        }
        PayoutBook book = new PayoutBook(url, Objects.requireNonNull(network, "network"), Objects.requireNonNull(pplns, "pplns"),
                windowFactor, instanceId, refresh, Objects.requireNonNull(clock, "clock"));
        book.thread.start();
        return book;
    }

    @Override
    public List<CoinbaseOutput> outputsFor(BlockTemplate template) {
        BigDecimal size = windowFactor.multiply(BigDecimal.valueOf(template.bits().difficulty()));
        Snapshot s = snapshot;
        if (s.windowSize().compareTo(size) != 0) {
            // A new network difficulty: read the window at its new size now rather than at the next refresh.
            wantedWindow = size;
            LockSupport.unpark(thread);
        }
        PayoutPlan plan = pplns.plan(template.coinbaseValue(), s.credits(), s.balances());
        synchronized (plans) {
            plans.put(plan.outputs(), plan);
        }
        return plan.outputs();
    }

    /** {@code submitter}, with each found block's payouts recorded (matched to its plan by its coinbase's outputs). */
    public BlockSubmitter recording(BlockSubmitter submitter) {
        Objects.requireNonNull(submitter, "submitter");
        return block -> {
            remember(block);
            return submitter.submit(block);
        };
    }

    private void remember(FoundBlock block) {
        try {
            List<CoinbaseOutput> outputs = coinbaseOutputs(block.block());
            PayoutPlan plan;
            synchronized (plans) {
                plan = plans.get(outputs);
            }
            if (plan == null) {
                LOG.error("block {}: its coinbase's outputs match no payout plan of this process; its payouts are not recorded",
                        block.hash().toDisplayHex());
                return;
            }
            found.add(new Found(block.hash().toDisplayHex(), block.worker() == null ? "" : block.worker(), clock.instant(), plan));
            LockSupport.unpark(thread);
        } catch (RuntimeException e) {
            LOG.error("block {}: cannot read its coinbase: {}", block.hash().toDisplayHex(), e.toString());
        }
    }

    /** The coinbase's outputs without the witness commitment (which the engine adds, not the payouts). */
    static List<CoinbaseOutput> coinbaseOutputs(byte[] block) {
        int offset = 80;
        long count = VarInt.read(block, offset);
        offset += VarInt.size(count);
        Transaction coinbase = Transaction.read(block, offset);
        List<CoinbaseOutput> outputs = new ArrayList<>();
        for (Transaction.Output o : coinbase.outputs()) {
            if (o.value() != 0 || !isWitnessCommitment(o.scriptPubKey())) {
                outputs.add(CoinbaseOutput.of(o.value(), o.scriptPubKey()));
            }
        }
        return outputs;
    }

    private static boolean isWitnessCommitment(byte[] script) {
        if (script.length != WitnessCommitment.SCRIPT_LENGTH) {
            return false;
        }
        try {
            WitnessCommitment.fromScript(script);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * What the book knows.
     *
     * @param windowDifficulty the window's size in share difficulty (factor × network difficulty)
     * @param windowReadAt     when the window was last read (the epoch before the first read)
     * @param payees           addresses with a credit in it
     * @param carried          satoshis carried for payees (held at the pool's address) as last read
     * @param blocksRecorded   found blocks whose payouts this process recorded since it started
     */
    public record Status(BigDecimal windowDifficulty, Instant windowReadAt, int payees, long carried, long blocksRecorded) {
    }

    /** The book's state, for {@code /stats}. */
    public Status status() {
        Snapshot s = snapshot;
        return new Status(s.windowSize(), s.at().equals(Instant.MIN) ? Instant.EPOCH : s.at(), s.credits().size(),
                s.balances().values().stream().mapToLong(Long::longValue).sum(), recorded.get());
    }

    /** The window and balances the next jobs are made from, and when they were read. */
    public Instant lastRefresh() {
        return snapshot.at();
    }

    private void run() {
        long backoff = 1000;
        Instant next = Instant.MIN;
        while (running) {
            try {
                Connection c = connection.get();
                Found f;
                while ((f = found.peek()) != null) {
                    try {
                        if (PayoutLedger.recordBlock(c, f.hash(), f.worker(), instanceId, f.at(), f.plan())) {
                            recorded.incrementAndGet();
                            LOG.info("block {}: payouts recorded: {} outputs, fee {} sat, balances carried {} sat (were {}), pool output"
                                    + " {} sat", f.hash(), f.plan().outputs().size(), f.plan().fee(), f.plan().balancesAfter(),
                                    f.plan().balancesBefore(), f.plan().poolOutput());
                        }
                    } catch (SQLException e) {
                        // Data the database refuses (class 22 or 23) would be refused forever: say so and go on; anything else is
                        // the connection, and the record is tried again.
                        String state = e.getSQLState() == null ? "" : e.getSQLState();
                        if (!state.startsWith("22") && !state.startsWith("23")) {
                            throw e;
                        }
                        LOG.error("block {}: the database refused its payouts ({}); they are not recorded", f.hash(), e.getMessage());
                    }
                    found.poll();
                    next = Instant.MIN; // balances moved
                }
                BigDecimal wanted = wantedWindow;
                if (wanted != null && (clock.instant().isAfter(next) || wanted.compareTo(snapshot.windowSize()) != 0)) {
                    Map<Address, BigDecimal> credits = PayoutLedger.window(c, wanted, network);
                    Map<Address, Long> balances = PayoutLedger.balances(c, network);
                    snapshot = new Snapshot(wanted, Map.copyOf(credits), Map.copyOf(balances), clock.instant());
                    next = clock.instant().plus(refresh);
                }
                backoff = 1000;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(10, Math.min(refresh.toMillis(), 1000))));
            } catch (SQLException | RuntimeException e) {
                LOG.warn("payouts: the database is not usable ({}); jobs keep the window read at {}", e.toString(), snapshot.at());
                connection.drop();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
        connection.drop();
    }

    /** Records what is queued (for up to 10 s) and stops. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!found.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.unpark(thread);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
