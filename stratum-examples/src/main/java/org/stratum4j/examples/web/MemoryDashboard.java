package org.stratum4j.examples.web;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.engine.ShareSink;
import org.stratum4j.core.job.BlockTemplate;

/**
 * The dashboard's figures from this process's memory: a {@link ShareSink} in front of the next one
 * (whose durability it keeps) that feeds a {@link ShareHistory}, the chain's last template for the
 * height and network difficulty, and the last 100 blocks found with the node's verdicts.
 */
public final class MemoryDashboard implements DashboardSource, ShareSink {

    static final int KEPT_BLOCKS = 100;

    private final Clock clock;
    private final ShareSink next;
    private final ShareHistory history;
    private final ArrayDeque<BlockView> blocks = new ArrayDeque<>();
    private volatile long height;
    private volatile double networkDifficulty;
    private volatile java.util.function.Supplier<java.util.Map<String, Long>> software = java.util.Map::of;
    private volatile java.util.function.Function<String, List<EarningView>> earnings = a -> List.of();
    private long blocksFound;

    /** Figures from now on, in front of {@code next}. */
    public MemoryDashboard(Clock clock, ShareSink next) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.next = Objects.requireNonNull(next, "next");
        this.history = new ShareHistory(clock);
    }

    @Override
    public boolean isDurable() {
        return next.isDurable();
    }

    @Override
    public CompletionStage<Void> record(ShareEvent e) {
        history.record(e);
        return next.record(e);
    }

    /** Takes each new template (for the height and the network difficulty). */
    public void template(BlockTemplate t) {
        chainTip(t.height() - 1, t.bits().difficulty());
    }

    /** The chain's tip as known without a template (a proxy reads it from upstream jobs). */
    public void chainTip(long tipHeight, double difficulty) {
        height = tipHeight;
        networkDifficulty = difficulty;
    }

    /** The chain's height (0 before the first template or tip). */
    public long height() {
        return height;
    }

    /** The network difficulty (0 before the first template or tip). */
    public double networkDifficulty() {
        return networkDifficulty;
    }

    /** {@code submitter}, and each found block with the node's verdict kept for the pages. */
    public BlockSubmitter recording(BlockSubmitter submitter) {
        return block -> submitter.submit(block).whenComplete((verdict, failure) ->
                block(block.height(), block.hash().toDisplayHex(), block.worker(), failure != null ? "not submitted" : status(verdict)));
    }

    /** A block found here whose fate is {@code status} (a proxy's: the upstream pool's verdict). */
    public void block(long height, String hashHex, String worker, String status) {
        synchronized (blocks) {
            blocks.addFirst(new BlockView(height, hashHex, worker, clock.instant(), status, 0));
            while (blocks.size() > KEPT_BLOCKS) {
                blocks.removeLast();
            }
            blocksFound++;
        }
    }

    /** Where earnings are read (the payout ledger), for pool mode with payouts in the coinbase. */
    public void earnings(java.util.function.Function<String, List<EarningView>> reader) {
        this.earnings = Objects.requireNonNull(reader, "reader");
    }

    @Override
    public List<EarningView> earnings(String address) {
        return earnings.apply(address);
    }

    /** Where the connected miners' software is counted (the engine's {@code minerSoftware}). */
    public void software(java.util.function.Supplier<java.util.Map<String, Long>> counts) {
        this.software = Objects.requireNonNull(counts, "counts");
    }

    @Override
    public java.util.Map<String, Long> minerSoftware() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        software.get().entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The history behind the figures. */
    public ShareHistory history() {
        return history;
    }

    @Override
    public PoolSummary pool() {
        List<ShareHistory.WorkerView> workers = history.workers();
        int online = 0;
        Set<String> miners = new HashSet<>();
        for (ShareHistory.WorkerView w : workers) {
            if (w.online()) {
                online++;
                miners.add(ShareHistory.addressOf(w.worker()));
            }
        }
        long found;
        synchronized (blocks) {
            found = blocksFound;
        }
        return new PoolSummary(history.hashrate(), online, miners.size(), height(), networkDifficulty(), found);
    }

    @Override
    public double[][] poolSeries(ShareHistory.View view) {
        return history.poolSeries(view);
    }

    @Override
    public List<ShareHistory.BestShare> bestShares() {
        return history.bestShares();
    }

    @Override
    public List<ShareHistory.WorkerView> workersOf(String address) {
        return history.workersOf(address);
    }

    @Override
    public double[][] workerSeries(String worker, ShareHistory.View view) {
        return history.workerSeries(worker, view);
    }

    @Override
    public List<BlockView> blocks(int limit) {
        synchronized (blocks) {
            List<BlockView> out = new ArrayList<>(Math.min(limit, blocks.size()));
            for (BlockView b : blocks) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(b);
            }
            return out;
        }
    }

    /** A block's status from the node's verdict (empty: accepted). */
    static String status(Optional<String> verdict) {
        return verdict.map(r -> "rejected: " + r).orElse("accepted");
    }
}
