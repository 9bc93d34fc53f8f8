package org.stratum4j.core.job;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.MerkleBranch;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Sha256Midstate;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.protocol.Notify;

/**
 * One unit of work handed to miners: tip, coinbase (split around the extranonce), merkle branch,
 * version, bits, the job's {@code ntime} and whether it voids earlier jobs. Immutable; the
 * {@link Notify} it becomes and the SHA-256 midstate of its coinbase prefix are computed once.
 *
 * <p>A job made by {@link JobFactory} from a node's template keeps the template, which turns a
 * winning share into a block. A job taken from upstream work ({@link #fromNotify}, as a proxy or a
 * replay does) has no template: its shares can be checked, but a block found on it must go back
 * the way the work came.
 */
public final class Job {

    private final String id;
    private final BlockTemplate template;
    private final Coinbase coinbase;
    private final Sha256Hash previousBlockHash;
    private final MerkleBranch merkleBranch;
    private final int version;
    private final CompactBits bits;
    private final Target target;
    private final long ntime;
    private final long minTime;
    private final boolean cleanJobs;
    private final Instant createdAt;
    private final Notify notify;
    private final Sha256Midstate coinbasePrefix;

    /**
     * Shortest coinb1 worth a midstate. Resuming one clones the JDK digest (a few hundred bytes),
     * which costs about as much as one or two SHA-256 compressions on a CPU with SHA extensions, so
     * below two whole 64-byte blocks re-hashing the prefix is as fast (JMH, ShareValidationBenchmark).
     */
    public static final int MIDSTATE_MIN_PREFIX = 128;

    private Job(String id, BlockTemplate template, Coinbase coinbase, Sha256Hash previousBlockHash, MerkleBranch branch,
                int version, CompactBits bits, long ntime, long minTime, boolean cleanJobs, Instant createdAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.template = template;
        this.coinbase = Objects.requireNonNull(coinbase, "coinbase");
        this.previousBlockHash = Objects.requireNonNull(previousBlockHash, "previousBlockHash");
        this.merkleBranch = Objects.requireNonNull(branch, "branch");
        this.version = version;
        this.bits = Objects.requireNonNull(bits, "bits");
        this.target = bits.toTarget();
        this.ntime = ntime;
        this.minTime = minTime;
        this.cleanJobs = cleanJobs;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.notify = new Notify(id, previousBlockHash, coinbase.coinb1Unsafe(), coinbase.coinb2Unsafe(), branch, version,
                bits, (int) ntime, cleanJobs);
        this.coinbasePrefix = coinbase.coinb1Unsafe().length >= MIDSTATE_MIN_PREFIX
                ? Sha256Midstate.of(coinbase.coinb1Unsafe()) : null;
    }

    /** A job on a node's template (see {@link JobFactory}). */
    static Job onTemplate(String id, BlockTemplate template, Coinbase coinbase, long ntime, boolean cleanJobs,
                          Instant createdAt) {
        return new Job(id, template, coinbase, template.previousBlockHash(), template.coinbaseBranch(), template.version(),
                template.bits(), ntime, template.minTime(), cleanJobs, createdAt);
    }

    /**
     * A job from upstream work: the fields of a {@code mining.notify} and the extranonce sizes that
     * go with it. Shares on it can be checked; it cannot be assembled into a block here. Its
     * earliest allowed {@code ntime} is the notify's own.
     */
    public static Job fromNotify(Notify notify, int extranonce1Size, int extranonce2Size, Instant receivedAt) {
        Objects.requireNonNull(notify, "notify");
        if (extranonce1Size < 0 || extranonce1Size > CoinbaseBuilder.MAX_EXTRANONCE_SIZE
                || extranonce2Size < 1 || extranonce2Size > CoinbaseBuilder.MAX_EXTRANONCE_SIZE) {
            throw new IllegalArgumentException("extranonce sizes " + extranonce1Size + "+" + extranonce2Size
                    + " are outside 0..32 and 1..32");
        }
        byte[] coinb2 = notify.coinb2();
        if (notify.coinb1().length < 5 || coinb2.length < 4) {
            throw new IllegalArgumentException("notify " + notify.jobId() + " has a coinb1 or coinb2 too short for a coinbase");
        }
        Coinbase coinbase = new Coinbase(notify.coinb1(), coinb2, extranonce1Size, extranonce2Size, false, -1);
        long ntime = notify.ntime() & 0xffffffffL;
        return new Job(notify.jobId(), null, coinbase, notify.prevHash(), notify.merkleBranch(), notify.version(),
                notify.nbits(), ntime, ntime, notify.cleanJobs(), Objects.requireNonNull(receivedAt, "receivedAt"));
    }

    /** The same work under a new id, with the given {@code clean_jobs} flag and {@code ntime}. */
    Job reissue(String newId, boolean clean, Instant now, long newNtime) {
        return new Job(newId, template, coinbase, previousBlockHash, merkleBranch, version, bits, newNtime, minTime, clean, now);
    }

    /** The job id miners echo in {@code mining.submit}. */
    public String id() {
        return id;
    }

    /** The template this job mines on; empty for upstream work. */
    public Optional<BlockTemplate> template() {
        return Optional.ofNullable(template);
    }

    /** The coinbase, split around the extranonce. */
    public Coinbase coinbase() {
        return coinbase;
    }

    /**
     * The SHA-256 state after the coinbase's fixed prefix (coinb1), shared read-only by every share
     * check; empty when coinb1 is shorter than {@link #MIDSTATE_MIN_PREFIX} and re-hashing it is as cheap.
     */
    public Optional<Sha256Midstate> coinbasePrefixMidstate() {
        return Optional.ofNullable(coinbasePrefix);
    }

    /** The tip this job builds on. */
    public Sha256Hash previousBlockHash() {
        return previousBlockHash;
    }

    /** The coinbase's merkle branch (shared with every job on the same template). */
    public MerkleBranch merkleBranch() {
        return merkleBranch;
    }

    /** The block version before any version rolling. */
    public int version() {
        return version;
    }

    /** The network target in compact form. */
    public CompactBits bits() {
        return bits;
    }

    /** The network target: a header at or below it is a block. */
    public Target networkTarget() {
        return target;
    }

    /** The header time the job starts from (seconds since the epoch, unsigned 32-bit). */
    public long ntime() {
        return ntime;
    }

    /** The earliest header time a share on this job may carry (the template's {@code mintime}). */
    public long minTime() {
        return minTime;
    }

    /** True when this job builds on a new tip, so miners must drop earlier work. */
    public boolean cleanJobs() {
        return cleanJobs;
    }

    /** When the job was made, by the factory's clock. */
    public Instant createdAt() {
        return createdAt;
    }

    /** The {@code mining.notify} for this job. */
    public Notify notifyMessage() {
        return notify;
    }

    /** The merkle root for a coinbase with these extranonces. */
    public Sha256Hash merkleRoot(byte[] extranonce1, byte[] extranonce2) {
        return merkleBranch.rootFor(coinbase.txid(extranonce1, extranonce2));
    }

    /**
     * The header a miner would hash for these extranonces and header fields; {@code version} is
     * the full (possibly rolled) block version.
     */
    public BlockHeader header(byte[] extranonce1, byte[] extranonce2, int version, long ntime, long nonce) {
        return BlockHeader.of(version, previousBlockHash, merkleRoot(extranonce1, extranonce2), ntime, bits, nonce);
    }

    @Override
    public String toString() {
        return "Job[" + id + (template == null ? ", upstream" : ", height=" + template.height()) + ", clean=" + cleanJobs + "]";
    }
}
