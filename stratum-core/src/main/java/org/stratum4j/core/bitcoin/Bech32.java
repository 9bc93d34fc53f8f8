package org.stratum4j.core.bitcoin;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Bech32 (BIP173) and Bech32m (BIP350), the encodings of segwit addresses: decoding to 5-bit
 * groups and back, and the 5-to-8-bit regrouping of witness programs.
 */
public final class Bech32 {

    /** Which checksum constant a string satisfies. */
    public enum Variant {
        /** BIP173, constant 1: segwit version 0. */
        BECH32(1),
        /** BIP350, constant 0x2bc830a3: segwit versions 1 to 16. */
        BECH32M(0x2bc830a3);

        private final int constant;

        Variant(int constant) {
            this.constant = constant;
        }
    }

    /**
     * A decoded string: its human-readable part (lower case), its data in 5-bit groups without the
     * checksum, and which checksum it carried.
     *
     * @param hrp     the human-readable part, lower case
     * @param data    5-bit values (0..31), checksum removed
     * @param variant the checksum variant
     */
    public record Decoded(String hrp, byte[] data, Variant variant) {
        /** Checks the components. */
        public Decoded {
            Objects.requireNonNull(hrp, "hrp");
            data = data.clone();
            Objects.requireNonNull(variant, "variant");
        }

        /** A copy of the 5-bit data. */
        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    private Bech32() {
    }

    /**
     * Decodes a Bech32 or Bech32m string.
     *
     * @throws IllegalArgumentException naming what is wrong: length, characters, mixed case,
     *     separator, or checksum
     */
    public static Decoded decode(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > 90) {
            throw new IllegalArgumentException("a bech32 string is at most 90 characters, got " + text.length());
        }
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 33 || c > 126) {
                throw new IllegalArgumentException("character " + (int) c + " at position " + i + " is not allowed in bech32");
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (lower && upper) {
            throw new IllegalArgumentException("bech32 must be all lower case or all upper case, not mixed");
        }
        String s = text.toLowerCase(Locale.ROOT);
        int sep = s.lastIndexOf('1');
        if (sep < 1) {
            throw new IllegalArgumentException("bech32 needs a human-readable part before the separator '1'");
        }
        if (sep + 7 > s.length()) {
            throw new IllegalArgumentException("bech32 data part is shorter than its 6-character checksum");
        }
        String hrp = s.substring(0, sep);
        byte[] values = new byte[s.length() - sep - 1];
        for (int i = 0; i < values.length; i++) {
            char c = s.charAt(sep + 1 + i);
            int v = CHARSET.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("'" + c + "' at position " + (sep + 1 + i) + " is not a bech32 character");
            }
            values[i] = (byte) v;
        }
        int check = polymod(hrpExpand(hrp), values);
        Variant variant;
        if (check == Variant.BECH32.constant) {
            variant = Variant.BECH32;
        } else if (check == Variant.BECH32M.constant) {
            variant = Variant.BECH32M;
        } else {
            throw new IllegalArgumentException("bech32 checksum mismatch (a mistyped or altered address)");
        }
        byte[] data = new byte[values.length - 6];
        System.arraycopy(values, 0, data, 0, data.length);
        return new Decoded(hrp, data, variant);
    }

    /** Encodes 5-bit {@code data} under {@code hrp} with the given checksum variant, in lower case. */
    public static String encode(String hrp, byte[] data, Variant variant) {
        String h = hrp.toLowerCase(Locale.ROOT);
        byte[] values = new byte[data.length + 6];
        System.arraycopy(data, 0, values, 0, data.length);
        int mod = polymod(hrpExpand(h), values) ^ variant.constant;
        StringBuilder sb = new StringBuilder(h.length() + 1 + values.length).append(h).append('1');
        for (byte d : data) {
            sb.append(CHARSET.charAt(d));
        }
        for (int i = 0; i < 6; i++) {
            sb.append(CHARSET.charAt((mod >>> (5 * (5 - i))) & 31));
        }
        return sb.toString();
    }

    /**
     * Regroups bits, e.g. 5-bit groups to bytes. With {@code pad} false (decoding), leftover bits
     * must be fewer than {@code fromBits} and zero, as BIP173 requires.
     *
     * @throws IllegalArgumentException on a value out of range or invalid padding
     */
    public static byte[] convertBits(byte[] data, int offset, int length, int fromBits, int toBits, boolean pad) {
        int acc = 0;
        int bits = 0;
        int maxv = (1 << toBits) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(length * fromBits / toBits + 1);
        for (int i = offset; i < offset + length; i++) {
            int value = data[i] & 0xff;
            if (value >>> fromBits != 0) {
                throw new IllegalArgumentException("value " + value + " does not fit in " + fromBits + " bits");
            }
            acc = (acc << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits) {
                bits -= toBits;
                out.write((acc >>> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (toBits - bits)) & maxv);
            }
        } else if (bits >= fromBits) {
            throw new IllegalArgumentException("more than " + (fromBits - 1) + " bits of padding");
        } else if (((acc << (toBits - bits)) & maxv) != 0) {
            throw new IllegalArgumentException("non-zero padding bits");
        }
        return out.toByteArray();
    }

    private static byte[] hrpExpand(String hrp) {
        byte[] out = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = (byte) (hrp.charAt(i) >>> 5);
            out[hrp.length() + 1 + i] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static int polymod(byte[] hrpExpanded, byte[] values) {
        int chk = 1;
        chk = polymodStep(chk, hrpExpanded);
        return polymodStep(chk, values);
    }

    private static int polymodStep(int chk, byte[] values) {
        for (byte v : values) {
            int top = chk >>> 25;
            chk = (chk & 0x1ffffff) << 5 ^ (v & 0xff);
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) != 0) {
                    chk ^= GENERATOR[i];
                }
            }
        }
        return chk;
    }
}
