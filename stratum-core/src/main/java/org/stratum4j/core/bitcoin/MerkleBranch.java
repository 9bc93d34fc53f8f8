package org.stratum4j.core.bitcoin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Stratum merkle branch of the coinbase (leaf 0): the sibling hashes from the leaf level up,
 * which {@code mining.notify} sends as internal-order hex. The coinbase is always the left child, so
 * {@code root = sha256d(...sha256d(sha256d(coinbaseTxid ‖ b0) ‖ b1)... ‖ bn)}.
 *
 * <p>Immutable. The steps are also kept packed in one array so that a share's root is computed
 * without allocating ({@link #applyTo}).
 */
public final class MerkleBranch {

    private static final MerkleBranch EMPTY = new MerkleBranch(List.of());

    private final List<Sha256Hash> steps;
    private final byte[] packed;

    private MerkleBranch(List<Sha256Hash> steps) {
        this.steps = List.copyOf(steps);
        this.packed = new byte[steps.size() * Sha256Hash.LENGTH];
        for (int i = 0; i < steps.size(); i++) {
            steps.get(i).copyInternalBytesTo(packed, i * Sha256Hash.LENGTH);
        }
    }

    /** A branch made of the given steps, leaf level first. */
    public static MerkleBranch of(List<Sha256Hash> steps) {
        Objects.requireNonNull(steps, "steps");
        return steps.isEmpty() ? EMPTY : new MerkleBranch(steps);
    }

    /** A branch from internal-order hex strings, as {@code mining.notify} carries it. */
    public static MerkleBranch fromInternalHex(List<String> internalHex) {
        List<Sha256Hash> steps = new ArrayList<>(internalHex.size());
        for (String h : internalHex) {
            steps.add(Sha256Hash.fromInternalHex(h));
        }
        return of(steps);
    }

    /**
     * Computes the branch for the coinbase of a block whose other transactions, in block order,
     * have the given txids. The coinbase itself is not needed: it is the slot every step pairs with.
     */
    public static MerkleBranch forCoinbase(List<Sha256Hash> nonCoinbaseTxids) {
        Objects.requireNonNull(nonCoinbaseTxids, "nonCoinbaseTxids");
        List<Sha256Hash> steps = new ArrayList<>();
        // level.get(0) stands for the (unknown) coinbase-side node; only its siblings are needed.
        List<Sha256Hash> level = new ArrayList<>(nonCoinbaseTxids.size() + 1);
        level.add(null);
        level.addAll(nonCoinbaseTxids);
        while (level.size() > 1) {
            steps.add(level.get(1));
            List<Sha256Hash> up = new ArrayList<>(level.size() / 2 + 1);
            up.add(null);
            if (level.size() > 2) {
                up.addAll(MerkleTree.parents(level, 2));
            }
            level = up;
        }
        return of(steps);
    }

    /** The sibling hashes, leaf level first. */
    public List<Sha256Hash> steps() {
        return steps;
    }

    /** Number of steps (the tree's depth). */
    public int size() {
        return steps.size();
    }

    /** The steps as internal-order hex, the form of {@code mining.notify} params[4]. */
    public List<String> toInternalHex() {
        List<String> out = new ArrayList<>(steps.size());
        for (Sha256Hash s : steps) {
            out.add(s.toInternalHex());
        }
        return out;
    }

    /** The merkle root of a block whose coinbase has the given txid. */
    public Sha256Hash rootFor(Sha256Hash coinbaseTxid) {
        byte[] node = coinbaseTxid.internalBytes();
        applyTo(node, 0, new byte[2 * Sha256Hash.LENGTH], new Sha256Hasher());
        return Sha256Hash.fromInternalBytes(node);
    }

    /**
     * Turns the coinbase txid at {@code node[offset..+32)} into the merkle root, in place, without
     * allocating.
     *
     * @param scratch at least 64 bytes of caller-owned scratch space
     * @param hasher  the calling thread's hasher
     */
    public void applyTo(byte[] node, int offset, byte[] scratch, Sha256Hasher hasher) {
        Objects.checkFromIndexSize(offset, Sha256Hash.LENGTH, node.length);
        if (scratch.length < 2 * Sha256Hash.LENGTH) {
            throw new IllegalArgumentException("scratch must hold 64 bytes, has " + scratch.length);
        }
        for (int p = 0; p < packed.length; p += Sha256Hash.LENGTH) {
            System.arraycopy(node, offset, scratch, 0, Sha256Hash.LENGTH);
            System.arraycopy(packed, p, scratch, Sha256Hash.LENGTH, Sha256Hash.LENGTH);
            hasher.sha256d(scratch, 0, 2 * Sha256Hash.LENGTH, node, offset);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MerkleBranch && ((MerkleBranch) o).steps.equals(steps);
    }

    @Override
    public int hashCode() {
        return steps.hashCode();
    }

    @Override
    public String toString() {
        return "MerkleBranch" + toInternalHex();
    }
}
