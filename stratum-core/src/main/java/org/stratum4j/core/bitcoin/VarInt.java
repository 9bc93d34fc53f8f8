package org.stratum4j.core.bitcoin;

import java.util.Objects;

/**
 * Bitcoin's CompactSize unsigned integer: 1, 3, 5 or 9 bytes, little-endian after a marker byte
 * ({@code fd}, {@code fe}, {@code ff}). Values are unsigned 64-bit quantities held in a
 * {@code long}.
 */
public final class VarInt {

    private VarInt() {
    }

    /** Encoded size in bytes of {@code value}. */
    public static int size(long value) {
        if (Long.compareUnsigned(value, 0xfdL) < 0) {
            return 1;
        }
        if (Long.compareUnsigned(value, 0xffffL) <= 0) {
            return 3;
        }
        if (Long.compareUnsigned(value, 0xffffffffL) <= 0) {
            return 5;
        }
        return 9;
    }

    /** The encoding of {@code value}. */
    public static byte[] encode(long value) {
        byte[] out = new byte[size(value)];
        write(value, out, 0);
        return out;
    }

    /**
     * Writes {@code value} at {@code offset}.
     *
     * @return the offset just past the written bytes
     */
    public static int write(long value, byte[] out, int offset) {
        int size = size(value);
        Objects.checkFromIndexSize(offset, size, out.length);
        switch (size) {
            case 1:
                out[offset] = (byte) value;
                return offset + 1;
            case 3:
                out[offset] = (byte) 0xfd;
                LittleEndian.write(value, out, offset + 1, 2);
                return offset + 3;
            case 5:
                out[offset] = (byte) 0xfe;
                LittleEndian.write(value, out, offset + 1, 4);
                return offset + 5;
            default:
                out[offset] = (byte) 0xff;
                LittleEndian.write(value, out, offset + 1, 8);
                return offset + 9;
        }
    }

    /**
     * Reads the value at {@code offset}; {@link #size(long)} of the result tells how many bytes it
     * took, since only canonical (shortest) encodings are accepted.
     *
     * @throws IllegalArgumentException if the buffer ends early or the encoding is not the
     *     shortest, which Bitcoin Core rejects ("non-canonical ReadCompactSize()")
     */
    public static long read(byte[] in, int offset) {
        if (offset < 0 || offset >= in.length) {
            throw new IllegalArgumentException("no varint at offset " + offset + " of a " + in.length + "-byte buffer");
        }
        int marker = in[offset] & 0xff;
        int width = marker < 0xfd ? 0 : marker == 0xfd ? 2 : marker == 0xfe ? 4 : 8;
        if (width == 0) {
            return marker;
        }
        if (offset + 1 + width > in.length) {
            throw new IllegalArgumentException("varint at offset " + offset + " needs " + (1 + width) + " bytes, buffer ends first");
        }
        long value = LittleEndian.read(in, offset + 1, width);
        if (size(value) != 1 + width) {
            throw new IllegalArgumentException("non-canonical varint at offset " + offset + ": " + Long.toUnsignedString(value)
                    + " must be encoded in " + size(value) + " bytes, not " + (1 + width));
        }
        return value;
    }
}
