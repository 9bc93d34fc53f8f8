package org.stratum4j.core.bitcoin;

import java.math.BigInteger;
import java.util.Arrays;

/** Base58Check, the encoding of legacy (P2PKH and P2SH) addresses. */
public final class Base58 {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    /** Longest text accepted: far above any address, low enough that decoding stays cheap. */
    private static final int MAX_LENGTH = 128;

    private Base58() {
    }

    /** Encodes {@code payload ‖ first 4 bytes of sha256d(payload)}. */
    public static String encodeChecked(byte[] payload) {
        byte[] checksum = Sha256.hashTwice(payload, 0, payload.length);
        byte[] data = Arrays.copyOf(payload, payload.length + 4);
        System.arraycopy(checksum, 0, data, payload.length, 4);
        StringBuilder sb = new StringBuilder();
        BigInteger n = new BigInteger(1, data);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(BASE);
            sb.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int i = 0; i < data.length && data[i] == 0; i++) {
            sb.append('1');
        }
        return sb.reverse().toString();
    }

    /**
     * Decodes Base58Check text and returns the payload without its checksum.
     *
     * @throws IllegalArgumentException on a character outside the alphabet, text too short or
     *     long, or a checksum that does not match
     */
    public static byte[] decodeChecked(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Base58 text must be 1 to " + MAX_LENGTH + " characters, got " + text.length());
        }
        BigInteger n = BigInteger.ZERO;
        int leadingZeros = 0;
        boolean inLeading = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int digit = ALPHABET.indexOf(c);
            if (digit < 0) {
                throw new IllegalArgumentException("'" + c + "' at position " + i + " is not a Base58 character");
            }
            if (inLeading && digit == 0) {
                leadingZeros++;
            } else {
                inLeading = false;
            }
            n = n.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        byte[] magnitude = n.signum() == 0 ? new byte[0] : n.toByteArray();
        int skip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0;
        byte[] data = new byte[leadingZeros + magnitude.length - skip];
        System.arraycopy(magnitude, skip, data, leadingZeros, magnitude.length - skip);
        if (data.length < 5) {
            throw new IllegalArgumentException("Base58Check data is too short for a checksum");
        }
        byte[] payload = Arrays.copyOf(data, data.length - 4);
        byte[] checksum = Sha256.hashTwice(payload, 0, payload.length);
        if (!Arrays.equals(checksum, 0, 4, data, data.length - 4, data.length)) {
            throw new IllegalArgumentException("Base58Check checksum mismatch (a mistyped or altered address)");
        }
        return payload;
    }
}
