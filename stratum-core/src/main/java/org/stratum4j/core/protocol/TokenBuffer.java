package org.stratum4j.core.protocol;

import java.util.Arrays;

/**
 * The tokens of one JSON line, kept in reusable flat arrays so that a message can be interpreted
 * whatever the order of its keys, without building a tree. Each value knows the index just past
 * it ({@link #next(int)}), so walking arrays and objects needs no recursion.
 */
final class TokenBuffer {

    static final byte START_ARRAY = 1;
    static final byte START_OBJECT = 2;
    static final byte END = 3;
    static final byte FIELD = 4;
    static final byte STRING = 5;
    static final byte INT = 6;
    static final byte FLOAT = 7;
    static final byte TRUE = 8;
    static final byte FALSE = 9;
    static final byte NULL = 10;

    private byte[] kind = new byte[64];
    private int[] start = new int[64];
    private int[] length = new int[64];
    /** For every token: the index just past its value (for START tokens, past the matching END). */
    private int[] next = new int[64];
    private char[] chars = new char[512];
    private int count;
    private int charCount;
    private final int[] openStack = new int[ProtocolLimits.MAX_DEPTH + 2];
    private int depth;

    void clear() {
        count = 0;
        charCount = 0;
        depth = 0;
    }

    int count() {
        return count;
    }

    /** Appends a token; text tokens copy their characters. Returns the token's index. */
    int add(byte k, char[] text, int textOffset, int textLength) {
        if (count == kind.length) {
            int n = kind.length * 2;
            kind = Arrays.copyOf(kind, n);
            start = Arrays.copyOf(start, n);
            length = Arrays.copyOf(length, n);
            next = Arrays.copyOf(next, n);
        }
        int i = count++;
        kind[i] = k;
        start[i] = charCount;
        length[i] = textLength;
        next[i] = i + 1;
        if (textLength > 0) {
            if (charCount + textLength > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, charCount + textLength));
            }
            System.arraycopy(text, textOffset, chars, charCount, textLength);
            charCount += textLength;
        }
        if (k == START_ARRAY || k == START_OBJECT) {
            openStack[depth++] = i;
        } else if (k == END) {
            int open = openStack[--depth];
            next[open] = i + 1;
        }
        return i;
    }

    /** Appends a text token from a String. */
    int add(byte k, String text) {
        int n = text.length();
        if (charCount + n > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(chars.length * 2, charCount + n));
        }
        text.getChars(0, n, chars, charCount);
        int i = add(k, null, 0, 0);
        start[i] = charCount;
        length[i] = n;
        charCount += n;
        return i;
    }

    /** Index of the innermost array or object still open. */
    int innermostOpen() {
        return openStack[depth - 1];
    }

    byte kind(int i) {
        return kind[i];
    }

    int next(int i) {
        return next[i];
    }

    boolean isString(int i) {
        return kind[i] == STRING;
    }

    boolean isNumber(int i) {
        return kind[i] == INT || kind[i] == FLOAT;
    }

    boolean isArray(int i) {
        return kind[i] == START_ARRAY;
    }

    boolean isObject(int i) {
        return kind[i] == START_OBJECT;
    }

    int textLength(int i) {
        return length[i];
    }

    char charAt(int i, int pos) {
        return chars[start[i] + pos];
    }

    String text(int i) {
        return new String(chars, start[i], length[i]);
    }

    boolean textEquals(int i, String s) {
        int n = length[i];
        if (n != s.length()) {
            return false;
        }
        int base = start[i];
        for (int k = 0; k < n; k++) {
            if (chars[base + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    boolean textEquals(int i, int j) {
        return length[i] == length[j]
                && Arrays.equals(chars, start[i], start[i] + length[i], chars, start[j], start[j] + length[j]);
    }

    /** Number of elements of the array (or fields of the object) starting at {@code i}. */
    int size(int i) {
        int n = 0;
        int end = next[i] - 1;
        for (int c = i + 1; c < end; c = next[c]) {
            n++;
        }
        return kind[i] == START_OBJECT ? n / 2 : n;
    }

    /** Index of element {@code n} of the array at {@code i}, or -1. */
    int element(int i, int n) {
        int end = next[i] - 1;
        int c = i + 1;
        for (int k = 0; c < end; k++, c = next[c]) {
            if (k == n) {
                return c;
            }
        }
        return -1;
    }

    /** The string value, or {@code null} for JSON null. */
    String stringOrNull(int i) {
        return kind[i] == NULL ? null : text(i);
    }

    /**
     * Parses a hex string of 1 to 8 digits as an unsigned 32-bit value (shorter strings are
     * left-padded with zeros, as some firmwares send nonces). Returns -1 when not such a string.
     */
    long hexU32(int i) {
        if (kind[i] != STRING || length[i] < 1 || length[i] > 8) {
            return -1;
        }
        long v = 0;
        int base = start[i];
        for (int k = 0; k < length[i]; k++) {
            int d = org.stratum4j.core.bitcoin.Hex.digitValue(chars[base + k]);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** Decodes an even-length hex string, or returns null when it is not one (or longer than {@code maxBytes}). */
    byte[] hexBytes(int i, int maxBytes) {
        if (kind[i] != STRING || (length[i] & 1) != 0 || length[i] / 2 > maxBytes) {
            return null;
        }
        byte[] out = new byte[length[i] / 2];
        int base = start[i];
        for (int k = 0; k < out.length; k++) {
            int hi = org.stratum4j.core.bitcoin.Hex.digitValue(chars[base + 2 * k]);
            int lo = org.stratum4j.core.bitcoin.Hex.digitValue(chars[base + 2 * k + 1]);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[k] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** A non-negative integer value that fits an int, or -1. */
    int smallInt(int i) {
        if (kind[i] != INT || length[i] > 9 || charAt(i, 0) == '-') {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < length[i]; k++) {
            v = v * 10 + (charAt(i, k) - '0');
        }
        return v;
    }

    /** Builds a generic value tree of the value at {@code i} (for rare messages only). */
    JsonValue toJsonValue(int i) {
        switch (kind[i]) {
            case START_ARRAY: {
                java.util.List<JsonValue> items = new java.util.ArrayList<>();
                int end = next[i] - 1;
                for (int c = i + 1; c < end; c = next[c]) {
                    items.add(toJsonValue(c));
                }
                return new JsonValue.Array(items);
            }
            case START_OBJECT: {
                java.util.Map<String, JsonValue> fields = new java.util.LinkedHashMap<>();
                int end = next[i] - 1;
                for (int c = i + 1; c < end; c = next[c]) {
                    String name = text(c);
                    c = next[c];
                    fields.put(name, toJsonValue(c));
                }
                return new JsonValue.Object(fields);
            }
            case STRING:
                return new JsonValue.Str(text(i));
            case INT:
            case FLOAT:
                return new JsonValue.Num(text(i));
            case TRUE:
                return JsonValue.Bool.TRUE;
            case FALSE:
                return JsonValue.Bool.FALSE;
            default:
                return JsonValue.Null.INSTANCE;
        }
    }
}
