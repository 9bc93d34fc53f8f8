package org.stratum4j.core.bitcoin;

/**
 * Hexadecimal encoding and decoding of raw bytes, with no byte-order interpretation.
 *
 * <p>Encoding always writes lower case. Decoding accepts upper and lower case (real miners send
 * both) and rejects anything else with a message naming the offending position.
 */
public final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 10; i++) {
            VALUES['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            VALUES['a' + i] = (byte) (10 + i);
            VALUES['A' + i] = (byte) (10 + i);
        }
    }

    private Hex() {
    }

    /** Encodes all of {@code bytes} as lower-case hex. */
    public static String encode(byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    /** Encodes {@code length} bytes of {@code bytes} from {@code offset} as lower-case hex. */
    public static String encode(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        char[] out = new char[length * 2];
        for (int i = 0; i < length; i++) {
            int b = bytes[offset + i] & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0f];
        }
        return new String(out);
    }

    /**
     * Decodes hex (either case) into bytes.
     *
     * @throws IllegalArgumentException if the text has an odd length or a non-hex character
     */
    public static byte[] decode(CharSequence hex) {
        if (hex == null) {
            throw new IllegalArgumentException("hex string is null");
        }
        int length = hex.length();
        if ((length & 1) != 0) {
            throw new IllegalArgumentException(
                    "hex string has an odd length (" + length + " characters); two digits per byte are needed");
        }
        byte[] out = new byte[length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((digit(hex, 2 * i) << 4) | digit(hex, 2 * i + 1));
        }
        return out;
    }

    /**
     * Decodes hex that must describe exactly {@code expectedBytes} bytes.
     *
     * @param what names the value in the error message, e.g. "prevhash"
     * @throws IllegalArgumentException if the length is not {@code 2 * expectedBytes} or a
     *     character is not hex
     */
    public static byte[] decodeExact(CharSequence hex, int expectedBytes, String what) {
        if (hex == null) {
            throw new IllegalArgumentException(what + " is null; expected " + expectedBytes * 2 + " hex digits");
        }
        if (hex.length() != expectedBytes * 2) {
            throw new IllegalArgumentException(what + " must be " + expectedBytes * 2 + " hex digits ("
                    + expectedBytes + " bytes), got " + hex.length() + " characters");
        }
        try {
            return decode(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /** Returns the value of the hex digit {@code c}, or -1 when {@code c} is not a hex digit. */
    public static int digitValue(char c) {
        return c < 128 ? VALUES[c] : -1;
    }

    private static int digit(CharSequence hex, int index) {
        char c = hex.charAt(index);
        int v = digitValue(c);
        if (v < 0) {
            throw new IllegalArgumentException("not a hex digit at position " + index + ": '" + printable(c) + "'");
        }
        return v;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
