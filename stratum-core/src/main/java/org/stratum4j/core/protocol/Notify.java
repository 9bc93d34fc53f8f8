package org.stratum4j.core.protocol;

import java.util.Arrays;
import java.util.Objects;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.MerkleBranch;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * {@code mining.notify [job_id, prevhash, coinb1, coinb2, merkle_branch, version, nbits, ntime,
 * clean_jobs]}: a job.
 *
 * <p>Values are held in their Bitcoin meaning; the codec applies the wire forms: the previous block
 * hash as {@link StratumPrevHash} (internal order, each 4-byte word byte-swapped), version, nbits
 * and ntime as 8 big-endian hex digits, branch entries as internal-order hex.
 *
 * <p>Immutable.
 */
public final class Notify implements PoolMessage {

    private final String jobId;
    private final Sha256Hash prevHash;
    private final byte[] coinb1;
    private final byte[] coinb2;
    private final MerkleBranch merkleBranch;
    private final int version;
    private final CompactBits nbits;
    private final int ntime;
    private final boolean cleanJobs;

    /**
     * A job.
     *
     * @param jobId        the job id, unique for the life of the pool
     * @param prevHash     the previous block's hash
     * @param coinb1       the coinbase up to extranonce1
     * @param coinb2       the coinbase after extranonce2
     * @param merkleBranch the coinbase's merkle branch
     * @param version      the block version before rolling
     * @param nbits        the network target
     * @param ntime        the job's time (unsigned 32-bit)
     * @param cleanJobs    whether earlier jobs are void (the previous block hash changed)
     */
    public Notify(String jobId, Sha256Hash prevHash, byte[] coinb1, byte[] coinb2, MerkleBranch merkleBranch,
            int version, CompactBits nbits, int ntime, boolean cleanJobs) {
        this.jobId = Objects.requireNonNull(jobId, "jobId");
        this.prevHash = Objects.requireNonNull(prevHash, "prevHash");
        this.coinb1 = coinb1.clone();
        this.coinb2 = coinb2.clone();
        this.merkleBranch = Objects.requireNonNull(merkleBranch, "merkleBranch");
        this.version = version;
        this.nbits = Objects.requireNonNull(nbits, "nbits");
        this.ntime = ntime;
        this.cleanJobs = cleanJobs;
    }

    @Override
    public RequestId id() {
        return RequestId.NULL;
    }

    /** The job id. */
    public String jobId() {
        return jobId;
    }

    /** The previous block's hash. */
    public Sha256Hash prevHash() {
        return prevHash;
    }

    /** A copy of the coinbase part before extranonce1. */
    public byte[] coinb1() {
        return coinb1.clone();
    }

    /** A copy of the coinbase part after extranonce2. */
    public byte[] coinb2() {
        return coinb2.clone();
    }

    /** The merkle branch of the coinbase. */
    public MerkleBranch merkleBranch() {
        return merkleBranch;
    }

    /** The block version before rolling. */
    public int version() {
        return version;
    }

    /** The network target's compact form. */
    public CompactBits nbits() {
        return nbits;
    }

    /** The job's time (unsigned 32-bit). */
    public int ntime() {
        return ntime;
    }

    /** Whether earlier jobs are void. */
    public boolean cleanJobs() {
        return cleanJobs;
    }

    /** The coinbase for the given extranonces: {@code coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2}. */
    public byte[] coinbase(byte[] extranonce1, byte[] extranonce2) {
        byte[] out = new byte[coinb1.length + extranonce1.length + extranonce2.length + coinb2.length];
        System.arraycopy(coinb1, 0, out, 0, coinb1.length);
        System.arraycopy(extranonce1, 0, out, coinb1.length, extranonce1.length);
        System.arraycopy(extranonce2, 0, out, coinb1.length + extranonce1.length, extranonce2.length);
        System.arraycopy(coinb2, 0, out, out.length - coinb2.length, coinb2.length);
        return out;
    }

    /** The coinb1 array itself, for the encoder (never modified). */
    byte[] coinb1Unsafe() {
        return coinb1;
    }

    /** The coinb2 array itself, for the encoder (never modified). */
    byte[] coinb2Unsafe() {
        return coinb2;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Notify)) {
            return false;
        }
        Notify n = (Notify) o;
        return jobId.equals(n.jobId) && prevHash.equals(n.prevHash) && Arrays.equals(coinb1, n.coinb1)
                && Arrays.equals(coinb2, n.coinb2) && merkleBranch.equals(n.merkleBranch) && version == n.version
                && nbits.equals(n.nbits) && ntime == n.ntime && cleanJobs == n.cleanJobs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, prevHash, Arrays.hashCode(coinb1), Arrays.hashCode(coinb2), merkleBranch, version, nbits, ntime, cleanJobs);
    }

    @Override
    public String toString() {
        return "Notify{job=" + jobId + ", prev=" + prevHash + ", coinb1=" + Hex.encode(coinb1) + ", coinb2=" + Hex.encode(coinb2)
                + ", branch=" + merkleBranch.size() + " steps" + String.format(", version=%08x, nbits=%s, ntime=%08x", version, nbits, ntime)
                + ", clean=" + cleanJobs + '}';
    }
}
