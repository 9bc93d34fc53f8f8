package org.stratum4j.core.bitcoin;

import java.math.BigInteger;

/**
 * The compact encoding of a target used in block headers and templates ({@code nBits}), with
 * Bitcoin Core's exact semantics ({@code arith_uint256::SetCompact}/{@code GetCompact}).
 *
 * <p>The 32-bit value is an exponent byte and a 24-bit mantissa whose top bit is a sign: the target
 * is {@code mantissa · 256^(exponent − 3)}. A set sign bit with a non-zero mantissa makes the value
 * <em>negative</em>; a mantissa shifted past 256 bits is an <em>overflow</em>. Neither is a valid
 * proof-of-work target, and {@link #toTarget()} rejects both, as Bitcoin Core does.
 *
 * <p>Hex forms are 8 digits, big-endian, as {@code getblocktemplate}, explorers and
 * {@code mining.notify} print them. In a header the value is stored little-endian.
 *
 * <p>Immutable.
 */
public final class CompactBits {

    private final int bits;

    private CompactBits(int bits) {
        this.bits = bits;
    }

    /** Wraps a raw nBits value (an unsigned 32-bit quantity held in an {@code int}). */
    public static CompactBits of(int bits) {
        return new CompactBits(bits);
    }

    /** Parses 8 hex digits, big-endian (e.g. {@code "1d00ffff"}). */
    public static CompactBits fromHex(String hex) {
        byte[] b = Hex.decodeExact(hex, 4, "nbits");
        return new CompactBits((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff));
    }

    /** The raw 32-bit value. */
    public int value() {
        return bits;
    }

    /** 8 lower-case hex digits, big-endian. */
    public String toHex() {
        return String.format("%08x", bits);
    }

    private int size() {
        return bits >>> 24;
    }

    /**
     * The mantissa as SetCompact sees it: for sizes up to 3 it is shifted right first, and the sign
     * and overflow tests then look at what is left (so {@code 01803456} is zero, not negative).
     */
    private int word() {
        int size = size();
        int word = bits & 0x007fffff;
        return size <= 3 ? word >>> (8 * (3 - size)) : word;
    }

    /** Whether the sign bit is set with a non-zero mantissa (Bitcoin Core's {@code pfNegative}). */
    public boolean isNegative() {
        return word() != 0 && (bits & 0x00800000) != 0;
    }

    /** Whether the value does not fit in 256 bits (Bitcoin Core's {@code pfOverflow}). */
    public boolean isOverflow() {
        int size = size();
        int word = word();
        return word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
    }

    /**
     * The magnitude encoded, ignoring the sign bit and without truncation to 256 bits: exactly
     * {@code SetCompact}'s value whenever {@link #isOverflow()} is false.
     */
    public BigInteger magnitude() {
        int size = size();
        int word = word();
        return size <= 3 ? BigInteger.valueOf(word) : BigInteger.valueOf(word).shiftLeft(8 * (size - 3));
    }

    /**
     * The target this nBits encodes.
     *
     * @throws IllegalStateException if the encoding is negative, overflows 256 bits, or is zero:
     *     no block can have such a target
     */
    public Target toTarget() {
        if (isNegative()) {
            throw new IllegalStateException("nbits " + toHex() + " encodes a negative target");
        }
        if (isOverflow()) {
            throw new IllegalStateException("nbits " + toHex() + " encodes a target above 2^256");
        }
        BigInteger m = magnitude();
        if (m.signum() == 0) {
            throw new IllegalStateException("nbits " + toHex() + " encodes a zero target");
        }
        return Target.of(m);
    }

    /** The network difficulty, {@code DIFF1 / target}, as a double for display. */
    public double difficulty() {
        return toTarget().difficulty();
    }

    /** The compact form of {@code target}, exactly as Bitcoin Core's {@code GetCompact(false)}. */
    public static CompactBits fromTarget(Target target) {
        BigInteger v = target.toBigInteger();
        int size = (v.bitLength() + 7) / 8;
        long compact;
        if (size <= 3) {
            compact = v.longValue() << (8 * (3 - size));
        } else {
            compact = v.shiftRight(8 * (size - 3)).longValue();
        }
        // The mantissa's top bit is the sign: move one byte to the exponent rather than set it.
        if ((compact & 0x00800000L) != 0) {
            compact >>= 8;
            size++;
        }
        return new CompactBits((int) (compact | (long) size << 24));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompactBits && ((CompactBits) o).bits == bits;
    }

    @Override
    public int hashCode() {
        return bits;
    }

    /** The 8-digit hex form. */
    @Override
    public String toString() {
        return toHex();
    }
}
