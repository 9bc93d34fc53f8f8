package org.stratum4j.examples.bitcoind;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.engine.FoundBlock;
import org.stratum4j.core.engine.TemplateSource;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.examples.store.BlockLookup;

/**
 * Bitcoin Core as the pool's template source and block submitter.
 *
 * <ul>
 *   <li>Templates: a long poll on the last template's {@code longpollid}, which returns on a new
 *       tip or, about once a minute, on new transactions; when it outlasts the RPC client's long-poll
 *       timeout the template is fetched again, so that timeout is also the refresh period.</li>
 *   <li>Blocks go to {@code submitblock} at once, on their own thread, and the node's verdict is
 *       logged. An accepted block is followed by a fresh template right away, so miners move to the
 *       new tip without waiting for the long poll.</li>
 *   <li>When the node goes away, the last job keeps being served; the source retries with backoff
 *       (1 s doubling to 30 s) and logs one line when the node is lost and one when it is back.</li>
 * </ul>
 */
public final class BitcoindChain implements TemplateSource, BlockSubmitter, BlockLookup {

    private static final Logger LOG = LoggerFactory.getLogger(BitcoindChain.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    private final BitcoindRpc rpc;
    private final ExecutorService poller = Executors.newSingleThreadExecutor(daemon("bitcoind-templates"));
    private final ExecutorService submitter = Executors.newSingleThreadExecutor(daemon("bitcoind-submit"));
    private volatile Consumer<BlockTemplate> listener;
    private volatile boolean running;
    private volatile boolean reachable = true;
    private final AtomicLong outages = new AtomicLong();
    private BlockTemplate last;

    /** A chain reached through {@code rpc}. */
    public BitcoindChain(BitcoindRpc rpc) {
        this.rpc = Objects.requireNonNull(rpc, "rpc");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void start(Consumer<BlockTemplate> templates) {
        this.listener = Objects.requireNonNull(templates, "templates");
        running = true;
        poller.execute(this::pollLoop);
    }

    /** Stops both threads and the RPC client's; nothing of this source runs afterwards. */
    @Override
    public void stop() {
        running = false;
        // Closing the client first ends a long poll under way (blocking I/O does not heed interrupts).
        rpc.close();
        poller.shutdownNow();
        submitter.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
            submitter.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** False from the failed call that loses the node until it answers again. */
    public boolean nodeReachable() {
        return reachable;
    }

    /** How many times the node was lost (each is one WARN line, and one INFO line when it is back). */
    public long outages() {
        return outages.get();
    }

    private void pollLoop() {
        long backoff = 1000;
        boolean down = false;
        String longPollId = null;
        while (running) {
            try {
                BlockTemplate t;
                if (longPollId == null) {
                    t = rpc.getBlockTemplate();
                } else {
                    try {
                        t = rpc.waitForNewTemplate(longPollId);
                    } catch (RpcException e) {
                        if (e.kind() != RpcException.Kind.TIMEOUT) {
                            throw e;
                        }
                        t = rpc.getBlockTemplate();
                    }
                }
                if (down) {
                    LOG.info("Bitcoin Core at {} answers again; templates resume", rpc.url());
                    down = false;
                    reachable = true;
                }
                backoff = 1000;
                publish(t);
                longPollId = t.longPollId().orElse(null);
            } catch (RpcException e) {
                if (!running || e.kind() == RpcException.Kind.INTERRUPTED) {
                    return;
                }
                if (!down) {
                    LOG.warn("Bitcoin Core at {} failed ({}); miners keep the last job while it is retried", rpc.url(), e.getMessage());
                    down = true;
                    reachable = false;
                    outages.incrementAndGet();
                }
                longPollId = null;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /** Hands a template on, skipping one identical to the last (two threads may fetch the same). */
    private synchronized void publish(BlockTemplate t) {
        if (last != null && last.previousBlockHash().equals(t.previousBlockHash()) && Objects.equals(last.longPollId(), t.longPollId())
                && last.transactions().size() == t.transactions().size() && last.curTime() == t.curTime()) {
            return;
        }
        last = t;
        Consumer<BlockTemplate> l = listener;
        if (l != null && running) {
            try {
                l.accept(t);
            } catch (RuntimeException e) {
                LOG.error("the pool could not use the template at height {}", t.height(), e);
            }
        }
    }

    @Override
    public CompletionStage<Optional<String>> submit(FoundBlock block) {
        CompletableFuture<Optional<String>> verdict = new CompletableFuture<>();
        try {
            submitter.execute(() -> {
                try {
                    Optional<String> reason = rpc.submitBlock(block.block());
                    verdict.complete(reason);
                    if (reason.isEmpty()) {
                        // Miners should move to the new tip now, not when the long poll notices.
                        publish(rpc.getBlockTemplate());
                    }
                } catch (RpcException e) {
                    verdict.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            verdict.completeExceptionally(e);
        }
        return verdict;
    }

    /** Asks the node ({@code getblockheader}) where a block stands. */
    @Override
    public Optional<BlockState> lookup(Sha256Hash hash) throws RpcException {
        return rpc.getBlockHeader(hash);
    }
}
