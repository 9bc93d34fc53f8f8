package org.stratum4j.core.job;

import java.util.Arrays;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.VarInt;

/**
 * One payout of a coinbase: a value in satoshis and the script it pays to.
 *
 * <p>Immutable. The witness commitment is not a {@code CoinbaseOutput}: the
 * {@link CoinbaseBuilder} adds it from the template.
 */
public final class CoinbaseOutput {

    /** Bitcoin Core's MAX_SCRIPT_SIZE; a longer output script is unspendable and almost surely a mistake. */
    public static final int MAX_SCRIPT_SIZE = 10_000;

    private final long value;
    private final byte[] scriptPubKey;

    private CoinbaseOutput(long value, byte[] scriptPubKey) {
        this.value = value;
        this.scriptPubKey = scriptPubKey;
    }

    /**
     * An output paying {@code value} satoshis to {@code scriptPubKey}.
     *
     * @throws IllegalArgumentException when the value is outside 0..{@link BlockTemplate#MAX_MONEY}
     *     or the script is empty or longer than {@link #MAX_SCRIPT_SIZE}
     */
    public static CoinbaseOutput of(long value, byte[] scriptPubKey) {
        Objects.requireNonNull(scriptPubKey, "scriptPubKey");
        if (value < 0 || value > BlockTemplate.MAX_MONEY) {
            throw new IllegalArgumentException("output value " + value + " is outside 0.." + BlockTemplate.MAX_MONEY + " satoshis");
        }
        if (scriptPubKey.length == 0 || scriptPubKey.length > MAX_SCRIPT_SIZE) {
            throw new IllegalArgumentException("output script is " + scriptPubKey.length + " bytes; allowed 1.." + MAX_SCRIPT_SIZE);
        }
        return new CoinbaseOutput(value, scriptPubKey.clone());
    }

    /** An output paying {@code value} satoshis to {@code address}. */
    public static CoinbaseOutput to(Address address, long value) {
        return of(value, Objects.requireNonNull(address, "address").scriptPubKey());
    }

    /** The value in satoshis. */
    public long value() {
        return value;
    }

    /** The locking script (a copy). */
    public byte[] scriptPubKey() {
        return scriptPubKey.clone();
    }

    /** Serialized size: value 8 + varint + script. */
    int serializedSize() {
        return 8 + VarInt.size(scriptPubKey.length) + scriptPubKey.length;
    }

    /** Writes the serialized output at {@code offset}; returns the end offset. */
    int writeTo(byte[] out, int offset) {
        int p = LittleEndian.write(value, out, offset, 8);
        p = VarInt.write(scriptPubKey.length, out, p);
        System.arraycopy(scriptPubKey, 0, out, p, scriptPubKey.length);
        return p + scriptPubKey.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoinbaseOutput c && value == c.value && Arrays.equals(scriptPubKey, c.scriptPubKey);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value) * 31 + Arrays.hashCode(scriptPubKey);
    }

    @Override
    public String toString() {
        return "CoinbaseOutput[" + value + " sat to " + Hex.encode(scriptPubKey) + "]";
    }
}
