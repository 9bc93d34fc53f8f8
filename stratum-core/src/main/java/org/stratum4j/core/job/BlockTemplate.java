package org.stratum4j.core.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.MerkleBranch;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.bitcoin.WitnessCommitment;

/**
 * What a node offers to be mined next: the fields of Bitcoin Core's {@code getblocktemplate} result
 * that a pool needs, validated, with the coinbase merkle branch computed once.
 *
 * <p>Immutable and safe to share; every job built on the template refers to it. Build one with
 * {@link #builder()} (a demo chain, a test) or {@link BlockTemplateParser} (a node's JSON).
 */
public final class BlockTemplate {

    /** 21 million bitcoin in satoshis: Bitcoin Core's MAX_MONEY. */
    public static final long MAX_MONEY = 21_000_000L * 100_000_000L;

    private final int version;
    private final Sha256Hash previousBlockHash;
    private final List<TemplateTransaction> transactions;
    private final long coinbaseValue;
    private final CompactBits bits;
    private final Target target;
    private final long curTime;
    private final long minTime;
    private final long height;
    private final WitnessCommitment witnessCommitment;
    private final String longPollId;
    private final byte[] coinbaseAux;
    private final MerkleBranch coinbaseBranch;

    private BlockTemplate(Builder b) {
        this.version = b.version;
        this.previousBlockHash = b.previousBlockHash;
        this.transactions = Collections.unmodifiableList(new ArrayList<>(b.transactions));
        this.coinbaseValue = b.coinbaseValue;
        this.bits = b.bits;
        this.target = b.bits.toTarget();
        this.curTime = b.curTime;
        this.minTime = b.minTime < 0 ? b.curTime : b.minTime;
        this.height = b.height;
        this.witnessCommitment = b.witnessCommitment;
        this.longPollId = b.longPollId;
        this.coinbaseAux = b.coinbaseAux.clone();
        List<Sha256Hash> txids = new ArrayList<>(transactions.size());
        for (TemplateTransaction tx : transactions) {
            txids.add(tx.txid());
        }
        this.coinbaseBranch = MerkleBranch.forCoinbase(txids);
    }

    /** A builder; {@code previousBlockHash}, {@code bits}, {@code height} and {@code curTime} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Block version the node proposes (BIP9 bits set). */
    public int version() {
        return version;
    }

    /** The tip this block builds on. */
    public Sha256Hash previousBlockHash() {
        return previousBlockHash;
    }

    /** The transactions after the coinbase, in block order. */
    public List<TemplateTransaction> transactions() {
        return transactions;
    }

    /** Subsidy plus fees in satoshis: the most the coinbase outputs may pay in total. */
    public long coinbaseValue() {
        return coinbaseValue;
    }

    /** The network target in compact form, as the header carries it. */
    public CompactBits bits() {
        return bits;
    }

    /** The network target: a header hash at or below it makes a block. */
    public Target target() {
        return target;
    }

    /** The node's current time (seconds since the epoch), the natural {@code ntime} of a new job. */
    public long curTime() {
        return curTime;
    }

    /** The earliest header time the node accepts (median time past + 1); {@code curTime} when the node gave none. */
    public long minTime() {
        return minTime;
    }

    /** Height of the block being mined (goes into the coinbase, BIP34). */
    public long height() {
        return height;
    }

    /** The witness commitment to put in the coinbase, when the node gave one. */
    public Optional<WitnessCommitment> witnessCommitment() {
        return Optional.ofNullable(witnessCommitment);
    }

    /** The id to pass back to {@code getblocktemplate} to wait for the next template, when the node gave one. */
    public Optional<String> longPollId() {
        return Optional.ofNullable(longPollId);
    }

    /** The node's {@code coinbaseaux} values concatenated (a copy; usually empty). */
    public byte[] coinbaseAux() {
        return coinbaseAux.clone();
    }

    /** The coinbase's merkle branch (the sibling hashes on its path to the root), as {@code mining.notify} sends it. */
    public MerkleBranch coinbaseBranch() {
        return coinbaseBranch;
    }

    /** True when any template transaction carries witness data. */
    public boolean hasWitnessTransactions() {
        for (TemplateTransaction tx : transactions) {
            if (tx.hasWitness()) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the node's witness commitment equals the one computed from the listed
     * transactions (with the zero reserved value), or there is none. A pool copies the node's
     * commitment as it is either way; this is a diagnostic.
     */
    public boolean witnessCommitmentMatchesTransactions() {
        if (witnessCommitment == null) {
            return true;
        }
        List<Sha256Hash> wtxids = new ArrayList<>(transactions.size());
        for (TemplateTransaction tx : transactions) {
            wtxids.add(tx.wtxid());
        }
        return WitnessCommitment.fromWtxids(wtxids).equals(witnessCommitment);
    }

    @Override
    public String toString() {
        return "BlockTemplate[height=" + height + ", prev=" + previousBlockHash.toDisplayHex() + ", "
                + transactions.size() + " txs, coinbasevalue=" + coinbaseValue + ", bits=" + bits.toHex() + "]";
    }

    /** Collects and validates template fields; {@link #build()} fails fast with a message naming the field. */
    public static final class Builder {
        private int version = 0x20000000;
        private Sha256Hash previousBlockHash;
        private final List<TemplateTransaction> transactions = new ArrayList<>();
        private long coinbaseValue = -1;
        private CompactBits bits;
        private long curTime = -1;
        private long minTime = -1;
        private long height = -1;
        private WitnessCommitment witnessCommitment;
        private String longPollId;
        private byte[] coinbaseAux = new byte[0];

        private Builder() {
        }

        /** Block version (default {@code 0x20000000}, BIP9 with no bits). */
        public Builder version(int version) {
            this.version = version;
            return this;
        }

        /** The tip to build on. */
        public Builder previousBlockHash(Sha256Hash hash) {
            this.previousBlockHash = Objects.requireNonNull(hash, "previousBlockHash");
            return this;
        }

        /** Appends a transaction (block order). */
        public Builder addTransaction(TemplateTransaction tx) {
            transactions.add(Objects.requireNonNull(tx, "transaction"));
            return this;
        }

        /** Replaces the transaction list (block order). */
        public Builder transactions(List<TemplateTransaction> txs) {
            transactions.clear();
            for (TemplateTransaction tx : txs) {
                addTransaction(tx);
            }
            return this;
        }

        /** Subsidy plus fees, in satoshis: 0 to {@link #MAX_MONEY}. */
        public Builder coinbaseValue(long satoshis) {
            if (satoshis < 0 || satoshis > MAX_MONEY) {
                throw new IllegalArgumentException("coinbasevalue " + satoshis + " is outside 0.." + MAX_MONEY + " satoshis");
            }
            this.coinbaseValue = satoshis;
            return this;
        }

        /** Network target in compact form; must be positive and not overflow. */
        public Builder bits(CompactBits compact) {
            Objects.requireNonNull(compact, "bits");
            if (compact.isNegative() || compact.isOverflow() || compact.magnitude().signum() == 0) {
                throw new IllegalArgumentException("bits " + compact.toHex()
                        + " is not a usable target (zero, negative or overflowing)");
            }
            this.bits = compact;
            return this;
        }

        /** Node time, seconds since the epoch (unsigned 32-bit). */
        public Builder curTime(long seconds) {
            this.curTime = uint32(seconds, "curtime");
            return this;
        }

        /** Earliest allowed header time, seconds since the epoch (unsigned 32-bit). */
        public Builder minTime(long seconds) {
            this.minTime = uint32(seconds, "mintime");
            return this;
        }

        /** Height of the block being mined: 1 to 2^31 − 1. */
        public Builder height(long height) {
            if (height < 1 || height > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("height " + height + " is outside 1.." + Integer.MAX_VALUE);
            }
            this.height = height;
            return this;
        }

        /** The node's witness commitment, or {@code null} for none. */
        public Builder witnessCommitment(WitnessCommitment commitment) {
            this.witnessCommitment = commitment;
            return this;
        }

        /** The node's long-poll id, or {@code null} for none. */
        public Builder longPollId(String id) {
            this.longPollId = id;
            return this;
        }

        /** The concatenated {@code coinbaseaux} values (at most 32 bytes, as they must fit the scriptSig). */
        public Builder coinbaseAux(byte[] aux) {
            Objects.requireNonNull(aux, "coinbaseAux");
            if (aux.length > 32) {
                throw new IllegalArgumentException("coinbaseaux is " + aux.length + " bytes (" + Hex.encode(aux)
                        + "); at most 32 fit next to the height and extranonce in a coinbase scriptSig");
            }
            this.coinbaseAux = aux.clone();
            return this;
        }

        /**
         * Checks that every required field is set and the fields agree with each other.
         *
         * @throws IllegalArgumentException naming the missing or inconsistent field
         */
        public BlockTemplate build() {
            if (previousBlockHash == null) {
                throw new IllegalArgumentException("template is missing previousblockhash");
            }
            if (bits == null) {
                throw new IllegalArgumentException("template is missing bits");
            }
            if (height < 0) {
                throw new IllegalArgumentException("template is missing height");
            }
            if (curTime < 0) {
                throw new IllegalArgumentException("template is missing curtime");
            }
            if (coinbaseValue < 0) {
                throw new IllegalArgumentException("template is missing coinbasevalue");
            }
            if (witnessCommitment == null) {
                for (TemplateTransaction tx : transactions) {
                    if (tx.hasWitness()) {
                        throw new IllegalArgumentException("template lists transaction " + tx.txid().toDisplayHex()
                                + " with witness data but has no default_witness_commitment; Bitcoin Core would"
                                + " reject the block (unexpected-witness). Ask for the template with rules [\"segwit\"]");
                    }
                }
            }
            return new BlockTemplate(this);
        }

        private static long uint32(long v, String field) {
            if (v < 0 || v > 0xffffffffL) {
                throw new IllegalArgumentException(field + " " + v + " is outside the unsigned 32-bit range 0..4294967295");
            }
            return v;
        }
    }
}
