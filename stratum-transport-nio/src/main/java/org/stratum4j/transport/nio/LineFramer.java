package org.stratum4j.transport.nio;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a byte stream into lines ending in {@code \n} (a preceding {@code \r} is dropped), joining
 * lines split across reads. A line longer than the cap is an error as soon as the cap is passed,
 * without buffering the rest of it. Not thread-safe: one per connection, on its loop.
 *
 * <p>Complete lines are cut in a scratch array shared by every framer of a loop; a framer holds
 * bytes of its own only while a line is unfinished. Most reads end at a line's end, so an idle
 * miner costs no buffer at all (thousands of idle sessions would otherwise hold half a kilobyte
 * each).
 */
final class LineFramer {

    /** Receives each complete line; returns false to stop (the connection closed). */
    interface Sink {
        boolean line(byte[] buffer, int offset, int length);
    }

    private static final int FIRST_PENDING = 256;

    private final int maxLine;
    /** Shared with the other framers of the loop; holds nothing between two calls of {@link #feed}. */
    private final byte[] scratch;
    /** The unfinished line, or null when there is none. */
    private byte[] pending;
    private int length;
    /** Bytes of {@code pending} already known to hold no newline. */
    private int scanned;

    /**
     * @param scratch where complete lines are cut, shared by the framers of one thread (any length
     *                above zero; longer means fewer copies per read)
     */
    LineFramer(int maxLine, byte[] scratch) {
        this.maxLine = maxLine;
        this.scratch = scratch;
    }

    /**
     * Appends what {@code src} holds and hands every complete line to {@code sink}.
     *
     * @return false when a line exceeded the cap or the sink asked to stop
     */
    boolean feed(ByteBuffer src, Sink sink) {
        while (src.hasRemaining()) {
            if (length == 0) {
                if (!cutInScratch(src, sink)) {
                    return false;
                }
                continue;
            }
            if (length == pending.length) {
                if (pending.length >= maxLine + 2) {
                    return false;
                }
                pending = Arrays.copyOf(pending, Math.min(pending.length * 2, maxLine + 2));
            }
            int n = Math.min(src.remaining(), pending.length - length);
            src.get(pending, length, n);
            length += n;
            if (!drainPending(sink)) {
                return false;
            }
        }
        return true;
    }

    /** No line is unfinished: cut what comes in the shared scratch and keep only an unfinished tail. */
    private boolean cutInScratch(ByteBuffer src, Sink sink) {
        int n = Math.min(src.remaining(), scratch.length);
        src.get(scratch, 0, n);
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (scratch[i] != '\n') {
                continue;
            }
            int end = i > start && scratch[i - 1] == '\r' ? i - 1 : i;
            if (end - start > maxLine || !sink.line(scratch, start, end - start)) {
                return false;
            }
            start = i + 1;
        }
        int rest = n - start;
        if (rest > maxLine + 1) {
            return false;
        }
        if (rest > 0) {
            pending = new byte[Math.min(maxLine + 2, Math.max(FIRST_PENDING, Integer.highestOneBit(rest) << 1))];
            System.arraycopy(scratch, start, pending, 0, rest);
            length = rest;
            scanned = rest;
        }
        return true;
    }

    private boolean drainPending(Sink sink) {
        int start = 0;
        for (int i = scanned; i < length; i++) {
            if (pending[i] != '\n') {
                continue;
            }
            int end = i > start && pending[i - 1] == '\r' ? i - 1 : i;
            if (end - start > maxLine) {
                return false;
            }
            if (!sink.line(pending, start, end - start)) {
                return false;
            }
            start = i + 1;
        }
        if (start > 0) {
            System.arraycopy(pending, start, pending, 0, length - start);
            length -= start;
        }
        scanned = length;
        if (length == 0) {
            pending = null;
        }
        return length <= maxLine + 1;
    }

    /** Bytes held of an unfinished line. */
    int pending() {
        return length;
    }

    /** The bytes this framer holds of its own (0 when no line is unfinished). */
    int held() {
        return pending == null ? 0 : pending.length;
    }
}
