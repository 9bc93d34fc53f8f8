package org.stratum4j.examples.demo;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.VarInt;
import org.stratum4j.core.bitcoin.WitnessCommitment;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.engine.FoundBlock;
import org.stratum4j.core.engine.TemplateSource;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.BlockValidator;
import org.stratum4j.core.job.TemplateTransaction;
import org.stratum4j.examples.store.BlockLookup;

/**
 * A chain that lives in the pool's process, for trying it without a node: a template source and a
 * block submitter in one. Each template carries a few synthetic transactions (legacy and segwit,
 * with fees) and the witness commitment for them; a submitted block is judged with
 * {@link BlockValidator} (proof of work, previous block, merkle root, BIP34 height, witness
 * commitment, coinbase value, …) and, when Bitcoin Core would accept it, becomes the new tip and a
 * template on top of it goes out at once. Its proof-of-work limit is the configured network
 * difficulty, fixed (no retargeting), low enough for a CPU miner. Addresses are regtest's.
 *
 * <p>Optionally the chain also finds blocks of its own on a schedule ("another pool won"), so
 * block changes happen under load.
 *
 * <p>State changes on one thread ({@code demo-chain}); the accessors may be read from any thread.
 */
public final class DemoChain implements TemplateSource, BlockSubmitter, BlockLookup {

    private static final Logger LOG = LoggerFactory.getLogger(DemoChain.class);
    /** The network whose addresses the demo chain's miners use. */
    public static final Network NETWORK = Network.REGTEST;
    private static final long HALVING_INTERVAL = 210_000;
    /**
     * Where a demo chain starts by default: a height like mainnet's (the subsidy is 3.125 BTC), so
     * the BIP34 height in every coinbase is a real data push. At heights 1 to 16 it is an opcode,
     * correctly, but some miners' firmware (Bitaxe's) decodes only pushes and fails on every job.
     */
    public static final long DEFAULT_START_HEIGHT = 900_000;
    private static final long KEPT_BLOCKS = 1_000;

    private final Clock clock;
    private final CompactBits bits;
    private final Duration blockInterval;
    private final int transactionsPerBlock;
    private final Random random;
    private final ScheduledExecutorService thread;
    private Consumer<BlockTemplate> listener;
    private volatile BlockTemplate current;
    private volatile Sha256Hash tip;
    private volatile long height;
    private volatile long blocksAccepted;
    private long tipTime;
    private long templateSerial;
    /** Every block the chain has seen, with its height; and the main chain, by height. */
    private final Map<Sha256Hash, Long> heights = new ConcurrentHashMap<>();
    private final Map<Long, Sha256Hash> mainChain = new ConcurrentHashMap<>();

    private DemoChain(Builder b) {
        this.clock = b.clock;
        this.bits = b.networkDifficulty.toTarget().toCompactBits();
        this.blockInterval = b.blockInterval;
        this.transactionsPerBlock = b.transactionsPerBlock;
        this.random = new Random(b.seed);
        byte[] genesis = new byte[32];
        random.nextBytes(genesis);
        this.tip = Sha256Hash.fromInternalBytes(genesis);
        this.height = b.startHeight;
        heights.put(tip, b.startHeight);
        mainChain.put(b.startHeight, tip);
        this.tipTime = clock.instant().getEpochSecond() - 600;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-chain");
            t.setDaemon(true);
            return t;
        });
    }

    /** A builder; every setting has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void start(Consumer<BlockTemplate> templates) {
        Objects.requireNonNull(templates, "templates");
        thread.execute(() -> {
            this.listener = templates;
            publish();
        });
        if (blockInterval != null) {
            long ms = blockInterval.toMillis();
            thread.scheduleAtFixedRate(this::foundElsewhere, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Judges the block on the chain's thread; accepted (empty) when Bitcoin Core would take it as
     * the new tip, otherwise Core's reason: {@code high-hash}, {@code bad-txnmrklroot},
     * {@code bad-cb-height}, {@code bad-witness-merkle-match}, {@code bad-cb-amount}, … or
     * {@code inconclusive} for a valid block on a tip that was already replaced.
     */
    @Override
    public CompletionStage<Optional<String>> submit(FoundBlock block) {
        CompletableFuture<Optional<String>> verdict = new CompletableFuture<>();
        try {
            thread.execute(() -> verdict.complete(judge(block)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            verdict.complete(Optional.of("demo chain stopped"));
        }
        return verdict;
    }

    private Optional<String> judge(FoundBlock found) {
        BlockTemplate template = found.job().template().orElse(null);
        if (template == null) {
            return Optional.of("bad-prevblk");
        }
        return judge(found.block(), template, found.worker());
    }

    /**
     * Judges a serialized block as {@code submitblock} would, on the chain's thread: the answer
     * Bitcoin Core gives (empty when it became the tip). The block must build on the tip with the
     * transactions of the chain's current template (the one {@code getblocktemplate} hands out);
     * one on an older block of this chain is {@code inconclusive} (a stale block), one on an
     * unknown block {@code prev-blk-not-found}.
     */
    public CompletionStage<Optional<String>> submitSerialized(byte[] block) {
        Objects.requireNonNull(block, "block");
        CompletableFuture<Optional<String>> verdict = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                if (block.length < BlockHeader.LENGTH) {
                    verdict.complete(Optional.of(BlockValidator.DECODE_FAILED));
                    return;
                }
                BlockHeader header = BlockHeader.parse(java.util.Arrays.copyOf(block, BlockHeader.LENGTH));
                BlockTemplate template = current;
                if (heights.containsKey(header.hash())) {
                    verdict.complete(Optional.of("duplicate"));
                } else if (template != null && header.prevHash().equals(template.previousBlockHash())) {
                    verdict.complete(judge(block, template, "submitblock"));
                } else if (heights.containsKey(header.prevHash())) {
                    verdict.complete(Optional.of("inconclusive"));
                } else {
                    verdict.complete(Optional.of("prev-blk-not-found"));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            verdict.complete(Optional.of("demo chain stopped"));
        }
        return verdict;
    }

    private Optional<String> judge(byte[] block, BlockTemplate template, String from) {
        Optional<String> reason = BlockValidator.validate(block, template, clock.instant().getEpochSecond());
        BlockHeader header = BlockHeader.parse(java.util.Arrays.copyOf(block, BlockHeader.LENGTH));
        if (reason.isPresent()) {
            LOG.warn("demo chain rejected block {} from {}: {}", header.hash().toDisplayHex(), from, reason.get());
            return reason;
        }
        if (!template.previousBlockHash().equals(tip)) {
            return Optional.of("inconclusive");
        }
        advance(header.hash(), header.time());
        blocksAccepted++;
        LOG.debug("demo chain: block {} at height {} by {}", header.hash().toDisplayHex(), height, from);
        publish();
        return Optional.empty();
    }

    /**
     * Other miners find {@code count} blocks in a row (regtest's {@code generatetoaddress}, for demos
     * and load tests): the tip moves each time and the pool gets each new template. Returns the new
     * blocks' hashes, oldest first, once the chain has published them.
     *
     * @throws IllegalArgumentException when {@code count} is outside 1..1,000
     */
    public CompletionStage<List<Sha256Hash>> foundElsewhere(int count) {
        if (count < 1 || count > 1_000) {
            throw new IllegalArgumentException("block count " + count + " is outside 1..1000");
        }
        CompletableFuture<List<Sha256Hash>> hashes = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                List<Sha256Hash> found = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    foundElsewhere();
                    found.add(tip);
                }
                hashes.complete(List.copyOf(found));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            hashes.completeExceptionally(new IllegalStateException("demo chain stopped"));
        }
        return hashes;
    }

    /** Another miner's block: the tip moves and every pool job goes stale. */
    private void foundElsewhere() {
        byte[] hash = new byte[32];
        random.nextBytes(hash);
        advance(Sha256Hash.fromInternalBytes(hash), Math.max(tipTime + 1, clock.instant().getEpochSecond()));
        LOG.debug("demo chain: a block from elsewhere at height {}", height);
        publish();
    }

    private void advance(Sha256Hash newTip, long time) {
        heights.put(newTip, height + 1);
        mainChain.put(height + 1, newTip);
        tip = newTip;
        height++;
        tipTime = time;
        if (height % KEPT_BLOCKS == 0) {
            // Only the last blocks are looked up (a pool follows its own to 100 confirmations): bounded memory.
            long oldest = height - KEPT_BLOCKS;
            heights.values().removeIf(h -> h < oldest);
            mainChain.keySet().removeIf(h -> h < oldest);
        }
    }

    /**
     * A competing block replaces the tip at the same height (a one-block reorganisation): the old
     * tip leaves the main chain, as a pool's block does when it is orphaned. For demos and tests.
     */
    public void orphanTip() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.execute(() -> {
            byte[] hash = new byte[32];
            random.nextBytes(hash);
            Sha256Hash rival = Sha256Hash.fromInternalBytes(hash);
            heights.put(rival, height);
            mainChain.put(height, rival);
            tip = rival;
            LOG.debug("demo chain: block at height {} replaced by another", height);
            publish();
            done.complete(null);
        });
        done.join();
    }

    /** Answers as Bitcoin Core's {@code getblockheader} would: height and confirmations (−1 off the main chain). */
    @Override
    public Optional<BlockState> lookup(Sha256Hash hash) {
        Long h = heights.get(hash);
        if (h == null) {
            return Optional.empty();
        }
        long tipHeight = height;
        return Optional.of(new BlockState(h, hash.equals(mainChain.get(h)) ? tipHeight - h + 1 : -1));
    }

    private void publish() {
        BlockTemplate t = template();
        current = t;
        if (listener != null) {
            try {
                listener.accept(t);
            } catch (RuntimeException e) {
                LOG.error("the pool refused the demo chain's template at height {}", t.height(), e);
            }
        }
    }

    private BlockTemplate template() {
        long next = height + 1;
        List<TemplateTransaction> txs = new ArrayList<>();
        List<Sha256Hash> wtxids = new ArrayList<>();
        long fees = 0;
        for (int i = 0; i < transactionsPerBlock; i++) {
            long fee = 500 + random.nextInt(5000);
            TemplateTransaction tx = TemplateTransaction.of(syntheticTransaction(i % 3 != 0), fee);
            txs.add(tx);
            wtxids.add(tx.wtxid());
            fees += fee;
        }
        long now = clock.instant().getEpochSecond();
        return BlockTemplate.builder()
                .version(0x20000000)
                .previousBlockHash(tip)
                .transactions(txs)
                .coinbaseValue(subsidy(next) + fees)
                .bits(bits)
                .height(next)
                .curTime(Math.max(now, tipTime + 1))
                .minTime(tipTime + 1)
                .witnessCommitment(WitnessCommitment.fromWtxids(wtxids))
                .longPollId(tip.toDisplayHex() + (templateSerial++))
                .build();
    }

    /** Bitcoin's schedule: 50 BTC halved every 210,000 blocks. */
    static long subsidy(long height) {
        long halvings = height / HALVING_INTERVAL;
        return halvings >= 64 ? 0 : (50L * 100_000_000L) >> halvings;
    }

    /** A well-formed transaction spending a made-up output (scripts are not checked by anyone here). */
    private byte[] syntheticTransaction(boolean segwit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(200);
        byte[] four = new byte[4];
        LittleEndian.writeInt32(four, 0, 2);
        out.writeBytes(four);
        if (segwit) {
            out.write(0x00);
            out.write(0x01);
        }
        out.writeBytes(VarInt.encode(1));
        byte[] prevout = new byte[36];
        random.nextBytes(prevout);
        out.writeBytes(prevout);
        if (segwit) {
            out.write(0x00);
        } else {
            out.write(0x01);
            out.write(0x51); // OP_TRUE as the "signature"
        }
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfd});
        out.writeBytes(VarInt.encode(1));
        byte[] value = new byte[8];
        LittleEndian.write(10_000L + random.nextInt(1_000_000), value, 0, 8);
        out.writeBytes(value);
        byte[] script = new byte[22];
        script[1] = 0x14;
        random.nextBytes(four);
        System.arraycopy(four, 0, script, 2, 4);
        out.writeBytes(VarInt.encode(script.length));
        out.writeBytes(script);
        if (segwit) {
            out.write(0x02);
            byte[] signature = new byte[71];
            random.nextBytes(signature);
            out.writeBytes(VarInt.encode(signature.length));
            out.writeBytes(signature);
            byte[] key = new byte[33];
            random.nextBytes(key);
            key[0] = 0x02;
            out.writeBytes(VarInt.encode(key.length));
            out.writeBytes(key);
        }
        out.writeBytes(new byte[4]);
        return out.toByteArray();
    }

    /** The template jobs are being made from, or null before {@link #start}. */
    public BlockTemplate currentTemplate() {
        return current;
    }

    /** The height of the tip. */
    public long height() {
        return height;
    }

    /** The tip's hash. */
    public Sha256Hash tip() {
        return tip;
    }

    /** Blocks from the pool this chain accepted. */
    public long blocksAccepted() {
        return blocksAccepted;
    }

    /** The network difficulty (fixed). */
    public double networkDifficulty() {
        return bits.difficulty();
    }

    /** Demo chain settings. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Difficulty networkDifficulty = Difficulty.of("0.05");
        private Duration blockInterval;
        private int transactionsPerBlock = 3;
        private long seed = System.nanoTime();
        private long startHeight = DEFAULT_START_HEIGHT;

        private Builder() {
        }

        /** Where time comes from (default: the system clock). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * The fixed network difficulty (default 0.05: about 215 million hashes a block, some 20
         * seconds for a two-core CPU miner). At most 1 (Bitcoin's minimum, minutes for a CPU).
         */
        public Builder networkDifficulty(Difficulty d) {
            Objects.requireNonNull(d, "networkDifficulty");
            if (d.toDouble() > 1.0 || d.toDouble() <= 0) {
                throw new IllegalArgumentException("demo network difficulty " + d + " is outside (0, 1]");
            }
            this.networkDifficulty = d;
            return this;
        }

        /** Blocks found "elsewhere" at this interval, moving the tip under the pool; null (default) for never. */
        public Builder blockInterval(Duration interval) {
            if (interval != null && interval.toMillis() < 100) {
                throw new IllegalArgumentException("demo block interval " + interval + " is under 100 ms");
            }
            this.blockInterval = interval;
            return this;
        }

        /** The height of the chain's first tip (default {@value DemoChain#DEFAULT_START_HEIGHT}); its first block is one more. */
        public Builder startHeight(long tipHeight) {
            if (tipHeight < 0 || tipHeight > Integer.MAX_VALUE - 1_000_000) {
                throw new IllegalArgumentException("start height " + tipHeight + " is outside 0.." + (Integer.MAX_VALUE - 1_000_000));
            }
            this.startHeight = tipHeight;
            return this;
        }

        /** Synthetic transactions per template, 0..1000 (default 3: one legacy for two segwit). */
        public Builder transactionsPerBlock(int n) {
            if (n < 0 || n > 1000) {
                throw new IllegalArgumentException("demo transactions per block " + n + " is outside 0..1000");
            }
            this.transactionsPerBlock = n;
            return this;
        }

        /** Seed of the synthetic data (default: the time), for repeatable tests. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The chain (not started). */
        public DemoChain build() {
            return new DemoChain(this);
        }
    }
}
