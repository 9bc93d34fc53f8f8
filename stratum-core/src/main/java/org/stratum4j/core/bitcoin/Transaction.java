package org.stratum4j.core.bitcoin;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A parsed Bitcoin transaction in its network serialization, legacy or segwit (BIP144: marker
 * {@code 00}, flag {@code 01}, witness stacks before the lock time).
 *
 * <p>It exists so that the pool never trusts an id it can compute: a template transaction's txid
 * and wtxid are recomputed from its bytes, and a block is re-checked before it is submitted.
 * Parsing follows Bitcoin Core's rules where they decide validity: canonical varints only, a
 * present witness flag must be {@code 01}, and a witness section that is entirely empty is
 * refused ("superfluous witness record"). Every count is bounded by the bytes that remain, so a
 * hostile length cannot make the parser allocate more than the input's size.
 */
public final class Transaction {

    /** Smallest possible serialized input: outpoint 36, empty script 1, sequence 4. */
    private static final int MIN_INPUT_SIZE = 41;
    /** Smallest possible serialized output: value 8, empty script 1. */
    private static final int MIN_OUTPUT_SIZE = 9;

    /** One input: the outpoint it spends, its scriptSig, sequence and witness stack. */
    public record Input(Sha256Hash prevTxid, long prevIndex, byte[] scriptSig, long sequence, List<byte[]> witness) {
        /** Copies the arrays so the record stays immutable. */
        public Input {
            Objects.requireNonNull(prevTxid, "prevTxid");
            scriptSig = scriptSig.clone();
            List<byte[]> copy = new ArrayList<>(witness.size());
            for (byte[] item : witness) {
                copy.add(item.clone());
            }
            witness = Collections.unmodifiableList(copy);
        }

        /** The scriptSig bytes (a copy). */
        @Override
        public byte[] scriptSig() {
            return scriptSig.clone();
        }

        /** True when this input spends nothing: the coinbase's null outpoint. */
        public boolean isNullOutpoint() {
            return prevTxid.equals(Sha256Hash.ZERO) && prevIndex == 0xffffffffL;
        }
    }

    /** One output: value in satoshis and the locking script. */
    public record Output(long value, byte[] scriptPubKey) {
        /** Copies the script so the record stays immutable. */
        public Output {
            scriptPubKey = scriptPubKey.clone();
        }

        /** The script bytes (a copy). */
        @Override
        public byte[] scriptPubKey() {
            return scriptPubKey.clone();
        }
    }

    private final byte[] serialized;
    private final int version;
    private final List<Input> inputs;
    private final List<Output> outputs;
    private final long lockTime;
    private final boolean hasWitness;
    private final byte[] stripped;
    private final Sha256Hash txid;
    private final Sha256Hash wtxid;

    private Transaction(byte[] serialized, int version, List<Input> inputs, List<Output> outputs, long lockTime,
                        boolean hasWitness, byte[] stripped) {
        this.serialized = serialized;
        this.version = version;
        this.inputs = inputs;
        this.outputs = outputs;
        this.lockTime = lockTime;
        this.hasWitness = hasWitness;
        this.stripped = stripped;
        this.txid = Sha256Hash.twiceOf(stripped);
        this.wtxid = hasWitness ? Sha256Hash.twiceOf(serialized) : txid;
    }

    /**
     * Parses {@code raw}, which must hold exactly one transaction.
     *
     * @throws IllegalArgumentException naming the offset and the field when the bytes are not a
     *     transaction or continue after it
     */
    public static Transaction parse(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        Transaction tx = read(raw, 0);
        if (tx.size() != raw.length) {
            throw new IllegalArgumentException("transaction ends at byte " + tx.size() + " but "
                    + (raw.length - tx.size()) + " more bytes follow");
        }
        return tx;
    }

    /** Parses the hex form of one transaction, as {@link #parse(byte[])}. */
    public static Transaction fromHex(String hex) {
        return parse(Hex.decode(hex));
    }

    /**
     * Parses the transaction that starts at {@code offset} of {@code buffer} (a block, say);
     * {@link #size()} tells where it ends.
     *
     * @throws IllegalArgumentException when the bytes are not a transaction
     */
    public static Transaction read(byte[] buffer, int offset) {
        Objects.requireNonNull(buffer, "buffer");
        Cursor c = new Cursor(buffer, offset);
        int version = (int) c.uint32("version");
        boolean witness = false;
        int afterVersion = c.pos;
        if (c.remaining() >= 2 && buffer[c.pos] == 0) {
            int flag = buffer[c.pos + 1] & 0xff;
            if (flag != 1) {
                throw new IllegalArgumentException("transaction at offset " + offset + " has segwit marker 00 with flag "
                        + String.format("%02x", flag) + "; only flag 01 is defined (BIP144)");
            }
            witness = true;
            c.pos += 2;
        }
        int bodyStart = c.pos;
        long inputCount = c.count("input count", MIN_INPUT_SIZE);
        if (inputCount == 0) {
            throw new IllegalArgumentException("transaction at offset " + offset + " has no inputs");
        }
        Sha256Hash[] prev = new Sha256Hash[(int) inputCount];
        long[] prevIndex = new long[(int) inputCount];
        byte[][] scriptSig = new byte[(int) inputCount][];
        long[] sequence = new long[(int) inputCount];
        for (int i = 0; i < inputCount; i++) {
            prev[i] = Sha256Hash.fromInternalBytes(c.bytes(Sha256Hash.LENGTH, "input " + i + " outpoint"));
            prevIndex[i] = c.uint32("input " + i + " outpoint index");
            scriptSig[i] = c.varBytes("input " + i + " scriptSig");
            sequence[i] = c.uint32("input " + i + " sequence");
        }
        long outputCount = c.count("output count", MIN_OUTPUT_SIZE);
        List<Output> outputs = new ArrayList<>((int) outputCount);
        for (int i = 0; i < outputCount; i++) {
            long value = c.uint64("output " + i + " value");
            outputs.add(new Output(value, c.varBytes("output " + i + " scriptPubKey")));
        }
        int bodyEnd = c.pos;
        List<List<byte[]>> witnesses = new ArrayList<>((int) inputCount);
        boolean anyWitness = false;
        for (int i = 0; i < inputCount; i++) {
            if (!witness) {
                witnesses.add(List.of());
                continue;
            }
            long items = c.count("input " + i + " witness item count", 1);
            List<byte[]> stack = new ArrayList<>((int) items);
            for (int k = 0; k < items; k++) {
                stack.add(c.varBytes("input " + i + " witness item " + k));
            }
            anyWitness |= items > 0;
            witnesses.add(stack);
        }
        if (witness && !anyWitness) {
            throw new IllegalArgumentException("transaction at offset " + offset
                    + " has the segwit marker but every witness is empty (Bitcoin Core: superfluous witness record)");
        }
        long lockTime = c.uint32("lock time");
        byte[] serialized = Arrays.copyOfRange(buffer, offset, c.pos);

        List<Input> inputs = new ArrayList<>((int) inputCount);
        for (int i = 0; i < inputCount; i++) {
            inputs.add(new Input(prev[i], prevIndex[i], scriptSig[i], sequence[i], witnesses.get(i)));
        }
        byte[] stripped;
        if (witness) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bodyEnd - bodyStart + 8);
            out.write(buffer, offset, afterVersion - offset);
            out.write(buffer, bodyStart, bodyEnd - bodyStart);
            out.write(buffer, c.pos - 4, 4);
            stripped = out.toByteArray();
        } else {
            stripped = serialized;
        }
        return new Transaction(serialized, version, Collections.unmodifiableList(inputs),
                Collections.unmodifiableList(outputs), lockTime, witness, stripped);
    }

    /** The transaction id: sha256d of the serialization without witness data. */
    public Sha256Hash txid() {
        return txid;
    }

    /** The witness transaction id (BIP141); equal to {@link #txid()} when there is no witness. */
    public Sha256Hash wtxid() {
        return wtxid;
    }

    /** True when the serialization carries witness data. */
    public boolean hasWitness() {
        return hasWitness;
    }

    /** The transaction's version field. */
    public int version() {
        return version;
    }

    /** The inputs, in order. */
    public List<Input> inputs() {
        return inputs;
    }

    /** The outputs, in order. */
    public List<Output> outputs() {
        return outputs;
    }

    /** The lock time field (unsigned). */
    public long lockTime() {
        return lockTime;
    }

    /** True when this is shaped like a coinbase: exactly one input, spending the null outpoint. */
    public boolean isCoinbase() {
        return inputs.size() == 1 && inputs.get(0).isNullOutpoint();
    }

    /** Serialized size in bytes, witness included. */
    public int size() {
        return serialized.length;
    }

    /** Serialized size without witness data. */
    public int strippedSize() {
        return stripped.length;
    }

    /** The serialization without witness data (a copy): what the txid covers and Stratum miners hash. */
    public byte[] serializeWithoutWitness() {
        return stripped.clone();
    }

    /** BIP141 weight: stripped size × 3 + total size. */
    public long weight() {
        return stripped.length * 3L + serialized.length;
    }

    /** The bytes this transaction was parsed from (a copy). */
    public byte[] serialize() {
        return serialized.clone();
    }

    /** Sum of the output values; the caller decides whether it overflowed the money range. */
    public long totalOutputValue() {
        long sum = 0;
        for (Output o : outputs) {
            sum = Math.addExact(sum, o.value());
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t && Arrays.equals(serialized, t.serialized);
    }

    @Override
    public int hashCode() {
        return wtxid.hashCode();
    }

    @Override
    public String toString() {
        return "Transaction[txid=" + txid.toDisplayHex() + ", " + inputs.size() + " in, " + outputs.size() + " out, "
                + serialized.length + " bytes]";
    }

    /** Reads fields with bounds checks; every failure names the field and the offset. */
    private static final class Cursor {
        private final byte[] b;
        private int pos;

        Cursor(byte[] b, int offset) {
            if (offset < 0 || offset > b.length) {
                throw new IllegalArgumentException("offset " + offset + " is outside the " + b.length + "-byte buffer");
            }
            this.b = b;
            this.pos = offset;
        }

        int remaining() {
            return b.length - pos;
        }

        private void need(int n, String field) {
            if (remaining() < n) {
                throw new IllegalArgumentException("transaction " + field + " at offset " + pos + " needs " + n
                        + " bytes but only " + remaining() + " remain");
            }
        }

        long uint32(String field) {
            need(4, field);
            long v = LittleEndian.read(b, pos, 4);
            pos += 4;
            return v;
        }

        long uint64(String field) {
            need(8, field);
            long v = LittleEndian.read(b, pos, 8);
            pos += 8;
            return v;
        }

        long varInt(String field) {
            need(1, field);
            long v;
            try {
                v = VarInt.read(b, pos);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("transaction " + field + ": " + e.getMessage(), e);
            }
            pos += VarInt.size(v);
            return v;
        }

        /** A count whose items take at least {@code minItemSize} bytes each. */
        long count(String field, int minItemSize) {
            int at = pos;
            long n = varInt(field);
            if (n < 0 || n > remaining() / minItemSize) {
                throw new IllegalArgumentException("transaction " + field + " at offset " + at + " is "
                        + Long.toUnsignedString(n) + ", more than the remaining " + remaining() + " bytes can hold");
            }
            return n;
        }

        byte[] bytes(int n, String field) {
            need(n, field);
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        byte[] varBytes(String field) {
            int at = pos;
            long n = varInt(field + " length");
            if (n < 0 || n > remaining()) {
                throw new IllegalArgumentException("transaction " + field + " at offset " + at + " claims "
                        + Long.toUnsignedString(n) + " bytes but only " + remaining() + " remain");
            }
            return bytes((int) n, field);
        }
    }
}
