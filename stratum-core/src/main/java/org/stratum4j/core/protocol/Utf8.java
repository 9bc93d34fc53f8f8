package org.stratum4j.core.protocol;

/** Strict UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
final class Utf8 {

    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** {@link #scan} result: the line is valid and contains no backslash. */
    static final int VALID = -1;
    /** {@link #scan} result: the line is valid and contains a backslash (so JSON escapes to check). */
    static final int VALID_WITH_BACKSLASH = -2;

    private Utf8() {
    }

    /**
     * Index of the first byte of an invalid sequence, or {@link #VALID} / {@link #VALID_WITH_BACKSLASH}
     * when all of it is valid.
     */
    static int scan(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean backslash = false;
        // Eight ASCII bytes at a time (SWAR): no high bit set; note any '\\' among them.
        while (i + 8 <= end) {
            long w = (long) LONG_LE.get(b, i);
            if ((w & 0x8080808080808080L) != 0) {
                break;
            }
            long x = w ^ 0x5c5c5c5c5c5c5c5cL;
            backslash |= ((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0;
            i += 8;
        }
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                backslash |= c == '\\';
                i++;
                continue;
            }
            c &= 0xff;
            int need;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + need >= end) {
                return i;
            }
            int cp = c & (0x3f >> need);
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return i;
                }
                cp = cp << 6 | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return i;
            }
            i += need + 1;
        }
        return backslash ? VALID_WITH_BACKSLASH : VALID;
    }
}
