package org.stratum4j.core.bitcoin;

import java.util.Objects;

/**
 * The 80-byte block header: {@code LE32(version) ‖ prevHash(internal) ‖ merkleRoot(internal) ‖
 * LE32(time) ‖ LE32(bits) ‖ LE32(nonce)}. Its sha256d is the block hash and the proof of work.
 *
 * <p>{@code time} and {@code nonce} are unsigned 32-bit values held in a {@code long}; the version
 * is Bitcoin's signed 32-bit {@code nVersion} (BIP9 and BIP320 bits included).
 *
 * <p>Immutable.
 */
public final class BlockHeader {

    /** Serialized length in bytes. */
    public static final int LENGTH = 80;

    private final int version;
    private final Sha256Hash prevHash;
    private final Sha256Hash merkleRoot;
    private final long time;
    private final CompactBits bits;
    private final long nonce;

    private BlockHeader(int version, Sha256Hash prevHash, Sha256Hash merkleRoot, long time, CompactBits bits, long nonce) {
        this.version = version;
        this.prevHash = Objects.requireNonNull(prevHash, "prevHash");
        this.merkleRoot = Objects.requireNonNull(merkleRoot, "merkleRoot");
        this.time = checkUint32(time, "time");
        this.bits = Objects.requireNonNull(bits, "bits");
        this.nonce = checkUint32(nonce, "nonce");
    }

    /**
     * A header from its fields.
     *
     * @param time  seconds since the epoch, 0 to 2^32−1
     * @param nonce 0 to 2^32−1
     */
    public static BlockHeader of(int version, Sha256Hash prevHash, Sha256Hash merkleRoot, long time, CompactBits bits, long nonce) {
        return new BlockHeader(version, prevHash, merkleRoot, time, bits, nonce);
    }

    /** Parses exactly 80 serialized bytes. */
    public static BlockHeader parse(byte[] serialized) {
        Objects.requireNonNull(serialized, "serialized");
        if (serialized.length != LENGTH) {
            throw new IllegalArgumentException("a block header is 80 bytes, got " + serialized.length);
        }
        return new BlockHeader(
                LittleEndian.readInt32(serialized, 0),
                Sha256Hash.fromInternalBytes(serialized, 4),
                Sha256Hash.fromInternalBytes(serialized, 36),
                LittleEndian.readInt32(serialized, 68) & 0xffffffffL,
                CompactBits.of(LittleEndian.readInt32(serialized, 72)),
                LittleEndian.readInt32(serialized, 76) & 0xffffffffL);
    }

    /** Parses 160 hex digits of a serialized header. */
    public static BlockHeader fromHex(String hex) {
        return parse(Hex.decodeExact(hex, LENGTH, "block header"));
    }

    /** The 80 serialized bytes. */
    public byte[] serialize() {
        byte[] out = new byte[LENGTH];
        writeTo(out, 0);
        return out;
    }

    /** Writes the 80 serialized bytes into {@code out} at {@code offset}. */
    public void writeTo(byte[] out, int offset) {
        Objects.checkFromIndexSize(offset, LENGTH, out.length);
        LittleEndian.writeInt32(out, offset, version);
        prevHash.copyInternalBytesTo(out, offset + 4);
        merkleRoot.copyInternalBytesTo(out, offset + 36);
        LittleEndian.writeInt32(out, offset + 68, (int) time);
        LittleEndian.writeInt32(out, offset + 72, bits.value());
        LittleEndian.writeInt32(out, offset + 76, (int) nonce);
    }

    /** The serialized header as 160 lower-case hex digits. */
    public String toHex() {
        return Hex.encode(serialize());
    }

    /** The block hash, sha256d of the serialized header. */
    public Sha256Hash hash() {
        return Sha256Hash.twiceOf(serialize());
    }

    /** Whether the block hash is at or below {@code target}. */
    public boolean meets(Target target) {
        return hash().meets(target);
    }

    /** Whether the block hash meets the target that this header's own nBits encodes. */
    public boolean meetsOwnTarget() {
        return meets(bits.toTarget());
    }

    /** The signed 32-bit nVersion. */
    public int version() {
        return version;
    }

    /** The previous block's hash. */
    public Sha256Hash prevHash() {
        return prevHash;
    }

    /** The merkle root of the block's transactions. */
    public Sha256Hash merkleRoot() {
        return merkleRoot;
    }

    /** The block time, unsigned 32-bit seconds since the epoch. */
    public long time() {
        return time;
    }

    /** The compact target. */
    public CompactBits bits() {
        return bits;
    }

    /** The nonce, unsigned 32-bit. */
    public long nonce() {
        return nonce;
    }

    /** A copy with another nonce. */
    public BlockHeader withNonce(long newNonce) {
        return new BlockHeader(version, prevHash, merkleRoot, time, bits, newNonce);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BlockHeader)) {
            return false;
        }
        BlockHeader h = (BlockHeader) o;
        return version == h.version && time == h.time && nonce == h.nonce && bits.equals(h.bits)
                && prevHash.equals(h.prevHash) && merkleRoot.equals(h.merkleRoot);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, prevHash, merkleRoot, time, bits, nonce);
    }

    @Override
    public String toString() {
        return "BlockHeader{version=" + String.format("%08x", version) + ", prev=" + prevHash + ", merkleRoot=" + merkleRoot
                + ", time=" + time + ", bits=" + bits + ", nonce=" + nonce + '}';
    }

    private static long checkUint32(long v, String name) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException(name + " must be an unsigned 32-bit value (0 to 4294967295), got " + v);
        }
        return v;
    }
}
