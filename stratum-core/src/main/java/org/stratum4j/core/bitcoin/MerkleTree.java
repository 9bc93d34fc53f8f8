package org.stratum4j.core.bitcoin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Bitcoin's transaction merkle tree: {@code sha256d(left ‖ right)} at each level, the last node of
 * an odd level paired with itself.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    /**
     * The merkle root of {@code leaves} in block order (txids, coinbase first; or wtxids with the
     * coinbase's as {@link Sha256Hash#ZERO} for the witness tree).
     *
     * @throws IllegalArgumentException if {@code leaves} is empty
     */
    public static Sha256Hash root(List<Sha256Hash> leaves) {
        Objects.requireNonNull(leaves, "leaves");
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("a merkle tree needs at least one leaf (the coinbase)");
        }
        List<Sha256Hash> level = new ArrayList<>(leaves);
        while (level.size() > 1) {
            level = parents(level, 0);
        }
        return level.get(0);
    }

    /**
     * Whether the tree over {@code leaves} has two equal siblings at some level: Bitcoin Core's
     * {@code mutated} flag (CVE-2012-2459), set when a block repeats transactions so that its root
     * equals that of a different transaction list. Such a block is rejected as
     * {@code bad-txns-duplicate}.
     */
    public static boolean isMutated(List<Sha256Hash> leaves) {
        Objects.requireNonNull(leaves, "leaves");
        List<Sha256Hash> level = leaves;
        while (level.size() > 1) {
            for (int i = 0; i + 1 < level.size(); i += 2) {
                if (level.get(i).equals(level.get(i + 1))) {
                    return true;
                }
            }
            level = parents(level, 0);
        }
        return false;
    }

    /**
     * The parent level of {@code level[from..]}: hashes of consecutive pairs, an odd last node
     * paired with itself.
     */
    static List<Sha256Hash> parents(List<Sha256Hash> level, int from) {
        List<Sha256Hash> up = new ArrayList<>((level.size() - from + 1) / 2);
        for (int i = from; i < level.size(); i += 2) {
            Sha256Hash left = level.get(i);
            Sha256Hash right = i + 1 < level.size() ? level.get(i + 1) : left;
            up.add(Sha256Hash.twiceOfConcatenation(left, right));
        }
        return up;
    }
}
