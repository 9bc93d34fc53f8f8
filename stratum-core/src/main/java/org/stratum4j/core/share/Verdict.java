package org.stratum4j.core.share;

import java.util.Objects;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * The truth about one share: accepted or the reason it was not, and, once it was hashed, its
 * proof-of-work hash, its own difficulty and whether it is a block.
 *
 * <p>Immutable. Rejections before hashing (everything up to the version mask) carry no hash.
 */
public final class Verdict {

    private final RejectReason rejectReason;
    private final Sha256Hash hash;
    private final BlockHeader header;
    private final boolean block;

    private Verdict(RejectReason rejectReason, Sha256Hash hash, BlockHeader header, boolean block) {
        this.rejectReason = rejectReason;
        this.hash = hash;
        this.header = header;
        this.block = block;
    }

    /** A rejection decided before hashing. */
    public static Verdict rejected(RejectReason reason) {
        return new Verdict(Objects.requireNonNull(reason, "reason"), null, null, false);
    }

    /** A rejection decided on the hash (duplicate, low difficulty). */
    public static Verdict rejected(RejectReason reason, Sha256Hash hash, BlockHeader header) {
        return new Verdict(Objects.requireNonNull(reason, "reason"), hash, header, false);
    }

    /** An accepted share; {@code block} when the hash also meets the network target. */
    public static Verdict accepted(Sha256Hash hash, BlockHeader header, boolean block) {
        return new Verdict(null, Objects.requireNonNull(hash, "hash"), Objects.requireNonNull(header, "header"), block);
    }

    /** True when the share counts. */
    public boolean isAccepted() {
        return rejectReason == null;
    }

    /** Why it was rejected, or {@code null} when accepted. */
    public RejectReason rejectReason() {
        return rejectReason;
    }

    /** The proof-of-work hash, or {@code null} when the share was rejected before hashing. */
    public Sha256Hash hash() {
        return hash;
    }

    /** The header that was hashed, or {@code null} when the share was rejected before hashing. */
    public BlockHeader header() {
        return header;
    }

    /** The share's own difficulty ({@code diff1 / hash}), or 0 when it was not hashed. */
    public double shareDifficulty() {
        return hash == null ? 0 : Difficulty.ofHash(hash);
    }

    /** True when the hash meets the network target: a block. */
    public boolean isBlock() {
        return block;
    }

    @Override
    public String toString() {
        return isAccepted() ? (block ? "Verdict[block " : "Verdict[accepted ") + hash.toDisplayHex() + "]"
                : "Verdict[" + rejectReason + (hash == null ? "" : " " + hash.toDisplayHex()) + "]";
    }
}
