package org.stratum4j.core.engine;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.job.BlockAssembler;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.job.JobBook;
import org.stratum4j.core.job.JobFactory;
import org.stratum4j.core.protocol.PoolCodec;
import org.stratum4j.core.protocol.Submit;
import org.stratum4j.core.share.DuplicateFilter;
import org.stratum4j.core.share.MerkleRootCache;
import org.stratum4j.core.share.RejectReason;
import org.stratum4j.core.share.ShareValidator;
import org.stratum4j.core.share.Verdict;

/**
 * The protocol-independent half of the pool, shared by its front-ends ({@link PoolEngine} for
 * Stratum V1, {@code Sv2Engine} for Stratum V2): the jobs in force, the extranonce space, share
 * verdicts, the share sink, the block path, the settings every session starts from, and the totals.
 * Whatever protocol a miner speaks, its shares are judged by the same {@link ShareValidator}
 * against the same job book and duplicate filters, recorded in the same sink, and its blocks take
 * the same path to the node.
 *
 * <p>Made by {@link PoolEngine.Builder#build()}; reach it with {@link PoolEngine#core()}.
 * Thread-safe: front-ends call it from their connections' loops, jobs come from the template thread.
 */
public final class PoolCore {

    private static final Logger LOG = LoggerFactory.getLogger(PoolCore.class);

    private final Clock clock;
    private final Authorizer authorizer;
    private final ShareSink shareSink;
    private final BlockSubmitter blockSubmitter;
    private final DifficultyPolicy difficultyPolicy;
    private final Difficulty initialDifficulty;
    private final ExtranonceAllocator extranonces;
    private final BanPolicy banPolicy;
    private final Payouts payouts;
    private final boolean payoutPerWorker;
    private final int configuredVersionMask;
    private volatile int versionMask;
    private final int extranonce2Size;
    private final JobFactory jobFactory;
    private final JobBook jobBook;
    private final ShareValidator validator;
    private final ConcurrentHashMap<String, DuplicateFilter> duplicateFilters = new ConcurrentHashMap<>();
    /** Per-worker payouts: base job id → payout script (hex) → that miner's announcement of the job. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Announcement>> variants = new ConcurrentHashMap<>();
    private final PoolCodec announcementCodec = new PoolCodec();
    private final AtomicLong sessionIds = new AtomicLong();
    private volatile Announcement latest;

    private final MinerSoftware software = new MinerSoftware();
    private final LongAdder acceptedTotal = new LongAdder();
    private final LongAdder[] rejectedTotal = new LongAdder[RejectReason.values().length];
    private final LongAdder blocksFound = new LongAdder();

    PoolCore(Clock clock, Authorizer authorizer, ShareSink shareSink, BlockSubmitter blockSubmitter, DifficultyPolicy difficultyPolicy,
             Difficulty initialDifficulty, ExtranonceAllocator extranonces, BanPolicy banPolicy, Payouts payouts,
             boolean payoutPerWorker, int versionMask, JobFactory jobFactory, int extranonce2Size, JobBook.Builder jobBook,
             ShareValidator validator) {
        this.clock = clock;
        this.authorizer = authorizer;
        this.shareSink = shareSink;
        this.blockSubmitter = blockSubmitter;
        this.difficultyPolicy = difficultyPolicy;
        this.initialDifficulty = initialDifficulty;
        this.extranonces = extranonces;
        this.banPolicy = banPolicy;
        this.payouts = payouts;
        this.payoutPerWorker = payoutPerWorker;
        this.configuredVersionMask = versionMask;
        this.versionMask = versionMask;
        this.jobFactory = jobFactory;
        this.extranonce2Size = extranonce2Size;
        this.jobBook = jobBook.onEvicted(job -> {
            duplicateFilters.remove(job.id());
            variants.remove(job.id());
        }).build();
        this.validator = validator;
        for (int i = 0; i < rejectedTotal.length; i++) {
            rejectedTotal[i] = new LongAdder();
        }
    }

    // ------------------------------------------------------------------ settings

    /** Where time comes from. */
    public Clock clock() {
        return clock;
    }

    /** Who may mine. */
    public Authorizer authorizer() {
        return authorizer;
    }

    /** How each session's or channel's difficulty is chosen. */
    public DifficultyPolicy difficultyPolicy() {
        return difficultyPolicy;
    }

    /** A new session's or channel's difficulty, within the policy's bounds. */
    public Difficulty initialDifficulty() {
        return initialDifficulty;
    }

    /** When a connection is banned for invalid shares. */
    public BanPolicy banPolicy() {
        return banPolicy;
    }

    /** The pool's version-rolling mask now (0: no rolling). */
    public int versionMask() {
        return versionMask;
    }

    /**
     * Changes the version-rolling mask in force, within the one the engine was built with (a proxy
     * follows its upstream's, which may change with the upstream). Stratum V1 sessions that agreed
     * on rolling get {@code mining.set_version_mask} with their next job whenever their mask in
     * force changes; shares with bits outside it are refused from then on. Stratum V2 channels keep
     * the mask they opened with.
     *
     * @return the mask now in force ({@code mask} within the built one)
     */
    public int changeVersionMask(int mask) {
        versionMask = mask & configuredVersionMask;
        return versionMask;
    }

    /** The version-rolling mask the engine was built with: the widest {@link #changeVersionMask} allows. */
    public int configuredVersionMask() {
        return configuredVersionMask;
    }

    /** Whether each connection's coinbase pays its own worker's script (solo mining). */
    public boolean payoutPerWorker() {
        return payoutPerWorker;
    }

    /** Bytes of extranonce1 (the pool's part of each coinbase's extranonce). */
    public int extranonce1Size() {
        return extranonces.size();
    }

    /** Bytes of extranonce2 (the miner's part). */
    public int extranonce2Size() {
        return extranonce2Size;
    }

    /** A number for a new session or connection, unique across protocols (share events carry it). */
    public long nextSessionId() {
        return sessionIds.incrementAndGet();
    }

    /** A fresh extranonce1, unique among those in use. @throws IllegalStateException when all are in use */
    public byte[] allocateExtranonce1() {
        return extranonces.allocate();
    }

    /** Gives back an extranonce1 from {@link #allocateExtranonce1()}. */
    public void releaseExtranonce1(byte[] extranonce1) {
        extranonces.release(extranonce1);
    }

    // ------------------------------------------------------------------ jobs

    /** Makes and publishes the job for a new template (see {@link PoolEngine#newTemplate}). */
    public Announcement newTemplate(BlockTemplate template) {
        return announce(jobFactory.create(template, payouts.outputsFor(template)));
    }

    /** Publishes a job made elsewhere (see {@link PoolEngine#announce}). */
    public synchronized Announcement announce(Job job) {
        Objects.requireNonNull(job, "job");
        if (job.coinbase().extranonce1Size() != extranonces.size()
                || job.coinbase().extranonce2Size() != extranonce2Size) {
            throw new IllegalArgumentException("job " + job.id() + " has room for extranonces " + job.coinbase().extranonce1Size()
                    + "+" + job.coinbase().extranonce2Size() + " but sessions get " + extranonces.size() + "+" + extranonce2Size);
        }
        duplicateFilters.put(job.id(), new DuplicateFilter());
        jobBook.add(job);
        Announcement a = new Announcement(job, announcementCodec.encode(job.notifyMessage()));
        latest = a;
        return a;
    }

    /** The latest announcement, or null before the first template. */
    public Announcement latest() {
        return latest;
    }

    /** The job with this (base) id while it is in force, or null once evicted or never known. */
    public Job job(String baseId) {
        return jobBook.find(baseId);
    }

    /** Jobs in force. */
    public int jobCount() {
        return jobBook.size();
    }

    /** The same work under a fresh id and a later ntime ({@link JobFactory#reissue(Job)}). */
    public Job reissue(Job job) {
        return jobFactory.reissue(job);
    }

    /** As {@link #reissue(Job)}, marked clean when {@code clean}. */
    public Job reissue(Job job, boolean clean) {
        return jobFactory.reissue(job, clean);
    }

    /**
     * {@code a}'s job paying {@code payoutScript} (per-worker payouts), made once per script and
     * shared; null when the job is gone or the coinbase cannot be built.
     *
     * @param payoutKey the script's hex, the cache key
     */
    public Announcement variant(Announcement a, String payoutKey, byte[] payoutScript) {
        Job base = a.job();
        ConcurrentHashMap<String, Announcement> byScript = variants.get(base.id());
        if (byScript == null) {
            if (jobBook.find(base.id()) == null) {
                return null; // evicted: its variants would never be cleaned up
            }
            byScript = variants.computeIfAbsent(base.id(), k -> new ConcurrentHashMap<>());
        }
        try {
            return byScript.computeIfAbsent(payoutKey, k -> {
                Job job = jobFactory.variant(base, payouts.outputsFor(base.template().orElseThrow(), payoutScript));
                return new Announcement(job, new PoolCodec().encode(job.notifyMessage()));
            });
        } catch (RuntimeException e) {
            LOG.warn("cannot build the job for payout script {}: {}", payoutKey, e.getMessage());
            return null;
        }
    }

    // ------------------------------------------------------------------ shares

    /**
     * The verdict on a well-formed share for {@code job}, which was published (or derived from the
     * job published) under {@code baseId}; {@link RejectReason#JOB_NOT_FOUND} once that job has
     * left the book. Counts nothing: the front-end calls {@link #accepted} or {@link #rejected}.
     */
    public Verdict check(Job job, String baseId, byte[] extranonce1, Submit submit, int versionMask, Target shareTarget,
                         MerkleRootCache roots) {
        DuplicateFilter duplicates = duplicateFilters.get(baseId);
        if (duplicates == null || jobBook.find(baseId) == null) {
            return Verdict.rejected(RejectReason.JOB_NOT_FOUND);
        }
        return validator.check(job, extranonce1, submit, versionMask, shareTarget, clock.instant().getEpochSecond(), duplicates, roots);
    }

    /** Counts an accepted share. */
    public void accepted() {
        acceptedTotal.increment();
    }

    /** Counts a rejected share. */
    public void rejected(RejectReason reason) {
        rejectedTotal[reason.ordinal()].increment();
    }

    /** Whether an accepted share's answer must wait until {@link #record} completes. */
    public boolean durableSink() {
        return shareSink.isDurable();
    }

    /** Hands a share to the sink; a sink that throws gives a failed stage, never an exception. */
    public CompletionStage<Void> record(ShareEvent event) {
        try {
            CompletionStage<Void> stage = shareSink.record(event);
            return stage == null ? CompletableFuture.completedFuture(null) : stage;
        } catch (RuntimeException e) {
            LOG.error("share sink failed: {}", e.toString());
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A share met the network target: assembles the block and sends it to the node at once. The
     * node's verdict is logged when it comes.
     */
    public void block(Job job, byte[] extranonce1, byte[] extranonce2, Verdict v, String worker) {
        blocksFound.increment();
        Sha256Hash hash = v.header().hash();
        Optional<BlockTemplate> template = job.template();
        if (template.isEmpty()) {
            // Upstream work: the block is a share for the pool the job came from, which the sink forwards.
            LOG.debug("block {} found by {} on upstream job {}: it goes upstream as a share", hash.toDisplayHex(), worker, job.id());
            return;
        }
        byte[] bytes;
        try {
            bytes = BlockAssembler.assemble(job, extranonce1, extranonce2, v.header());
        } catch (IllegalArgumentException e) {
            LOG.error("block {} by {} could not be assembled: {}", hash.toDisplayHex(), worker, e.getMessage());
            return;
        }
        long height = template.get().height();
        // One INFO line per block, with the node's verdict; this one only matters if that never comes.
        LOG.debug("block {} at height {} found by {}; submitting", hash.toDisplayHex(), height, worker);
        FoundBlock found = new FoundBlock(hash, height, bytes, job, worker);
        CompletionStage<Optional<String>> result;
        try {
            result = blockSubmitter.submit(found);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((reason, e) -> {
            if (e != null) {
                LOG.error("block {} at height {}: submission failed: {}", hash.toDisplayHex(), height, e.toString());
            } else if (reason.isPresent()) {
                LOG.error("block {} at height {} found by {} was rejected by the node: {}", hash.toDisplayHex(), height, worker,
                        reason.get());
            } else {
                LOG.info("block {} at height {} found by {}: accepted by the node", hash.toDisplayHex(), height, worker);
            }
        });
    }

    // ------------------------------------------------------------------ totals

    /**
     * Counts an open connection under its software's name ({@code userAgent} up to its version,
     * then {@code suffix}, e.g. {@code " (Stratum V2)"}); returns the name for
     * {@link #softwareClosed}. At most 64 names are kept, then {@code other}.
     */
    public String softwareOpened(String userAgent, String suffix) {
        return software.subscribed(userAgent, suffix);
    }

    /** A connection counted under {@code name} closed. */
    public void softwareClosed(String name) {
        software.closed(name);
    }

    /** Open connections by software name, all protocols. */
    public java.util.Map<String, Long> minerSoftware() {
        return software.snapshot();
    }

    /** Accepted shares since start, all protocols. */
    public long acceptedTotal() {
        return acceptedTotal.sum();
    }

    /** Rejected shares since start by {@link RejectReason#ordinal()}, all protocols. */
    public long[] rejectedTotals() {
        long[] rejected = new long[rejectedTotal.length];
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = rejectedTotal[i].sum();
        }
        return rejected;
    }

    /** Blocks found since start, all protocols. */
    public long blocksFound() {
        return blocksFound.sum();
    }
}
