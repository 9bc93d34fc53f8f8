package org.stratum4j.core.bitcoin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The BIP141 witness commitment of a block: {@code sha256d(witnessMerkleRoot ‖ reservedValue)},
 * carried by a coinbase output whose script is {@code OP_RETURN 0x24 aa21a9ed ‖ commitment}.
 * The witness tree has the coinbase's wtxid replaced by 32 zero bytes, and the coinbase's witness
 * holds the reserved value (32 zero bytes in practice).
 *
 * <p>Immutable.
 */
public final class WitnessCommitment {

    /** The first six bytes of the commitment output script: OP_RETURN, push 36, {@code aa21a9ed}. */
    private static final byte[] SCRIPT_HEADER = {0x6a, 0x24, (byte) 0xaa, 0x21, (byte) 0xa9, (byte) 0xed};

    /** Length of the commitment output script. */
    public static final int SCRIPT_LENGTH = SCRIPT_HEADER.length + Sha256Hash.LENGTH;

    /** The witness reserved value every pool and Bitcoin Core use: 32 zero bytes. */
    public static final Sha256Hash ZERO_RESERVED_VALUE = Sha256Hash.ZERO;

    private final Sha256Hash commitment;

    private WitnessCommitment(Sha256Hash commitment) {
        this.commitment = commitment;
    }

    /** Wraps an already-computed commitment hash (the 32 bytes after {@code aa21a9ed}). */
    public static WitnessCommitment of(Sha256Hash commitment) {
        return new WitnessCommitment(Objects.requireNonNull(commitment, "commitment"));
    }

    /**
     * Computes the commitment for a block whose non-coinbase transactions have the given wtxids, in
     * block order, with the zero reserved value.
     */
    public static WitnessCommitment fromWtxids(List<Sha256Hash> nonCoinbaseWtxids) {
        return fromWtxids(nonCoinbaseWtxids, ZERO_RESERVED_VALUE);
    }

    /** As {@link #fromWtxids(List)} with a chosen reserved value. */
    public static WitnessCommitment fromWtxids(List<Sha256Hash> nonCoinbaseWtxids, Sha256Hash reservedValue) {
        Objects.requireNonNull(nonCoinbaseWtxids, "nonCoinbaseWtxids");
        List<Sha256Hash> leaves = new ArrayList<>(nonCoinbaseWtxids.size() + 1);
        leaves.add(Sha256Hash.ZERO);
        leaves.addAll(nonCoinbaseWtxids);
        Sha256Hash witnessRoot = MerkleTree.root(leaves);
        return new WitnessCommitment(Sha256Hash.twiceOfConcatenation(witnessRoot, reservedValue));
    }

    /**
     * Reads the commitment from an output script such as {@code getblocktemplate}'s
     * {@code default_witness_commitment}.
     *
     * @throws IllegalArgumentException unless the script is 38 bytes starting {@code 6a24aa21a9ed}
     */
    public static WitnessCommitment fromScript(byte[] scriptPubKey) {
        Objects.requireNonNull(scriptPubKey, "scriptPubKey");
        if (scriptPubKey.length != SCRIPT_LENGTH
                || !Arrays.equals(scriptPubKey, 0, SCRIPT_HEADER.length, SCRIPT_HEADER, 0, SCRIPT_HEADER.length)) {
            throw new IllegalArgumentException("a witness commitment script is 38 bytes starting 6a24aa21a9ed, got "
                    + Hex.encode(scriptPubKey));
        }
        return new WitnessCommitment(Sha256Hash.fromInternalBytes(scriptPubKey, SCRIPT_HEADER.length));
    }

    /** The commitment hash, as it sits in the output script. */
    public Sha256Hash hash() {
        return commitment;
    }

    /** The 38-byte output script {@code 6a24aa21a9ed ‖ commitment}. */
    public byte[] scriptPubKey() {
        byte[] out = Arrays.copyOf(SCRIPT_HEADER, SCRIPT_LENGTH);
        commitment.copyInternalBytesTo(out, SCRIPT_HEADER.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WitnessCommitment && ((WitnessCommitment) o).commitment.equals(commitment);
    }

    @Override
    public int hashCode() {
        return commitment.hashCode();
    }

    @Override
    public String toString() {
        return Hex.encode(scriptPubKey());
    }
}
