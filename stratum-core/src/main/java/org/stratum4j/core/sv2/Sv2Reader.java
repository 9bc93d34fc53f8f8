package org.stratum4j.core.sv2;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;

/** Reads Stratum V2's data types (section 3.1, little-endian) from a payload, checking every bound. */
final class Sv2Reader {

    private final byte[] in;
    private final int end;
    private int at;

    Sv2Reader(byte[] in, int offset, int length) {
        this.in = in;
        this.at = offset;
        this.end = offset + length;
    }

    private void need(int n, String what) throws Sv2DecodeException {
        if (end - at < n) {
            throw new Sv2DecodeException(what + " needs " + n + " bytes, " + (end - at) + " left");
        }
    }

    boolean bool(String what) throws Sv2DecodeException {
        // Only the least significant bit carries meaning; the others are reserved for flags.
        return (u8(what) & 1) != 0;
    }

    int u8(String what) throws Sv2DecodeException {
        need(1, what);
        return in[at++] & 0xFF;
    }

    int u16(String what) throws Sv2DecodeException {
        need(2, what);
        int v = (int) LittleEndian.read(in, at, 2);
        at += 2;
        return v;
    }

    int u24(String what) throws Sv2DecodeException {
        need(3, what);
        int v = (int) LittleEndian.read(in, at, 3);
        at += 3;
        return v;
    }

    int u32(String what) throws Sv2DecodeException {
        need(4, what);
        int v = LittleEndian.readInt32(in, at);
        at += 4;
        return v;
    }

    long u64(String what) throws Sv2DecodeException {
        need(8, what);
        long v = LittleEndian.read(in, at, 8);
        at += 8;
        return v;
    }

    float f32(String what) throws Sv2DecodeException {
        return Float.intBitsToFloat(u32(what));
    }

    Target u256Target(String what) throws Sv2DecodeException {
        need(32, what);
        Target t = Target.fromLittleEndian(in, at);
        at += 32;
        return t;
    }

    Sha256Hash u256Hash(String what) throws Sv2DecodeException {
        need(32, what);
        Sha256Hash h = Sha256Hash.fromInternalBytes(in, at);
        at += 32;
        return h;
    }

    String str0255(String what) throws Sv2DecodeException {
        int n = u8(what);
        need(n, what);
        // Malformed UTF-8 becomes U+FFFD: a name is for display and matching, never for control.
        String s = new String(in, at, n, StandardCharsets.UTF_8);
        at += n;
        return s;
    }

    byte[] bytes(int max, int prefixBytes, String what) throws Sv2DecodeException {
        int n = prefixBytes == 1 ? u8(what) : prefixBytes == 2 ? u16(what) : u24(what);
        if (n > max) {
            throw new Sv2DecodeException(what + " is at most " + max + " bytes, the prefix says " + n);
        }
        need(n, what);
        byte[] out = Arrays.copyOfRange(in, at, at + n);
        at += n;
        return out;
    }

    int remaining() {
        return end - at;
    }
}
