package org.stratum4j.core.bitcoin;

/**
 * Little-endian integers in byte arrays, as every Bitcoin serialization stores them (header
 * fields, transaction versions, values, lock times, varint bodies). One place for the shifts, so no
 * serializer writes its own.
 */
public final class LittleEndian {

    private LittleEndian() {
    }

    /** Writes the low {@code width} bytes of {@code value} at {@code offset}; returns the end offset. */
    public static int write(long value, byte[] out, int offset, int width) {
        for (int i = 0; i < width; i++) {
            out[offset + i] = (byte) (value >>> (8 * i));
        }
        return offset + width;
    }

    /** Writes a 32-bit value at {@code offset}. */
    public static void writeInt32(byte[] out, int offset, int value) {
        out[offset] = (byte) value;
        out[offset + 1] = (byte) (value >>> 8);
        out[offset + 2] = (byte) (value >>> 16);
        out[offset + 3] = (byte) (value >>> 24);
    }

    /** Reads {@code width} bytes at {@code offset} as an unsigned value (width 8 may come back negative). */
    public static long read(byte[] in, int offset, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (in[offset + i] & 0xffL);
        }
        return v;
    }

    /** Reads a 32-bit value at {@code offset}. */
    public static int readInt32(byte[] in, int offset) {
        return (in[offset] & 0xff) | (in[offset + 1] & 0xff) << 8 | (in[offset + 2] & 0xff) << 16 | (in[offset + 3] & 0xff) << 24;
    }
}
