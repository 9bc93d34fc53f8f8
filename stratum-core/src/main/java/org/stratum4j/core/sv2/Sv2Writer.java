package org.stratum4j.core.sv2;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;

/** Writes Stratum V2's data types (section 3.1, little-endian) into a growing array. */
final class Sv2Writer {

    private byte[] out;
    private int at;

    Sv2Writer(int capacity) {
        out = new byte[capacity];
    }

    private void room(int n) {
        if (out.length - at < n) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, at + n));
        }
    }

    Sv2Writer u8(int v) {
        room(1);
        out[at++] = (byte) v;
        return this;
    }

    Sv2Writer bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    private Sv2Writer le(long v, int width) {
        room(width);
        at = LittleEndian.write(v, out, at, width);
        return this;
    }

    Sv2Writer u16(int v) {
        return le(v, 2);
    }

    Sv2Writer u24(int v) {
        return le(v, 3);
    }

    Sv2Writer u32(int v) {
        return le(v, 4);
    }

    Sv2Writer u64(long v) {
        return le(v, 8);
    }

    Sv2Writer f32(float v) {
        return u32(Float.floatToRawIntBits(v));
    }

    Sv2Writer u256(Target t) {
        room(32);
        t.writeLittleEndian(out, at);
        at += 32;
        return this;
    }

    Sv2Writer u256(Sha256Hash h) {
        room(32);
        h.copyInternalBytesTo(out, at);
        at += 32;
        return this;
    }

    Sv2Writer str0255(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8), 1);
    }

    Sv2Writer bytes(byte[] b, int prefixBytes) {
        if (prefixBytes == 1) {
            u8(b.length);
        } else if (prefixBytes == 2) {
            u16(b.length);
        } else {
            u24(b.length);
        }
        room(b.length);
        System.arraycopy(b, 0, out, at, b.length);
        at += b.length;
        return this;
    }

    Sv2Writer raw(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, out, at, b.length);
        at += b.length;
        return this;
    }

    int length() {
        return at;
    }

    byte[] array() {
        return out;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(out, at);
    }
}
