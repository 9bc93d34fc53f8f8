package org.stratum4j.core.bitcoin;

import java.util.Arrays;
import java.util.Objects;

/**
 * Script numbers and pushes as Bitcoin Core's {@code CScriptNum} and {@code CScript::operator<<}
 * write them; used for the BIP34 block height at the start of the coinbase scriptSig.
 */
public final class ScriptNumber {

    private static final int OP_0 = 0x00;
    private static final int OP_PUSHDATA1 = 0x4c;
    private static final int OP_PUSHDATA2 = 0x4d;
    private static final int OP_1 = 0x51;

    private ScriptNumber() {
    }

    /**
     * The minimal {@code CScriptNum} encoding: little-endian magnitude, with the top bit of the last
     * byte as the sign (an extra byte when the magnitude's top bit is taken). Zero is empty.
     */
    public static byte[] encode(long value) {
        if (value == 0) {
            return new byte[0];
        }
        if (value == Long.MIN_VALUE) {
            throw new IllegalArgumentException("script numbers are limited to -2^63+1 .. 2^63-1");
        }
        boolean negative = value < 0;
        long abs = Math.abs(value);
        byte[] buf = new byte[9];
        int n = 0;
        while (abs != 0) {
            buf[n++] = (byte) abs;
            abs >>>= 8;
        }
        if ((buf[n - 1] & 0x80) != 0) {
            buf[n++] = (byte) (negative ? 0x80 : 0x00);
        } else if (negative) {
            buf[n - 1] |= (byte) 0x80;
        }
        return Arrays.copyOf(buf, n);
    }

    /**
     * The script bytes of a data push of {@code data}: a direct length byte up to 75 bytes, else
     * OP_PUSHDATA1/2. (An empty push is OP_0.)
     */
    public static byte[] push(byte[] data) {
        Objects.requireNonNull(data, "data");
        int len = data.length;
        int head = len <= 75 ? 1 : len <= 0xff ? 2 : len <= 0xffff ? 3 : -1;
        if (head < 0) {
            throw new IllegalArgumentException("pushes over 65535 bytes are not supported, got " + len);
        }
        byte[] out = new byte[head + len];
        if (head == 1) {
            out[0] = (byte) len;
        } else if (head == 2) {
            out[0] = (byte) OP_PUSHDATA1;
            out[1] = (byte) len;
        } else {
            out[0] = (byte) OP_PUSHDATA2;
            out[1] = (byte) len;
            out[2] = (byte) (len >>> 8);
        }
        System.arraycopy(data, 0, out, head, len);
        return out;
    }

    /**
     * The script Bitcoin Core writes for a number ({@code CScript() << n}): OP_0 for 0, OP_1..OP_16
     * for 1..16 and OP_1NEGATE for -1, else a push of {@link #encode(long)}.
     */
    public static byte[] pushNumber(long value) {
        if (value == 0) {
            return new byte[] {(byte) OP_0};
        }
        if (value == -1 || (value >= 1 && value <= 16)) {
            return new byte[] {(byte) (OP_1 - 1 + value)};
        }
        return push(encode(value));
    }

    /**
     * The BIP34 prefix of a coinbase scriptSig for a block at {@code height}: exactly what Bitcoin
     * Core's {@code ContextualCheckBlock} expects ({@code CScript() << nHeight}), so a small-height
     * regtest block gets OP_1..OP_16, not a data push.
     *
     * @throws IllegalArgumentException if height is negative or above 2^31−1
     */
    public static byte[] bip34HeightPush(long height) {
        if (height < 0 || height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("block height must be 0 to 2147483647, got " + height);
        }
        return pushNumber(height);
    }

    /**
     * The height a coinbase scriptSig starts with (BIP34), read back from the push at
     * {@code offset}: OP_0, OP_1..OP_16, or a push of 1 to 8 bytes of a non-negative number; empty
     * when the bytes there are none of those or run past the end. What a miner or proxy that only
     * sees coinb1 uses to know the block's height.
     */
    public static java.util.OptionalLong readBip34Height(byte[] script, int offset) {
        if (offset < 0 || offset >= script.length) {
            return java.util.OptionalLong.empty();
        }
        int op = script[offset] & 0xFF;
        if (op == OP_0) {
            return java.util.OptionalLong.of(0);
        }
        if (op >= OP_1 && op < OP_1 + 16) {
            return java.util.OptionalLong.of(op - OP_1 + 1);
        }
        if (op < 1 || op > 8 || offset + 1 + op > script.length || (script[offset + op] & 0x80) != 0) {
            return java.util.OptionalLong.empty();
        }
        long value = 0;
        for (int i = op; i >= 1; i--) {
            value = value << 8 | (script[offset + i] & 0xFF);
        }
        return java.util.OptionalLong.of(value);
    }
}
