package org.stratum4j.core.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.MerkleTree;
import org.stratum4j.core.bitcoin.ScriptNumber;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Transaction;
import org.stratum4j.core.bitcoin.VarInt;

/**
 * Checks a serialized block against the template it was mined on, with Bitcoin Core's consensus
 * rules for everything a pool controls, and answers with the reason string Core's
 * {@code submitblock} would give.
 *
 * <p>It is the referee of the embedded demo chain and a pool's last look at a block before it
 * goes to the node. Checked, in Core's order: decoding, proof of work ({@code high-hash}), tip
 * ({@code prev-blk-not-found}), {@code bad-diffbits}, {@code time-too-old}/{@code time-too-new},
 * merkle root and its CVE-2012-2459 mutation ({@code bad-txnmrklroot}, {@code bad-txns-duplicate}),
 * coinbase presence, uniqueness and scriptSig length ({@code bad-cb-missing},
 * {@code bad-cb-multiple}, {@code bad-cb-length}), BIP34 ({@code bad-cb-height}), the witness
 * commitment ({@code bad-witness-nonce-size}, {@code bad-witness-merkle-match},
 * {@code unexpected-witness}), weight ({@code bad-blk-weight}) and the coinbase amount
 * ({@code bad-cb-amount}). Transactions must be exactly the template's (a demo chain has no UTXO
 * set to check others against: {@code bad-txns-inputs-missingorspent}). Signatures and scripts of
 * the template's transactions are the node's business and are not checked.
 */
public final class BlockValidator {

    /** What Core says when the bytes are not a block. */
    public static final String DECODE_FAILED = "Block decode failed";
    /** Core's MAX_BLOCK_WEIGHT. */
    public static final long MAX_BLOCK_WEIGHT = 4_000_000;
    /** Core's MAX_FUTURE_BLOCK_TIME: two hours. */
    public static final long MAX_FUTURE_SECONDS = 2 * 60 * 60;

    private static final byte[] COMMITMENT_HEADER = {0x6a, 0x24, (byte) 0xaa, 0x21, (byte) 0xa9, (byte) 0xed};

    private BlockValidator() {
    }

    /**
     * The reason Bitcoin Core would reject {@code block} as the next block on {@code template}'s
     * tip at {@code nowSeconds}, or empty when it would be accepted.
     */
    public static Optional<String> validate(byte[] block, BlockTemplate template, long nowSeconds) {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(template, "template");
        if (block.length < BlockHeader.LENGTH + 1) {
            return Optional.of(DECODE_FAILED);
        }
        BlockHeader header = BlockHeader.parse(Arrays.copyOf(block, BlockHeader.LENGTH));
        List<Transaction> txs = new ArrayList<>();
        try {
            long count = VarInt.read(block, BlockHeader.LENGTH);
            int p = BlockHeader.LENGTH + VarInt.size(count);
            if (count > (block.length - p) / 60 + 1) {
                return Optional.of(DECODE_FAILED);
            }
            for (long i = 0; i < count; i++) {
                Transaction tx = Transaction.read(block, p);
                txs.add(tx);
                p += tx.size();
            }
            if (p != block.length) {
                return Optional.of(DECODE_FAILED);
            }
        } catch (IllegalArgumentException e) {
            return Optional.of(DECODE_FAILED);
        }

        if (header.bits().isNegative() || header.bits().isOverflow() || !header.meets(header.bits().toTarget())) {
            return Optional.of("high-hash");
        }
        if (!header.prevHash().equals(template.previousBlockHash())) {
            return Optional.of("prev-blk-not-found");
        }
        if (!header.bits().equals(template.bits())) {
            return Optional.of("bad-diffbits");
        }
        if (header.time() < template.minTime()) {
            return Optional.of("time-too-old");
        }
        if (header.time() > nowSeconds + MAX_FUTURE_SECONDS) {
            return Optional.of("time-too-new");
        }

        if (txs.isEmpty()) {
            return Optional.of("bad-blk-length");
        }
        List<Sha256Hash> txids = new ArrayList<>(txs.size());
        for (Transaction tx : txs) {
            txids.add(tx.txid());
        }
        if (!MerkleTree.root(txids).equals(header.merkleRoot())) {
            return Optional.of("bad-txnmrklroot");
        }
        if (MerkleTree.isMutated(txids)) {
            return Optional.of("bad-txns-duplicate");
        }
        long strippedSize = BlockHeader.LENGTH + VarInt.size(txs.size());
        for (Transaction tx : txs) {
            strippedSize += tx.strippedSize();
        }
        if (strippedSize * 4 > MAX_BLOCK_WEIGHT) {
            return Optional.of("bad-blk-length");
        }
        Transaction coinbase = txs.get(0);
        if (!coinbase.isCoinbase()) {
            return Optional.of("bad-cb-missing");
        }
        for (int i = 1; i < txs.size(); i++) {
            if (txs.get(i).isCoinbase() || hasNullPrevout(txs.get(i))) {
                return Optional.of("bad-cb-multiple");
            }
        }
        byte[] scriptSig = coinbase.inputs().get(0).scriptSig();
        if (scriptSig.length < CoinbaseBuilder.MIN_SCRIPT_SIG || scriptSig.length > CoinbaseBuilder.MAX_SCRIPT_SIG) {
            return Optional.of("bad-cb-length");
        }

        byte[] heightPush = ScriptNumber.bip34HeightPush(template.height());
        if (scriptSig.length < heightPush.length
                || !Arrays.equals(scriptSig, 0, heightPush.length, heightPush, 0, heightPush.length)) {
            return Optional.of("bad-cb-height");
        }

        Optional<String> witness = checkWitness(txs);
        if (witness.isPresent()) {
            return witness;
        }
        long weight = 0;
        for (Transaction tx : txs) {
            weight += tx.weight();
        }
        weight += (BlockHeader.LENGTH + VarInt.size(txs.size())) * 4L;
        if (weight > MAX_BLOCK_WEIGHT) {
            return Optional.of("bad-blk-weight");
        }

        List<TemplateTransaction> expected = template.transactions();
        if (txs.size() - 1 != expected.size()) {
            return Optional.of("bad-txns-inputs-missingorspent");
        }
        for (int i = 1; i < txs.size(); i++) {
            if (!txs.get(i).wtxid().equals(expected.get(i - 1).wtxid())) {
                return Optional.of("bad-txns-inputs-missingorspent");
            }
        }
        long paid;
        try {
            paid = coinbase.totalOutputValue();
        } catch (ArithmeticException e) {
            return Optional.of("bad-txns-txouttotal-toolarge");
        }
        for (Transaction.Output o : coinbase.outputs()) {
            if (o.value() < 0 || o.value() > BlockTemplate.MAX_MONEY) {
                return Optional.of("bad-txns-vout-toolarge");
            }
        }
        if (paid > template.coinbaseValue()) {
            return Optional.of("bad-cb-amount");
        }
        return Optional.empty();
    }

    private static boolean hasNullPrevout(Transaction tx) {
        for (Transaction.Input in : tx.inputs()) {
            if (in.isNullOutpoint()) {
                return true;
            }
        }
        return false;
    }

    /** Core's ContextualCheckBlock witness rules, with the commitment found as GetWitnessCommitmentIndex does. */
    private static Optional<String> checkWitness(List<Transaction> txs) {
        Transaction coinbase = txs.get(0);
        byte[] commitment = null;
        for (Transaction.Output o : coinbase.outputs()) {
            byte[] script = o.scriptPubKey();
            if (script.length >= 38
                    && Arrays.equals(script, 0, COMMITMENT_HEADER.length, COMMITMENT_HEADER, 0, COMMITMENT_HEADER.length)) {
                commitment = Arrays.copyOfRange(script, 6, 38);
            }
        }
        if (commitment == null) {
            for (Transaction tx : txs) {
                if (tx.hasWitness()) {
                    return Optional.of("unexpected-witness");
                }
            }
            return Optional.empty();
        }
        List<byte[]> stack = coinbase.inputs().get(0).witness();
        if (stack.size() != 1 || stack.get(0).length != Sha256Hash.LENGTH) {
            return Optional.of("bad-witness-nonce-size");
        }
        List<Sha256Hash> wtxids = new ArrayList<>(txs.size());
        wtxids.add(Sha256Hash.ZERO);
        for (int i = 1; i < txs.size(); i++) {
            wtxids.add(txs.get(i).wtxid());
        }
        Sha256Hash witnessRoot = MerkleTree.root(wtxids);
        Sha256Hash expected = Sha256Hash.twiceOfConcatenation(witnessRoot, Sha256Hash.fromInternalBytes(stack.get(0)));
        if (!Arrays.equals(expected.internalBytes(), commitment)) {
            return Optional.of("bad-witness-merkle-match");
        }
        return Optional.empty();
    }
}
