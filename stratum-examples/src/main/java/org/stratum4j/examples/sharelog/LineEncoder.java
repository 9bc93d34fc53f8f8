package org.stratum4j.examples.sharelog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.stratum4j.core.engine.ShareEvent;

/**
 * Writes one share as its journal line (a JSON object and a newline), the way Jackson's generator
 * would, but with one allocation: the line itself. It runs on the event loops for every share, so
 * the scratch buffer is the thread's own and nothing is formatted through {@code String.format}.
 */
final class LineEncoder {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<LineEncoder> ENCODERS = ThreadLocal.withInitial(LineEncoder::new);

    private byte[] buf = new byte[512];
    private int n;

    private LineEncoder() {
    }

    /** The journal line for {@code e}, newline included. */
    static byte[] encode(ShareEvent e) {
        return ENCODERS.get().line(e);
    }

    private byte[] line(ShareEvent e) {
        n = 0;
        raw("{\"time\":");
        string(e.time().toString());
        raw(",\"worker\":");
        string(e.worker());
        raw(",\"job\":");
        string(e.jobId());
        raw(",\"extranonce1\":");
        string(e.extranonce1());
        raw(",\"extranonce2\":");
        string(e.extranonce2());
        raw(",\"ntime\":");
        hex32(e.ntime());
        raw(",\"nonce\":");
        hex32(e.nonce());
        raw(",\"version\":");
        hex32(e.version());
        raw(",\"difficulty\":");
        string(e.difficulty().toString());
        raw(",\"hash\":");
        if (e.hash() == null) {
            raw("null");
        } else {
            string(e.hash().toDisplayHex());
        }
        raw(e.block() ? ",\"block\":true" : ",\"block\":false");
        if (e.remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null) {
            raw(",\"remote\":");
            string(a.getAddress().getHostAddress());
        }
        if (!e.accepted()) {
            raw(",\"reject\":");
            string(e.rejectReason().name().toLowerCase(Locale.ROOT));
        }
        raw("}\n");
        return Arrays.copyOf(buf, n);
    }

    /** ASCII that needs no escaping (field names and literals). */
    private void raw(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[n++] = (byte) s.charAt(i);
        }
    }

    /** A JSON string (null as {@code null}): quote, backslash and control characters escaped, UTF-8. */
    private void string(String s) {
        if (s == null) {
            raw("null");
            return;
        }
        byte[] bytes = null;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                bytes = s.getBytes(StandardCharsets.UTF_8);
                break;
            }
        }
        int length = bytes == null ? s.length() : bytes.length;
        ensure(length * 6 + 2);
        buf[n++] = '"';
        for (int i = 0; i < length; i++) {
            int c = bytes == null ? s.charAt(i) : bytes[i] & 0xff;
            if (c == '"' || c == '\\') {
                buf[n++] = '\\';
                buf[n++] = (byte) c;
            } else if (c < 0x20) {
                buf[n++] = '\\';
                buf[n++] = 'u';
                buf[n++] = '0';
                buf[n++] = '0';
                buf[n++] = HEX[c >> 4];
                buf[n++] = HEX[c & 15];
            } else {
                buf[n++] = (byte) c; // bytes of a multi-byte UTF-8 sequence are all 0x80 or above
            }
        }
        buf[n++] = '"';
    }

    /** Eight lower-case hex digits, quoted: the 32-bit field as miners send it. */
    private void hex32(int v) {
        ensure(10);
        buf[n++] = '"';
        for (int shift = 28; shift >= 0; shift -= 4) {
            buf[n++] = HEX[(v >>> shift) & 15];
        }
        buf[n++] = '"';
    }

    private void ensure(int more) {
        if (n + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
        }
    }
}
