package org.stratum4j.core.job;

import java.util.Objects;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * A coinbase transaction split around its extranonce: {@code coinb1 ‖ extranonce1 ‖ extranonce2 ‖
 * coinb2} is the transaction without witness (what its txid covers and what Stratum miners hash).
 *
 * <p>Immutable. Made by {@link CoinbaseBuilder}; the block form adds the witness reserved value
 * when the template has a witness commitment.
 */
public final class Coinbase {

    /** The coinbase witness stack when a commitment is present: one item of 32 zero bytes. */
    private static final byte[] RESERVED_WITNESS = witnessStack();

    private final byte[] coinb1;
    private final byte[] coinb2;
    private final int extranonce1Size;
    private final int extranonce2Size;
    private final boolean witness;
    private final long outputValue;

    Coinbase(byte[] coinb1, byte[] coinb2, int extranonce1Size, int extranonce2Size, boolean witness, long outputValue) {
        this.coinb1 = coinb1;
        this.coinb2 = coinb2;
        this.extranonce1Size = extranonce1Size;
        this.extranonce2Size = extranonce2Size;
        this.witness = witness;
        this.outputValue = outputValue;
    }

    /** Everything before extranonce1 (a copy). */
    public byte[] coinb1() {
        return coinb1.clone();
    }

    /** Everything after extranonce2 (a copy). */
    public byte[] coinb2() {
        return coinb2.clone();
    }

    /** Length of coinb1. */
    public int coinb1Length() {
        return coinb1.length;
    }

    /** Copies coinb1 into {@code out} at {@code offset} (no allocation, for the share hot path). */
    public void copyCoinb1To(byte[] out, int offset) {
        System.arraycopy(coinb1, 0, out, offset, coinb1.length);
    }

    /** Length of coinb2. */
    public int coinb2Length() {
        return coinb2.length;
    }

    /** Copies coinb2 into {@code out} at {@code offset} (no allocation, for the share hot path). */
    public void copyCoinb2To(byte[] out, int offset) {
        System.arraycopy(coinb2, 0, out, offset, coinb2.length);
    }

    byte[] coinb1Unsafe() {
        return coinb1;
    }

    byte[] coinb2Unsafe() {
        return coinb2;
    }

    /** The extranonce1 length this coinbase leaves room for. */
    public int extranonce1Size() {
        return extranonce1Size;
    }

    /** The extranonce2 length this coinbase leaves room for. */
    public int extranonce2Size() {
        return extranonce2Size;
    }

    /** Length of the transaction without witness. */
    public int size() {
        return coinb1.length + extranonce1Size + extranonce2Size + coinb2.length;
    }

    /** True when the block form carries the witness reserved value (the template had a commitment). */
    public boolean hasWitness() {
        return witness;
    }

    /** Sum of all output values, in satoshis. */
    public long outputValue() {
        return outputValue;
    }

    /**
     * The transaction without witness for these extranonces.
     *
     * @throws IllegalArgumentException when an extranonce has the wrong length
     */
    public byte[] serialize(byte[] extranonce1, byte[] extranonce2) {
        checkSizes(extranonce1, extranonce2);
        byte[] out = new byte[size()];
        int p = put(coinb1, 0, coinb1.length, out, 0);
        p = put(extranonce1, 0, extranonce1.length, out, p);
        p = put(extranonce2, 0, extranonce2.length, out, p);
        put(coinb2, 0, coinb2.length, out, p);
        return out;
    }

    /** The coinbase's txid for these extranonces. */
    public Sha256Hash txid(byte[] extranonce1, byte[] extranonce2) {
        return Sha256Hash.twiceOf(serialize(extranonce1, extranonce2));
    }

    /**
     * The transaction as it goes into a block: with witness (BIP144 marker and flag, one 32-byte
     * zero item) when the template had a commitment, else the same bytes as {@link #serialize}.
     */
    public byte[] serializeForBlock(byte[] extranonce1, byte[] extranonce2) {
        if (!witness) {
            return serialize(extranonce1, extranonce2);
        }
        checkSizes(extranonce1, extranonce2);
        byte[] out = new byte[size() + 2 + RESERVED_WITNESS.length];
        int p = put(coinb1, 0, 4, out, 0);
        out[p++] = 0x00;
        out[p++] = 0x01;
        p = put(coinb1, 4, coinb1.length - 4, out, p);
        p = put(extranonce1, 0, extranonce1.length, out, p);
        p = put(extranonce2, 0, extranonce2.length, out, p);
        p = put(coinb2, 0, coinb2.length - 4, out, p);
        p = put(RESERVED_WITNESS, 0, RESERVED_WITNESS.length, out, p);
        put(coinb2, coinb2.length - 4, 4, out, p);
        return out;
    }

    private void checkSizes(byte[] extranonce1, byte[] extranonce2) {
        Objects.requireNonNull(extranonce1, "extranonce1");
        Objects.requireNonNull(extranonce2, "extranonce2");
        if (extranonce1.length != extranonce1Size) {
            throw new IllegalArgumentException("extranonce1 is " + extranonce1.length + " bytes; this coinbase has room for "
                    + extranonce1Size);
        }
        if (extranonce2.length != extranonce2Size) {
            throw new IllegalArgumentException("extranonce2 is " + extranonce2.length + " bytes; this coinbase has room for "
                    + extranonce2Size);
        }
    }

    private static int put(byte[] src, int from, int len, byte[] out, int at) {
        System.arraycopy(src, from, out, at, len);
        return at + len;
    }

    private static byte[] witnessStack() {
        byte[] w = new byte[2 + Sha256Hash.LENGTH];
        w[0] = 1;
        w[1] = (byte) Sha256Hash.LENGTH;
        return w;
    }

    @Override
    public String toString() {
        return "Coinbase[coinb1=" + Hex.encode(coinb1) + ", extranonce " + extranonce1Size + "+" + extranonce2Size
                + ", coinb2=" + Hex.encode(coinb2) + "]";
    }

    /**
     * The block height in a coinbase's first half (BIP34), as a miner or proxy that has only
     * {@code coinb1} reads it: the first push of the only input's scriptSig. Empty when coinb1 is
     * not a one-input transaction's start or the push is not a height.
     */
    public static java.util.OptionalLong bip34Height(byte[] coinb1) {
        // version (4) | input count (1: a coinbase has one) | previous output (36) | scriptSig length (< 0xfd: at most 100 bytes)
        int counted = 4;
        if (coinb1.length < counted + 1 + 36 + 2 || coinb1[counted] != 1 || (coinb1[counted + 1 + 36] & 0xFF) >= 0xfd) {
            return java.util.OptionalLong.empty();
        }
        return org.stratum4j.core.bitcoin.ScriptNumber.readBip34Height(coinb1, counted + 1 + 36 + 1);
    }
}
