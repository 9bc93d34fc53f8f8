package org.stratum4j.transport.nio;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a byte stream into lines ending in {@code \n} (a preceding {@code \r} is dropped), joining
 * lines split across reads. A line longer than the cap is an error as soon as the cap is passed,
 * without buffering the rest of it. Not thread-safe: one per connection, on its loop.
 */
final class LineFramer {

    /** Receives each complete line; returns false to stop (the connection closed). */
    interface Sink {
        boolean line(byte[] buffer, int offset, int length);
    }

    private final int maxLine;
    private byte[] buffer;
    private int length;
    /** Bytes of {@code buffer} already known to hold no newline. */
    private int scanned;

    LineFramer(int maxLine) {
        this.maxLine = maxLine;
        this.buffer = new byte[Math.min(maxLine + 2, 512)];
    }

    /**
     * Appends what {@code src} holds and hands every complete line to {@code sink}.
     *
     * @return false when a line exceeded the cap or the sink asked to stop
     */
    boolean feed(ByteBuffer src, Sink sink) {
        while (src.hasRemaining()) {
            if (length == buffer.length) {
                if (buffer.length >= maxLine + 2) {
                    return false;
                }
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxLine + 2));
            }
            int n = Math.min(src.remaining(), buffer.length - length);
            src.get(buffer, length, n);
            length += n;
            if (!drain(sink)) {
                return false;
            }
        }
        return true;
    }

    private boolean drain(Sink sink) {
        int start = 0;
        for (int i = scanned; i < length; i++) {
            if (buffer[i] != '\n') {
                continue;
            }
            int end = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
            if (end - start > maxLine) {
                return false;
            }
            if (!sink.line(buffer, start, end - start)) {
                return false;
            }
            start = i + 1;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, length - start);
            length -= start;
        }
        scanned = length;
        return length <= maxLine + 1;
    }

    /** Bytes held of an unfinished line. */
    int pending() {
        return length;
    }
}
