package org.stratum4j.core.job;

import java.time.Instant;
import java.util.Objects;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.MerkleBranch;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.protocol.Notify;

/**
 * One unit of work handed to miners: a template, the coinbase built on it, the job's
 * {@code ntime} and whether it voids earlier jobs. Immutable; the {@link Notify} it becomes is
 * built once.
 *
 * <p>Made by {@link JobFactory}, which gives ids that are unique for the life of the process and
 * do not repeat after a restart.
 */
public final class Job {

    private final String id;
    private final BlockTemplate template;
    private final Coinbase coinbase;
    private final long ntime;
    private final boolean cleanJobs;
    private final Instant createdAt;
    private final Notify notify;

    Job(String id, BlockTemplate template, Coinbase coinbase, long ntime, boolean cleanJobs, Instant createdAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.template = Objects.requireNonNull(template, "template");
        this.coinbase = Objects.requireNonNull(coinbase, "coinbase");
        this.ntime = ntime;
        this.cleanJobs = cleanJobs;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.notify = new Notify(id, template.previousBlockHash(), coinbase.coinb1Unsafe(), coinbase.coinb2Unsafe(),
                template.coinbaseBranch(), template.version(), template.bits(), (int) ntime, cleanJobs);
    }

    /** The job id miners echo in {@code mining.submit}. */
    public String id() {
        return id;
    }

    /** The template this job mines on. */
    public BlockTemplate template() {
        return template;
    }

    /** The coinbase, split around the extranonce. */
    public Coinbase coinbase() {
        return coinbase;
    }

    /** The header time the job starts from (seconds since the epoch, unsigned 32-bit). */
    public long ntime() {
        return ntime;
    }

    /** True when this job builds on a new tip, so miners must drop earlier work. */
    public boolean cleanJobs() {
        return cleanJobs;
    }

    /** When the job was made, by the factory's clock. */
    public Instant createdAt() {
        return createdAt;
    }

    /** The tip this job builds on. */
    public Sha256Hash previousBlockHash() {
        return template.previousBlockHash();
    }

    /** The coinbase's merkle branch (shared with every job on the same template). */
    public MerkleBranch merkleBranch() {
        return template.coinbaseBranch();
    }

    /** The {@code mining.notify} for this job. */
    public Notify notifyMessage() {
        return notify;
    }

    /** The merkle root for a coinbase with these extranonces. */
    public Sha256Hash merkleRoot(byte[] extranonce1, byte[] extranonce2) {
        return template.coinbaseBranch().rootFor(coinbase.txid(extranonce1, extranonce2));
    }

    /**
     * The header a miner would hash for these extranonces and header fields; {@code version} is
     * the full (possibly rolled) block version.
     */
    public BlockHeader header(byte[] extranonce1, byte[] extranonce2, int version, long ntime, long nonce) {
        return BlockHeader.of(version, template.previousBlockHash(), merkleRoot(extranonce1, extranonce2), ntime,
                template.bits(), nonce);
    }

    @Override
    public String toString() {
        return "Job[" + id + ", height=" + template.height() + ", clean=" + cleanJobs + "]";
    }
}
