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
        int start = cut(scratch, 0, n, sink);
        if (start < 0) {
            return false;
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
        int start = cut(pending, scanned, length, sink);
        if (start < 0) {
            return false;
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

    /**
     * Hands every complete line of {@code buf[0, to)} to the sink, looking for newlines from
     * {@code scanFrom} (the bytes before hold none).
     *
     * @return where the unfinished tail starts, or −1 to stop: a line over the cap, or the sink said so
     */
    private int cut(byte[] buf, int scanFrom, int to, Sink sink) {
        int start = 0;
        for (int i = scanFrom; i < to; i++) {
            if (buf[i] != '\n') {
                continue;
            }
            int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
            if (end - start > maxLine || !sink.line(buf, start, end - start)) {
                return -1;
            }
            start = i + 1;
        }
        return start;
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
