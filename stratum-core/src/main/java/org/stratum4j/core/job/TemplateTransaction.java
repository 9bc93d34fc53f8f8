package org.stratum4j.core.job;

import java.util.Objects;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Transaction;

/**
 * One non-coinbase transaction of a block template: its serialized bytes (as they go into the
 * block), and the ids and figures a pool needs. The ids are always computed from the bytes, never
 * taken on trust, so a merkle branch built from them matches the block that gets submitted.
 */
public final class TemplateTransaction {

    private final byte[] data;
    private final Sha256Hash txid;
    private final Sha256Hash wtxid;
    private final boolean hasWitness;
    private final long fee;
    private final long weight;

    private TemplateTransaction(byte[] data, Transaction parsed, long fee) {
        this.data = data;
        this.txid = parsed.txid();
        this.wtxid = parsed.wtxid();
        this.hasWitness = parsed.hasWitness();
        this.fee = fee;
        this.weight = parsed.weight();
    }

    /**
     * A transaction from its serialized bytes and the fee it pays (satoshis; {@code -1} when
     * unknown).
     *
     * @throws IllegalArgumentException when {@code data} is not exactly one transaction, or is a
     *     coinbase, or the fee is below -1
     */
    public static TemplateTransaction of(byte[] data, long fee) {
        Objects.requireNonNull(data, "data");
        if (fee < -1) {
            throw new IllegalArgumentException("fee " + fee + " is negative; use -1 for an unknown fee");
        }
        byte[] copy = data.clone();
        Transaction parsed = Transaction.parse(copy);
        if (parsed.isCoinbase()) {
            throw new IllegalArgumentException("transaction " + parsed.txid().toDisplayHex()
                    + " is a coinbase; a template lists only the transactions after the coinbase");
        }
        return new TemplateTransaction(copy, parsed, fee);
    }

    /** As {@link #of(byte[], long)} from the hex form that {@code getblocktemplate} gives. */
    public static TemplateTransaction fromHex(String dataHex, long fee) {
        return of(Hex.decode(dataHex), fee);
    }

    /** The serialized transaction (a copy), witness included when it has one. */
    public byte[] data() {
        return data.clone();
    }

    /** Length of {@link #data()} in bytes. */
    public int size() {
        return data.length;
    }

    /** Copies the serialized transaction into {@code out} at {@code offset}; returns the end offset. */
    public int writeTo(byte[] out, int offset) {
        System.arraycopy(data, 0, out, offset, data.length);
        return offset + data.length;
    }

    /** The transaction id (what the block's merkle root covers). */
    public Sha256Hash txid() {
        return txid;
    }

    /** The witness transaction id (what the witness commitment covers). */
    public Sha256Hash wtxid() {
        return wtxid;
    }

    /** True when the transaction carries witness data. */
    public boolean hasWitness() {
        return hasWitness;
    }

    /** The fee in satoshis as the node reported it, or {@code -1} when unknown. */
    public long fee() {
        return fee;
    }

    /** BIP141 weight, computed from the bytes. */
    public long weight() {
        return weight;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TemplateTransaction t && wtxid.equals(t.wtxid) && fee == t.fee;
    }

    @Override
    public int hashCode() {
        return wtxid.hashCode();
    }

    @Override
    public String toString() {
        return "TemplateTransaction[txid=" + txid.toDisplayHex() + ", " + data.length + " bytes, fee=" + fee + "]";
    }
}
