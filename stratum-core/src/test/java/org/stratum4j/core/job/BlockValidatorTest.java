package org.stratum4j.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.MerkleTree;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Transaction;
import org.stratum4j.core.bitcoin.VarInt;
import org.stratum4j.core.bitcoin.WitnessCommitment;

/** Each rule of the validator gives Bitcoin Core's reject reason on a block crafted to break only that rule. */
class BlockValidatorTest {

    private static final Sha256Hash TIP = Sha256Hash.fromDisplayHex("00000000000000022246451e9af7ac4f8bff2527d223f6e623740e92171592f2");
    private static final long TIME = 1_700_000_000L;
    private static final byte[] PAY = Hex.decode("0014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc");
    private static final BlockTemplate REAL = GbtVectors.template("public_pool_testnet_2442185");
    /** Two transactions of the real template without witness, one with. */
    private static final TemplateTransaction LEGACY_A = REAL.transactions().get(1);
    private static final TemplateTransaction LEGACY_B = REAL.transactions().get(4);
    private static final TemplateTransaction SEGWIT = REAL.transactions().get(0);

    private static BlockTemplate.Builder base() {
        return BlockTemplate.builder().previousBlockHash(TIP).bits(CompactBits.of(0x207fffff)).height(200)
                .curTime(TIME).minTime(TIME - 600).coinbaseValue(5_000_000_000L)
                .transactions(List.of(LEGACY_A, LEGACY_B));
    }

    private static final BlockTemplate T0 = base().build();

    private static byte[] coinbase(BlockTemplate t, long value, int en2Seed) {
        return CoinbaseBuilder.defaults().build(t, List.of(CoinbaseOutput.of(value, PAY)))
                .serialize(new byte[4], new byte[] {(byte) en2Seed, 0, 0, 0, 0, 0, 0, 0});
    }

    /** A block of these transactions on {@code t}'s tip, with a header that meets 207fffff. */
    private static byte[] craft(BlockTemplate t, List<byte[]> txs) {
        List<Sha256Hash> txids = new ArrayList<>();
        for (byte[] tx : txs) {
            txids.add(Transaction.parse(tx).txid());
        }
        Sha256Hash root = MerkleTree.root(txids);
        BlockHeader header = null;
        for (long nonce = 0; header == null; nonce++) {
            BlockHeader h = BlockHeader.of(t.version(), t.previousBlockHash(), root, TIME, t.bits(), nonce);
            if (h.meets(t.target())) {
                header = h;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.serialize());
        out.writeBytes(VarInt.encode(txs.size()));
        txs.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] validBlock() {
        return craft(T0, List.of(coinbase(T0, 5_000_000_000L, 1), LEGACY_A.data(), LEGACY_B.data()));
    }

    private static String reason(byte[] block, BlockTemplate t) {
        return BlockValidator.validate(block, t, TIME).orElse("accepted");
    }

    @Test
    void aCorrectBlockIsAccepted() {
        assertThat(reason(validBlock(), T0)).isEqualTo("accepted");
    }

    @Test
    void bytesThatAreNotABlock() {
        byte[] ok = validBlock();
        assertThat(reason(Arrays.copyOf(ok, ok.length - 1), T0)).isEqualTo(BlockValidator.DECODE_FAILED);
        assertThat(reason(Arrays.copyOf(ok, ok.length + 1), T0)).isEqualTo(BlockValidator.DECODE_FAILED);
        assertThat(reason(Arrays.copyOf(ok, 40), T0)).isEqualTo(BlockValidator.DECODE_FAILED);
        byte[] hugeCount = Arrays.copyOf(ok, 90);
        hugeCount[80] = (byte) 0xfe;
        hugeCount[81] = hugeCount[82] = hugeCount[83] = hugeCount[84] = (byte) 0xff;
        assertThat(reason(hugeCount, T0)).isEqualTo(BlockValidator.DECODE_FAILED);
    }

    @Test
    void headerRules() {
        byte[] ok = validBlock();
        byte[] unsolved = ok.clone();
        BlockHeader h = BlockHeader.parse(Arrays.copyOf(ok, 80));
        for (long nonce = h.nonce() + 1; ; nonce++) {
            if (!h.withNonce(nonce).meets(T0.target())) {
                h.withNonce(nonce).writeTo(unsolved, 0);
                break;
            }
        }
        assertThat(reason(unsolved, T0)).isEqualTo("high-hash");
        assertThat(reason(ok, base().previousBlockHash(Sha256Hash.ZERO).build())).isEqualTo("prev-blk-not-found");
        assertThat(reason(ok, base().bits(CompactBits.of(0x1d00ffff)).build())).isEqualTo("bad-diffbits");
        assertThat(reason(ok, base().minTime(TIME + 1).build())).isEqualTo("time-too-old");
        assertThat(BlockValidator.validate(ok, T0, TIME - BlockValidator.MAX_FUTURE_SECONDS - 1)).contains("time-too-new");
        assertThat(BlockValidator.validate(ok, T0, TIME - BlockValidator.MAX_FUTURE_SECONDS)).isEmpty();
    }

    @Test
    void merkleRules() {
        byte[] cb = coinbase(T0, 5_000_000_000L, 1);
        byte[] tampered = validBlock();
        // The last byte of the last transaction is its lock time: changing it keeps the block parseable.
        tampered[tampered.length - 1] ^= 1;
        assertThat(reason(tampered, T0)).isEqualTo("bad-txnmrklroot");
        // CVE-2012-2459: repeating the last transaction of an odd level keeps the root.
        byte[] duplicated = craft(T0, List.of(cb, LEGACY_A.data(), LEGACY_B.data(), LEGACY_B.data()));
        assertThat(reason(duplicated, T0)).isEqualTo("bad-txns-duplicate");
    }

    @Test
    void coinbaseRules() {
        byte[] cb = coinbase(T0, 5_000_000_000L, 1);
        assertThat(reason(craft(T0, List.of(LEGACY_A.data(), LEGACY_B.data())), T0)).isEqualTo("bad-cb-missing");
        assertThat(reason(craft(T0, List.of(cb, coinbase(T0, 1, 2), LEGACY_A.data())), T0)).isEqualTo("bad-cb-multiple");
        byte[] shortScriptSig = Hex.decode("01000000" + "01" + "00".repeat(32) + "ffffffff" + "0151" + "ffffffff"
                + "01" + "00f2052a01000000" + "0151" + "00000000");
        assertThat(reason(craft(T0, List.of(shortScriptSig, LEGACY_A.data(), LEGACY_B.data())), T0)).isEqualTo("bad-cb-length");
        assertThat(reason(validBlock(), base().height(201).build())).isEqualTo("bad-cb-height");
        assertThat(reason(validBlock(), base().coinbaseValue(4_999_999_999L).build())).isEqualTo("bad-cb-amount");
        assertThat(reason(craft(T0, List.of(cb, LEGACY_A.data())), T0)).isEqualTo("bad-txns-inputs-missingorspent");
        assertThat(reason(craft(T0, List.of(cb, LEGACY_B.data(), LEGACY_A.data())), T0)).isEqualTo("bad-txns-inputs-missingorspent");
    }

    @Test
    void witnessRules() {
        byte[] cbNoCommitment = coinbase(T0, 5_000_000_000L, 1);
        assertThat(reason(craft(T0, List.of(cbNoCommitment, SEGWIT.data())), T0)).isEqualTo("unexpected-witness");

        BlockTemplate tw = base().transactions(List.of(SEGWIT, LEGACY_A)).witnessCommitment(
                WitnessCommitment.fromWtxids(List.of(SEGWIT.wtxid(), LEGACY_A.wtxid()))).build();
        Coinbase cb = CoinbaseBuilder.defaults().build(tw, List.of(CoinbaseOutput.of(1, PAY)));
        byte[] en1 = new byte[4];
        byte[] en2 = new byte[8];
        byte[] good = craft(tw, List.of(cb.serializeForBlock(en1, en2), SEGWIT.data(), LEGACY_A.data()));
        assertThat(reason(good, tw)).isEqualTo("accepted");
        // The same coinbase without its witness: same txid, same root, but no reserved value.
        byte[] noReserved = craft(tw, List.of(cb.serialize(en1, en2), SEGWIT.data(), LEGACY_A.data()));
        assertThat(reason(noReserved, tw)).isEqualTo("bad-witness-nonce-size");

        BlockTemplate wrong = base().transactions(List.of(SEGWIT, LEGACY_A))
                .witnessCommitment(WitnessCommitment.of(Sha256Hash.twiceOf(new byte[] {1}))).build();
        Coinbase wrongCb = CoinbaseBuilder.defaults().build(wrong, List.of(CoinbaseOutput.of(1, PAY)));
        byte[] mismatch = craft(wrong, List.of(wrongCb.serializeForBlock(en1, en2), SEGWIT.data(), LEGACY_A.data()));
        assertThat(reason(mismatch, wrong)).isEqualTo("bad-witness-merkle-match");
    }
}
