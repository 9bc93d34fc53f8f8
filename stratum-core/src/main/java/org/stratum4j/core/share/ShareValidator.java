package org.stratum4j.core.share;

import java.util.Arrays;
import java.util.Objects;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Sha256Hasher;
import org.stratum4j.core.bitcoin.Sha256Midstate;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.job.Coinbase;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Submit;

/**
 * Checks a well-formed submit on a known job, from the extranonce2 size to the proof of work, in
 * the order and with the answers of PROTOCOL.md: extranonce2 size → ntime window → version bits
 * inside the mask → (hash) → duplicate → share target → accepted, a block when the hash also meets
 * the network target. The session-level checks that come first (subscribed, authorized, params,
 * job found) are the engine's.
 *
 * <p>When coinb1 is long enough to be worth it ({@link Job#MIDSTATE_MIN_PREFIX}), it is not hashed
 * per share: the job's midstate is resumed with {@code extranonce1 ‖ extranonce2 ‖ coinb2}.
 * Otherwise the coinbase is assembled in scratch and hashed in one pass, which measured faster
 * than cloning the digest. The branch is applied in place and the header
 * assembled in per-thread scratch, so a share costs the hashing plus the verdict. With the
 * session's {@link MerkleRootCache}, a share on the same extranonce2 as the session's previous one
 * reuses its merkle root and costs only the header's hash.
 *
 * <p>Thread-safe (scratch is per thread); the duplicate filter is shared.
 */
public final class ShareValidator {

    /** Bitcoin Core's MAX_FUTURE_BLOCK_TIME: a header may be at most two hours ahead. */
    public static final long MAX_FUTURE_SECONDS = 2 * 60 * 60;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final PowFunction pow;

    /** A validator hashing headers with {@code pow}. */
    public ShareValidator(PowFunction pow) {
        this.pow = Objects.requireNonNull(pow, "pow");
    }

    /** The proof-of-work function in use. */
    public PowFunction pow() {
        return pow;
    }

    /**
     * The verdict on {@code submit} for {@code job}.
     *
     * @param extranonce1 the session's extranonce1 (as long as the job's coinbase expects)
     * @param versionMask the negotiated version-rolling mask (0 when none was negotiated)
     * @param shareTarget the target this share must meet (the session's difficulty, with grace)
     * @param nowSeconds  the current time, seconds since the epoch
     * @param duplicates  the job's duplicate filter
     */
    public Verdict check(Job job, byte[] extranonce1, Submit submit, int versionMask, Target shareTarget, long nowSeconds,
                         DuplicateFilter duplicates) {
        return check(job, extranonce1, submit, versionMask, shareTarget, nowSeconds, duplicates, null);
    }

    /**
     * As {@link #check(Job, byte[], Submit, int, Target, long, DuplicateFilter)}, reusing the
     * session's last merkle root when this share has the same job, extranonce1 and extranonce2
     * ({@code roots} may be null). The cache holds only what the hashes it skips would have
     * produced, so the verdict is the same with or without it.
     */
    public Verdict check(Job job, byte[] extranonce1, Submit submit, int versionMask, Target shareTarget, long nowSeconds,
                         DuplicateFilter duplicates, MerkleRootCache roots) {
        Coinbase cb = job.coinbase();
        if (submit.extranonce2Length() != cb.extranonce2Size()) {
            return Verdict.rejected(RejectReason.EXTRANONCE2_SIZE);
        }
        long ntime = submit.ntime() & 0xffffffffL;
        if (ntime < job.minTime() || ntime > nowSeconds + MAX_FUTURE_SECONDS) {
            return Verdict.rejected(RejectReason.NTIME_OUT_OF_RANGE);
        }
        int version = job.version();
        if (submit.hasVersionBits()) {
            int bits = submit.versionBits();
            if ((bits & ~versionMask) != 0) {
                return Verdict.rejected(RejectReason.VERSION_BITS_OUTSIDE_MASK);
            }
            version = (version & ~versionMask) | (bits & versionMask);
        }

        Scratch s = SCRATCH.get();
        if (roots == null || !roots.lookup(job, extranonce1, submit, s.pair, s.header, 36)) {
            merkleRoot(job, extranonce1, submit, s);
            if (roots != null) {
                roots.store(job, extranonce1, submit, s.header, 36);
            }
        }
        LittleEndian.writeInt32(s.header, 0, version);
        job.previousBlockHash().copyInternalBytesTo(s.header, 4);
        LittleEndian.writeInt32(s.header, 68, (int) ntime);
        LittleEndian.writeInt32(s.header, 72, job.bits().value());
        LittleEndian.writeInt32(s.header, 76, submit.nonce());
        pow.hash(s.header, 0, s.hash, 0, s.hasher);

        if (duplicates.contains(s.hash)) {
            return Verdict.rejected(RejectReason.DUPLICATE, Sha256Hash.fromInternalBytes(s.hash), null);
        }
        if (!shareTarget.isMetBy(s.hash, 0)) {
            return Verdict.rejected(RejectReason.LOW_DIFFICULTY, Sha256Hash.fromInternalBytes(s.hash), null);
        }
        if (!duplicates.add(s.hash, shareTarget)) {
            return Verdict.rejected(RejectReason.DUPLICATE, Sha256Hash.fromInternalBytes(s.hash), null);
        }
        boolean block = job.networkTarget().isMetBy(s.hash, 0);
        return Verdict.accepted(Sha256Hash.fromInternalBytes(s.hash), BlockHeader.parse(s.header.clone()), block);
    }

    /** Hashes the coinbase and applies the branch; the root lands in the header scratch at 36. */
    private static void merkleRoot(Job job, byte[] extranonce1, Submit submit, Scratch s) {
        Coinbase cb = job.coinbase();
        Sha256Midstate midstate = job.coinbasePrefixMidstate().orElse(null);
        int prefix = midstate == null ? cb.coinb1Length() : 0;
        int length = prefix + extranonce1.length + submit.extranonce2Length() + cb.coinb2Length();
        byte[] buf = s.coinbase(length);
        if (midstate == null) {
            cb.copyCoinb1To(buf, 0);
        }
        System.arraycopy(extranonce1, 0, buf, prefix, extranonce1.length);
        submit.copyExtranonce2To(buf, prefix + extranonce1.length);
        cb.copyCoinb2To(buf, prefix + extranonce1.length + submit.extranonce2Length());
        if (midstate == null) {
            s.hasher.sha256d(buf, 0, length, s.header, 36);
        } else {
            s.hasher.sha256d(midstate, buf, 0, length, s.header, 36);
        }
        job.merkleBranch().applyTo(s.header, 36, s.pair, s.hasher);
    }

    /** Per-thread buffers, so the hot path allocates nothing but its result. */
    private static final class Scratch {
        final Sha256Hasher hasher = new Sha256Hasher();
        final byte[] header = new byte[BlockHeader.LENGTH];
        final byte[] pair = new byte[2 * Sha256Hash.LENGTH];
        final byte[] hash = new byte[Sha256Hash.LENGTH];
        byte[] coinbase = new byte[512];

        byte[] coinbase(int length) {
            if (coinbase.length < length) {
                coinbase = Arrays.copyOf(coinbase, Math.max(length, coinbase.length * 2));
            }
            return coinbase;
        }
    }
}
