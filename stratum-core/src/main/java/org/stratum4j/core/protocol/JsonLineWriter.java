package org.stratum4j.core.protocol;

import java.util.Arrays;

/**
 * A reusable, growable byte buffer that encoders write JSON lines into. Encoding a message costs
 * no allocation once the buffer has grown to the largest line: {@link #reset()} it and write again.
 *
 * <p>Strings are escaped per RFC 8259 and written as UTF-8; a lone UTF-16 surrogate (which no
 * valid text contains) is written as U+FFFD rather than producing invalid UTF-8.
 *
 * <p>Not thread-safe.
 */
public final class JsonLineWriter {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf;
    private int size;

    /** A writer with a 256-byte initial buffer. */
    public JsonLineWriter() {
        this(256);
    }

    /** A writer with the given initial capacity in bytes. */
    public JsonLineWriter(int initialCapacity) {
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("initial capacity must be at least 1, got " + initialCapacity);
        }
        buf = new byte[initialCapacity];
    }

    /** Forgets what was written, keeping the buffer. */
    public void reset() {
        size = 0;
    }

    /** Number of bytes written. */
    public int size() {
        return size;
    }

    /** The internal buffer; bytes {@code [0, size())} are the output. Valid until the next write. */
    public byte[] buffer() {
        return buf;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** The bytes written, as UTF-8 text (for logs and tests). */
    @Override
    public String toString() {
        return new String(buf, 0, size, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    void raw(byte b) {
        ensure(1);
        buf[size++] = b;
    }

    /** Writes ASCII text as is (caller guarantees it needs no escaping). */
    void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    void number(long v) {
        if (v >= 0 && v < 10) {
            raw((byte) ('0' + v));
        } else {
            ascii(Long.toString(v));
        }
    }

    void bool(boolean v) {
        ascii(v ? "true" : "false");
    }

    /** A quoted string of {@code bytes} as lower-case hex. */
    void hexString(byte[] bytes) {
        hexString(bytes, 0, bytes.length);
    }

    /** A quoted string of {@code length} bytes from {@code offset} as lower-case hex. */
    void hexString(byte[] bytes, int offset, int length) {
        ensure(2 + 2 * length);
        buf[size++] = '"';
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            buf[size++] = HEX[(b >>> 4) & 0xf];
            buf[size++] = HEX[b & 0xf];
        }
        buf[size++] = '"';
    }

    /** A quoted 8-digit big-endian hex string of a 32-bit value, the form of version/nbits/ntime. */
    void u32HexString(int v) {
        ensure(10);
        buf[size++] = '"';
        for (int shift = 28; shift >= 0; shift -= 4) {
            buf[size++] = HEX[(v >>> shift) & 0xf];
        }
        buf[size++] = '"';
    }

    /** A quoted, escaped JSON string. */
    void string(String s) {
        int n = s.length();
        ensure(2 + n);
        buf[size++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '"' || c == '\\') {
                    ensure(2 + n - i);
                    buf[size++] = '\\';
                    buf[size++] = (byte) c;
                } else if (c < 0x20) {
                    ensure(6 + n - i);
                    buf[size++] = '\\';
                    buf[size++] = 'u';
                    buf[size++] = '0';
                    buf[size++] = '0';
                    buf[size++] = HEX[c >>> 4];
                    buf[size++] = HEX[c & 0xf];
                } else {
                    ensure(1 + n - i);
                    buf[size++] = (byte) c;
                }
            } else {
                ensure(4 + n - i);
                int cp = c;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                } else if (Character.isSurrogate(c)) {
                    cp = 0xfffd;
                }
                utf8(cp);
            }
        }
        ensure(1);
        buf[size++] = '"';
    }

    private void utf8(int cp) {
        if (cp < 0x800) {
            buf[size++] = (byte) (0xc0 | (cp >>> 6));
            buf[size++] = (byte) (0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            buf[size++] = (byte) (0xe0 | (cp >>> 12));
            buf[size++] = (byte) (0x80 | ((cp >>> 6) & 0x3f));
            buf[size++] = (byte) (0x80 | (cp & 0x3f));
        } else {
            buf[size++] = (byte) (0xf0 | (cp >>> 18));
            buf[size++] = (byte) (0x80 | ((cp >>> 12) & 0x3f));
            buf[size++] = (byte) (0x80 | ((cp >>> 6) & 0x3f));
            buf[size++] = (byte) (0x80 | (cp & 0x3f));
        }
    }
}
