package org.stratum4j.transport.nio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses the PROXY protocol header (HAProxy's spec, v1 text and v2 binary) that a load balancer
 * sends before the miner's bytes, so the real client address reaches limits, bans, logs and the
 * engine. Anything malformed is an error: the connection is closed, never guessed at.
 */
final class ProxyHeader {

    /** Longest v1 header, CRLF included (the spec's bound). */
    static final int V1_MAX = 107;
    /** Longest v2 header accepted: 16 fixed bytes plus addresses and a modest amount of TLVs. */
    static final int V2_MAX = 16 + 512;
    private static final byte[] V2_SIGNATURE = {0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a};
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);

    /** The outcome of a parse attempt. */
    record Result(int consumed, InetSocketAddress source, String error) {
        static final Result NEED_MORE = new Result(0, null, null);

        static Result error(String why) {
            return new Result(0, null, why);
        }

        boolean complete() {
            return consumed > 0;
        }
    }

    private ProxyHeader() {
    }

    /**
     * Looks for a complete header at the start of {@code buf[0, length)}.
     *
     * @return {@link Result#NEED_MORE}, an error, or the bytes consumed and the client's address
     *     ({@code null} for LOCAL/UNKNOWN, meaning "use the socket's address")
     */
    static Result parse(byte[] buf, int length) {
        int prefix = Math.min(length, V2_SIGNATURE.length);
        if (Arrays.equals(buf, 0, prefix, V2_SIGNATURE, 0, prefix)) {
            return length < 16 ? Result.NEED_MORE : parseV2(buf, length);
        }
        prefix = Math.min(length, V1_PREFIX.length);
        if (Arrays.equals(buf, 0, prefix, V1_PREFIX, 0, prefix)) {
            return parseV1(buf, length);
        }
        return Result.error("not a PROXY protocol header");
    }

    private static Result parseV1(byte[] buf, int length) {
        int end = -1;
        for (int i = 0; i + 1 < Math.min(length, V1_MAX); i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return length >= V1_MAX ? Result.error("PROXY v1 header longer than " + V1_MAX + " bytes") : Result.NEED_MORE;
        }
        String[] f = new String(buf, 0, end, StandardCharsets.US_ASCII).split(" ", -1);
        if (f.length >= 2 && f[1].equals("UNKNOWN")) {
            return new Result(end + 2, null, null);
        }
        if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6"))) {
            return Result.error("malformed PROXY v1 header");
        }
        InetAddress source = literal(f[2], f[1].equals("TCP4") ? 4 : 16);
        int port = port(f[4]);
        if (source == null || literal(f[3], f[1].equals("TCP4") ? 4 : 16) == null || port < 0 || port(f[5]) < 0) {
            return Result.error("malformed address in PROXY v1 header");
        }
        return new Result(end + 2, new InetSocketAddress(source, port), null);
    }

    private static Result parseV2(byte[] buf, int length) {
        int verCmd = buf[12] & 0xff;
        if (verCmd >> 4 != 2 || (verCmd & 0x0f) > 1) {
            return Result.error("unsupported PROXY v2 version/command " + Integer.toHexString(verCmd));
        }
        int len = (buf[14] & 0xff) << 8 | (buf[15] & 0xff);
        if (16 + len > V2_MAX) {
            return Result.error("PROXY v2 header of " + (16 + len) + " bytes is longer than " + V2_MAX);
        }
        if (length < 16 + len) {
            return Result.NEED_MORE;
        }
        int consumed = 16 + len;
        if ((verCmd & 0x0f) == 0) {
            return new Result(consumed, null, null); // LOCAL: health check from the balancer itself
        }
        int family = buf[13] & 0xff;
        try {
            switch (family) {
                case 0x11 -> {
                    if (len < 12) {
                        return Result.error("PROXY v2 TCP4 header too short");
                    }
                    InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(buf, 16, 20));
                    return new Result(consumed, new InetSocketAddress(a, (buf[24] & 0xff) << 8 | (buf[25] & 0xff)), null);
                }
                case 0x21 -> {
                    if (len < 36) {
                        return Result.error("PROXY v2 TCP6 header too short");
                    }
                    InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(buf, 16, 32));
                    return new Result(consumed, new InetSocketAddress(a, (buf[48] & 0xff) << 8 | (buf[49] & 0xff)), null);
                }
                case 0x00 -> {
                    return new Result(consumed, null, null);
                }
                default -> {
                    return Result.error("unsupported PROXY v2 address family " + Integer.toHexString(family));
                }
            }
        } catch (UnknownHostException e) {
            return Result.error("bad address in PROXY v2 header");
        }
    }

    /** A numeric IPv4 or IPv6 literal of the given byte length, or null (never a DNS lookup). */
    private static InetAddress literal(String text, int bytes) {
        try {
            if (bytes == 4) {
                String[] p = text.split("\\.", -1);
                if (p.length != 4) {
                    return null;
                }
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    if (p[i].isEmpty() || p[i].length() > 3 || !p[i].chars().allMatch(Character::isDigit)) {
                        return null;
                    }
                    int v = Integer.parseInt(p[i]);
                    if (v > 255) {
                        return null;
                    }
                    b[i] = (byte) v;
                }
                return InetAddress.getByAddress(b);
            }
            if (text.isEmpty() || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                    || text.indexOf(':') < 0) {
                return null;
            }
            InetAddress a = InetAddress.getByName(text);
            return a.getAddress().length == 16 ? a : null;
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int p = Integer.parseInt(text);
        return p <= 65535 ? p : -1;
    }
}
