package org.stratum4j.examples.loadgen;

import java.nio.charset.StandardCharsets;

/**
 * Reads the three fields the load generator needs from a {@code mining.notify} line (job id,
 * ntime, clean_jobs) without decoding the rest. Thousands of connections receive every new job at
 * once, and the generator shares the machine with the pool it measures, so its CPU per notify is
 * taken from the pool: a full decode (hex coinbase halves, branch hashes) would be measured as the
 * pool's fan-out time. Anything not in the plain shape (escapes, other param counts) is left to the
 * full decoder.
 */
final class NotifyScanner {

    private static final byte[] METHOD = "\"mining.notify\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARAMS = "\"params\"".getBytes(StandardCharsets.US_ASCII);

    String jobId;
    int ntime;
    boolean clean;

    private final int[] starts = new int[9];
    private final int[] ends = new int[9];

    /** True when {@code b[off, off+len)} is a notify this scanner read; its fields are then set. */
    boolean scan(byte[] b, int off, int len) {
        int end = off + len;
        if (indexOf(b, off, end, METHOD) < 0) {
            return false;
        }
        int p = indexOf(b, off, end, PARAMS);
        if (p < 0) {
            return false;
        }
        p = skipSpace(b, p + PARAMS.length, end);
        if (p >= end || b[p] != ':') {
            return false;
        }
        p = skipSpace(b, p + 1, end);
        if (p >= end || b[p] != '[') {
            return false;
        }
        p++;
        int count = 0;
        while (true) {
            p = skipSpace(b, p, end);
            if (p >= end || count == 9) {
                return false;
            }
            int start = p;
            p = skipValue(b, p, end);
            if (p < 0) {
                return false;
            }
            starts[count] = start;
            ends[count] = p;
            count++;
            p = skipSpace(b, p, end);
            if (p >= end) {
                return false;
            }
            if (b[p] == ']') {
                break;
            }
            if (b[p] != ',') {
                return false;
            }
            p++;
        }
        if (count != 9) {
            return false;
        }
        String id = plainString(b, starts[0], ends[0]);
        String time = plainString(b, starts[7], ends[7]);
        if (id == null || time == null || time.length() != 8) {
            return false;
        }
        int n9 = ends[8] - starts[8];
        boolean t = n9 == 4 && b[starts[8]] == 't';
        boolean f = n9 == 5 && b[starts[8]] == 'f';
        if (!t && !f) {
            return false;
        }
        try {
            ntime = Integer.parseUnsignedInt(time, 16);
        } catch (NumberFormatException e) {
            return false;
        }
        jobId = id;
        clean = t;
        return true;
    }

    /** The text of a string value without escapes, or null. */
    private static String plainString(byte[] b, int start, int end) {
        if (end - start < 2 || b[start] != '"' || b[end - 1] != '"') {
            return null;
        }
        for (int i = start + 1; i < end - 1; i++) {
            if (b[i] == '\\' || b[i] < 0x20) { // bytes are signed: this also refuses non-ASCII
                return null;
            }
        }
        return new String(b, start + 1, end - start - 2, StandardCharsets.US_ASCII);
    }

    /** The index after the JSON value starting at {@code p}, or -1. */
    private static int skipValue(byte[] b, int p, int end) {
        if (b[p] == '"') {
            for (int i = p + 1; i < end; i++) {
                if (b[i] == '\\') {
                    i++;
                } else if (b[i] == '"') {
                    return i + 1;
                }
            }
            return -1;
        }
        if (b[p] == '[' || b[p] == '{') {
            int depth = 0;
            for (int i = p; i < end; i++) {
                byte c = b[i];
                if (c == '"') {
                    i = skipValue(b, i, end);
                    if (i < 0) {
                        return -1;
                    }
                    i--;
                } else if (c == '[' || c == '{') {
                    depth++;
                } else if (c == ']' || c == '}') {
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            }
            return -1;
        }
        int i = p;
        while (i < end && b[i] != ',' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
            i++;
        }
        return i == p ? -1 : i;
    }

    private static int skipSpace(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r')) {
            p++;
        }
        return p;
    }

    private static int indexOf(byte[] b, int from, int end, byte[] what) {
        outer:
        for (int i = from; i + what.length <= end; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
