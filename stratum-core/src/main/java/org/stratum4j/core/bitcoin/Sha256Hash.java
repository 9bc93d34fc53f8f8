package org.stratum4j.core.bitcoin;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * A 32-byte SHA-256 (usually sha256d) result: a block hash, txid, wtxid, merkle node or root.
 *
 * <p>The bytes are stored in <em>internal</em> order, exactly as SHA-256 produced them and as
 * headers and transactions carry them. Bitcoin Core's RPC and block explorers print the
 * <em>display</em> order, the same bytes reversed. Every factory and accessor names its order;
 * {@link #toString()} gives display hex because that is what a human compares against an explorer.
 *
 * <p>Immutable; {@link #internalBytes()} returns a copy.
 */
public final class Sha256Hash {

    /** Length of a hash in bytes. */
    public static final int LENGTH = 32;

    /** The all-zero hash: the null prevout of a coinbase and the coinbase's wtxid placeholder. */
    public static final Sha256Hash ZERO = new Sha256Hash(new byte[LENGTH]);

    private final byte[] internal;

    private Sha256Hash(byte[] internal) {
        this.internal = internal;
    }

    /** Wraps a copy of 32 bytes given in internal order. */
    public static Sha256Hash fromInternalBytes(byte[] internalOrder) {
        Objects.requireNonNull(internalOrder, "internalOrder");
        if (internalOrder.length != LENGTH) {
            throw new IllegalArgumentException("a hash is 32 bytes, got " + internalOrder.length);
        }
        return new Sha256Hash(internalOrder.clone());
    }

    /** Wraps a copy of the 32 bytes at {@code offset} in {@code buffer}, given in internal order. */
    public static Sha256Hash fromInternalBytes(byte[] buffer, int offset) {
        Objects.checkFromIndexSize(offset, LENGTH, buffer.length);
        return new Sha256Hash(Arrays.copyOfRange(buffer, offset, offset + LENGTH));
    }

    /** Wraps a copy of 32 bytes given in display order (reversed from internal). */
    public static Sha256Hash fromDisplayBytes(byte[] displayOrder) {
        Objects.requireNonNull(displayOrder, "displayOrder");
        if (displayOrder.length != LENGTH) {
            throw new IllegalArgumentException("a hash is 32 bytes, got " + displayOrder.length);
        }
        return new Sha256Hash(reversed(displayOrder));
    }

    /**
     * Parses 64 hex digits in display order, as Bitcoin Core's RPC ({@code previousblockhash},
     * {@code txid}, {@code hash}) and block explorers print them.
     */
    public static Sha256Hash fromDisplayHex(String displayHex) {
        return new Sha256Hash(reversed(Hex.decodeExact(displayHex, LENGTH, "display-order hash")));
    }

    /**
     * Parses 64 hex digits in internal order, as the Stratum merkle branch and raw serializations
     * carry them.
     */
    public static Sha256Hash fromInternalHex(String internalHex) {
        return new Sha256Hash(Hex.decodeExact(internalHex, LENGTH, "internal-order hash"));
    }

    /** SHA-256 of {@code data}, once. */
    public static Sha256Hash of(byte[] data) {
        return new Sha256Hash(Sha256.hash(data));
    }

    /** sha256d (SHA-256 of SHA-256) of {@code data}: the hash of headers and transactions. */
    public static Sha256Hash twiceOf(byte[] data) {
        return new Sha256Hash(Sha256.hashTwice(data, 0, data.length));
    }

    /** sha256d of the concatenation of two hashes' internal bytes: a merkle parent node. */
    public static Sha256Hash twiceOfConcatenation(Sha256Hash left, Sha256Hash right) {
        byte[] pair = new byte[2 * LENGTH];
        System.arraycopy(left.internal, 0, pair, 0, LENGTH);
        System.arraycopy(right.internal, 0, pair, LENGTH, LENGTH);
        return new Sha256Hash(Sha256.hashTwice(pair, 0, pair.length));
    }

    /** A copy of the bytes in internal order. */
    public byte[] internalBytes() {
        return internal.clone();
    }

    /** A copy of the bytes in display order. */
    public byte[] displayBytes() {
        return reversed(internal);
    }

    /** Copies the internal-order bytes into {@code destination} at {@code offset}, without allocating. */
    public void copyInternalBytesTo(byte[] destination, int offset) {
        System.arraycopy(internal, 0, destination, offset, LENGTH);
    }

    /** Lower-case hex in internal order (the form of Stratum merkle branch entries). */
    public String toInternalHex() {
        return Hex.encode(internal);
    }

    /** Lower-case hex in display order (the form of RPC and explorers). */
    public String toDisplayHex() {
        return Hex.encode(reversed(internal));
    }

    /**
     * The hash read as an unsigned 256-bit little-endian integer: the value that proof of work
     * compares against a target (equal to the display hex read as a big-endian number).
     */
    public BigInteger toBigInteger() {
        return new BigInteger(1, reversed(internal));
    }

    /** Whether the hash, read as a number, is at or below {@code target}. */
    public boolean meets(Target target) {
        return target.isMetBy(internal, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sha256Hash && Arrays.equals(internal, ((Sha256Hash) o).internal);
    }

    @Override
    public int hashCode() {
        // The bytes are already uniformly distributed.
        return (internal[0] & 0xff) | (internal[1] & 0xff) << 8 | (internal[2] & 0xff) << 16 | internal[3] << 24;
    }

    /** Display-order hex, as an explorer shows it. */
    @Override
    public String toString() {
        return toDisplayHex();
    }

    static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
