package org.stratum4j.core.protocol;

import java.util.Arrays;
import org.stratum4j.core.bitcoin.Hex;

/**
 * {@code mining.set_extranonce [extranonce1_hex, extranonce2_size]}: new extranonces for the jobs
 * that follow.
 *
 * @param extranonce1     the new extranonce1
 * @param extranonce2Size the new extranonce2 size in bytes
 */
public record SetExtranonce(byte[] extranonce1, int extranonce2Size) implements PoolMessage {
    /** Checks and copies the components. */
    public SetExtranonce {
        extranonce1 = extranonce1.clone();
        if (extranonce2Size < 0) {
            throw new IllegalArgumentException("extranonce2 size must not be negative, got " + extranonce2Size);
        }
    }

    /** A copy of extranonce1. */
    @Override
    public byte[] extranonce1() {
        return extranonce1.clone();
    }

    @Override
    public RequestId id() {
        return RequestId.NULL;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SetExtranonce && Arrays.equals(((SetExtranonce) o).extranonce1, extranonce1)
                && ((SetExtranonce) o).extranonce2Size == extranonce2Size;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(extranonce1) * 31 + extranonce2Size;
    }

    @Override
    public String toString() {
        return "SetExtranonce[" + Hex.encode(extranonce1) + ", " + extranonce2Size + "]";
    }
}
