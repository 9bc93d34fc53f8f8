package org.stratum4j.examples.proxy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.engine.ShareRefusedException;
import org.stratum4j.core.engine.ShareSink;
import org.stratum4j.core.job.Coinbase;
import org.stratum4j.core.protocol.StratumError;

/**
 * The proxy's share path after its own check: a share the engine accepted at the miner's
 * difficulty that also meets the upstream's (or is a block) goes to the upstream session its job
 * came from, and the miner's answer waits for the upstream's verdict, which it then hears; a
 * share below the upstream's difficulty is answered at once (it counts for the miner's statistics
 * only); a share on a job of a session the proxy no longer mines on is stale. Durable in the
 * engine's sense: the miner's {@code true} for a forwarded share means the upstream said true.
 */
final class ForwardingSink implements ShareSink {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardingSink.class);

    static final StratumError STALE = new StratumError(StratumError.CODE_JOB_NOT_FOUND,
            "Stale share: the proxy has moved to another upstream pool");

    private final UpstreamSwitch upstreams;
    private final MinerBook miners;
    private final String account;
    private final boolean perMinerWorkers;
    private final BlockSeen blocks;

    /** Where a block candidate's fate goes (the dashboard). */
    interface BlockSeen {
        /** A block candidate at {@code height} (-1 when unknown) went upstream and got {@code status}. */
        void block(long height, String hashHex, String worker, String status);
    }

    ForwardingSink(UpstreamSwitch upstreams, MinerBook miners, String account, boolean perMinerWorkers, BlockSeen blocks) {
        this.blocks = blocks;
        this.upstreams = upstreams;
        this.miners = miners;
        this.account = account;
        this.perMinerWorkers = perMinerWorkers;
    }

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public CompletionStage<Void> record(ShareEvent e) {
        MinerBook.Miner miner = miners.of(e.worker());
        if (!e.accepted()) {
            miner.rejected.increment();
            return CompletableFuture.completedFuture(null);
        }
        miner.accepted.increment();
        Upstream.Work work = upstreams.work(e.baseJobId());
        if (work == null) {
            // Not a job of ours (cannot happen: the engine only accepts jobs it was given).
            return CompletableFuture.completedFuture(null);
        }
        Upstream session = work.session();
        if (!session.isOpen() || session.split() != work.split()) {
            miner.stale.increment();
            return CompletableFuture.failedFuture(new ShareRefusedException(STALE));
        }
        int mask = session.versionMask();
        if (((e.version() ^ work.upstreamJob().version()) & ~mask) != 0) {
            miner.upstreamRejected.increment();
            return CompletableFuture.failedFuture(new ShareRefusedException(StratumError.other(String.format(
                    "version bits outside the upstream pool's mask %08x", mask))));
        }
        Difficulty upstreamDifficulty = Difficulty.min(work.difficulty(), session.difficulty());
        if (!e.block() && e.shareDifficulty() < upstreamDifficulty.toDouble()) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] extranonce2 = work.split().upstreamExtranonce2(Hex.decode(e.extranonce1()), Hex.decode(e.extranonce2()));
        String worker = perMinerWorkers ? upstreamWorker(account, e.worker()) : account;
        miner.forwarded.increment();
        if (e.block()) {
            LOG.info("block candidate {} by {} on upstream job {}: forwarding to {}", e.hash().toDisplayHex(), e.worker(),
                    work.upstreamJob().jobId(), session.url());
        }
        return session.submit(worker, work, extranonce2, e.ntime(), e.nonce(), e.version()).handle((refused, failure) -> {
            if (e.block()) {
                String status = failure != null ? "no answer from upstream (" + Upstream.rootMessage(failure) + ")"
                        : refused == null ? "accepted upstream" : "refused upstream: " + refused.message();
                LOG.info("block candidate {}: {}", e.hash().toDisplayHex(), status);
                blocks.block(Coinbase.bip34Height(work.upstreamJob().coinb1()).orElse(-1), e.hash().toDisplayHex(), e.worker(), status);
            }
            if (failure != null) {
                miner.upstreamRejected.increment();
                throw new ShareRefusedException(StratumError.other("the upstream pool did not answer ("
                        + Upstream.rootMessage(failure) + "); the share was not counted"));
            }
            if (refused == null) {
                miner.upstreamAccepted.increment();
                return null;
            }
            miner.upstreamRejected.increment();
            throw new ShareRefusedException(refused);
        });
    }

    /**
     * The worker name upstream for a miner's own: {@code account.name}, where name is the miner's
     * worker name after its last dot (a farm's {@code anything.rig7} becomes {@code account.rig7}).
     */
    static String upstreamWorker(String account, String minerWorker) {
        String name = minerWorker == null ? "" : minerWorker.substring(minerWorker.lastIndexOf('.') + 1);
        return name.isEmpty() ? account : account + "." + name;
    }
}
