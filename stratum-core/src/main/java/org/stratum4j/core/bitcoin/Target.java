package org.stratum4j.core.bitcoin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A proof-of-work target: an unsigned 256-bit integer that a hash must not exceed.
 *
 * <p>Comparisons are exact integer comparisons, never doubles. A hash meets the target when
 * {@code sha256d(header)}, read as a little-endian number, is less than or equal to it. Hex forms
 * are big-endian (most significant digit first), which is also how a display-order hash reads, so a
 * target's hex and a block hash can be compared by eye.
 *
 * <p>Immutable.
 */
public final class Target implements Comparable<Target> {

    private static final BigInteger TWO_POW_256 = BigInteger.ONE.shiftLeft(256);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The largest target, 2^256 − 1: every hash meets it. */
    public static final Target MAX = new Target(-1L, -1L, -1L, -1L);

    /**
     * The difficulty-1 target, {@code 0xffff · 2^208} ({@code 0x00000000ffff0000…}): the expansion of
     * nBits {@code 1d00ffff}, and what Stratum pools (ckpool, ESP-Miner, public-pool, btcpool) divide
     * by a share difficulty.
     */
    public static final Target DIFF1 = new Target(0x00000000ffff0000L, 0L, 0L, 0L);

    /** The difficulty-1 target as a double; exact, since 0xffff·2^208 has 16 significant bits. */
    static final double DIFF1_DOUBLE = 0xffffL * Math.pow(2, 208);

    // Big-endian limbs: w0 holds the most significant 64 bits.
    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;

    private Target(long w0, long w1, long w2, long w3) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    /**
     * The target with the given value.
     *
     * @throws IllegalArgumentException unless {@code 0 <= value < 2^256}
     */
    public static Target of(BigInteger value) {
        Objects.requireNonNull(value, "value");
        if (value.signum() < 0 || value.compareTo(TWO_POW_256) >= 0) {
            throw new IllegalArgumentException("a target is an unsigned 256-bit integer (0 to 2^256-1), got " + value);
        }
        return new Target(
                value.shiftRight(192).longValue(),
                value.shiftRight(128).longValue(),
                value.shiftRight(64).longValue(),
                value.longValue());
    }

    /** Parses 64 hex digits, most significant first (the form explorers and {@code getblocktemplate} use). */
    public static Target fromHex(String bigEndianHex) {
        byte[] b = Hex.decodeExact(bigEndianHex, 32, "target");
        return of(new BigInteger(1, b));
    }

    /**
     * The target whose 32 bytes at {@code offset} are a little-endian integer: Stratum V2's
     * {@code U256} form (least significant byte first, like a hash in internal order).
     */
    public static Target fromLittleEndian(byte[] bytes, int offset) {
        Objects.checkFromIndexSize(offset, 32, bytes.length);
        return new Target((long) LONG_LE.get(bytes, offset + 24), (long) LONG_LE.get(bytes, offset + 16),
                (long) LONG_LE.get(bytes, offset + 8), (long) LONG_LE.get(bytes, offset));
    }

    /** Writes the 32-byte little-endian form ({@link #fromLittleEndian}'s) at {@code offset}. */
    public void writeLittleEndian(byte[] out, int offset) {
        Objects.checkFromIndexSize(offset, 32, out.length);
        LONG_LE.set(out, offset, w3);
        LONG_LE.set(out, offset + 8, w2);
        LONG_LE.set(out, offset + 16, w1);
        LONG_LE.set(out, offset + 24, w0);
    }

    /** The value as a non-negative {@link BigInteger}. */
    public BigInteger toBigInteger() {
        byte[] b = new byte[33];
        putBigEndian(b, 1, w0);
        putBigEndian(b, 9, w1);
        putBigEndian(b, 17, w2);
        putBigEndian(b, 25, w3);
        return new BigInteger(b);
    }

    /** 64 lower-case hex digits, most significant first. */
    public String toHex() {
        return String.format("%016x%016x%016x%016x", w0, w1, w2, w3);
    }

    /**
     * Whether the hash whose internal-order bytes are {@code hash[offset..offset+32)} meets this
     * target, that is, read as a little-endian integer it is {@code <=} the target. Allocation-free.
     */
    public boolean isMetBy(byte[] hashInternal, int offset) {
        Objects.checkFromIndexSize(offset, Sha256Hash.LENGTH, hashInternal.length);
        int c = Long.compareUnsigned((long) LONG_LE.get(hashInternal, offset + 24), w0);
        if (c != 0) {
            return c < 0;
        }
        c = Long.compareUnsigned((long) LONG_LE.get(hashInternal, offset + 16), w1);
        if (c != 0) {
            return c < 0;
        }
        c = Long.compareUnsigned((long) LONG_LE.get(hashInternal, offset + 8), w2);
        if (c != 0) {
            return c < 0;
        }
        return Long.compareUnsigned((long) LONG_LE.get(hashInternal, offset), w3) <= 0;
    }

    /** Whether {@code hash}, read as a number, is at or below this target. */
    public boolean isMetBy(Sha256Hash hash) {
        return hash.meets(this);
    }

    /**
     * This target's difficulty relative to {@link #DIFF1}, as a double for display and vardiff
     * arithmetic (never for accepting or rejecting work). Positive infinity for a zero target.
     */
    public double difficulty() {
        return DIFF1_DOUBLE / toDouble(w0, w1, w2, w3);
    }

    /** The compact (nBits) encoding of this target, as Bitcoin Core's {@code GetCompact} makes it. */
    public CompactBits toCompactBits() {
        return CompactBits.fromTarget(this);
    }

    @Override
    public int compareTo(Target o) {
        int c = Long.compareUnsigned(w0, o.w0);
        if (c == 0) {
            c = Long.compareUnsigned(w1, o.w1);
        }
        if (c == 0) {
            c = Long.compareUnsigned(w2, o.w2);
        }
        if (c == 0) {
            c = Long.compareUnsigned(w3, o.w3);
        }
        return c;
    }

    /** The smaller (harder) of two targets. */
    public static Target min(Target a, Target b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The larger (easier) of two targets. */
    public static Target max(Target a, Target b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Target)) {
            return false;
        }
        Target t = (Target) o;
        return w0 == t.w0 && w1 == t.w1 && w2 == t.w2 && w3 == t.w3;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(w0 ^ w1 ^ w2 ^ w3);
    }

    /** The 64-digit hex form. */
    @Override
    public String toString() {
        return toHex();
    }

    /**
     * The approximate value of a 256-bit number given as big-endian limbs, as a double. Relative
     * error below 2^-52, which is what display and vardiff need.
     */
    static double toDouble(long w0, long w1, long w2, long w3) {
        return Math.scalb(unsignedToDouble(w0), 192) + Math.scalb(unsignedToDouble(w1), 128)
                + Math.scalb(unsignedToDouble(w2), 64) + unsignedToDouble(w3);
    }

    /** The hash's value as a double, reading its internal bytes as a little-endian integer. */
    static double hashToDouble(byte[] hashInternal, int offset) {
        return toDouble((long) LONG_LE.get(hashInternal, offset + 24), (long) LONG_LE.get(hashInternal, offset + 16),
                (long) LONG_LE.get(hashInternal, offset + 8), (long) LONG_LE.get(hashInternal, offset));
    }

    private static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1L);
    }

    private static void putBigEndian(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
