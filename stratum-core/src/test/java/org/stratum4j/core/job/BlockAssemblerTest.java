package org.stratum4j.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.MerkleTree;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Transaction;
import org.stratum4j.core.bitcoin.VarInt;
import org.stratum4j.core.bitcoin.WitnessCommitment;
import org.stratum4j.core.testing.Json;

/**
 * Block assembly: real blocks ({@code blocks.json}) rebuilt from their parts byte for byte, and a
 * round trip from a real template to a solved block that is re-validated from its bytes.
 */
class BlockAssemblerTest {

    private static final Map<String, Object> BLOCKS = Json.resource("/vectors/blocks.json");

    /** A real block taken apart: the template and job it could have come from, and its extranonces. */
    record Parts(Job job, byte[] en1, byte[] en2, BlockHeader header, byte[] expected) {
    }

    static Parts partsOf(Map<String, Object> v) {
        Transaction cb = Transaction.fromHex((String) v.get("coinbase_hex"));
        byte[] stripped = cb.serializeWithoutWitness();
        byte[] scriptSig = cb.inputs().get(0).scriptSig();
        int scriptEnd = 4 + 1 + 36 + VarInt.size(scriptSig.length) + scriptSig.length;
        // Treat the last 6 scriptSig bytes as extranonce1 (2) and extranonce2 (4), as a pool would have laid them out.
        byte[] coinb1 = Arrays.copyOfRange(stripped, 0, scriptEnd - 6);
        byte[] en1 = Arrays.copyOfRange(stripped, scriptEnd - 6, scriptEnd - 4);
        byte[] en2 = Arrays.copyOfRange(stripped, scriptEnd - 4, scriptEnd);
        byte[] coinb2 = Arrays.copyOfRange(stripped, scriptEnd, stripped.length);
        Coinbase coinbase = new Coinbase(coinb1, coinb2, 2, 4, cb.hasWitness(), cb.totalOutputValue());

        BlockHeader header = BlockHeader.fromHex((String) v.get("header_hex"));
        Object height = v.get("height");
        BlockTemplate.Builder b = BlockTemplate.builder().version(header.version()).previousBlockHash(header.prevHash())
                .bits(header.bits()).curTime(header.time()).minTime(header.time())
                .height(height instanceof Json.Num n ? n.asLong() : 1)
                .coinbaseValue(cb.totalOutputValue());
        for (Transaction.Output o : cb.outputs()) {
            byte[] script = o.scriptPubKey();
            if (script.length == 38 && Hex.encode(script).startsWith("6a24aa21a9ed")) {
                b.witnessCommitment(WitnessCommitment.fromScript(script));
            }
        }
        for (String tx : Json.strings(v, "transactions_hex")) {
            b.addTransaction(TemplateTransaction.fromHex(tx, -1));
        }
        Job job = Job.onTemplate("real", b.build(), coinbase, header.time(), true, Instant.EPOCH);
        return new Parts(job, en1, en2, header, Hex.decode((String) v.get("block_hex")));
    }

    @TestFactory
    Stream<DynamicTest> realBlocksAreAssembledByteForByte() {
        return Json.maps(BLOCKS, "vectors").stream().map(v -> dynamicTest((String) v.get("name"), () -> {
            Parts p = partsOf(v);
            byte[] block = BlockAssembler.assemble(p.job(), p.en1(), p.en2(), p.header());
            assertThat(Hex.encode(block)).isEqualTo(Hex.encode(p.expected()));
            assertThat(p.header().hash().toDisplayHex()).isEqualTo(v.get("block_hash"));
        }));
    }

    @Test
    void realSegwitBlockPassesTheValidatorAndThe2010BlockFailsOnlyBip34() {
        Map<String, Object> testnet = Json.maps(BLOCKS, "vectors").get(0);
        Parts p = partsOf(testnet);
        BlockTemplate t = p.job().template().orElseThrow();
        assertThat(BlockValidator.validate(p.expected(), t, p.header().time())).isEmpty();

        Parts old = partsOf(Json.maps(BLOCKS, "vectors").get(1));
        // Dec 2010 predates BIP34 (no height in the coinbase); everything else about it is valid.
        assertThat(BlockValidator.validate(old.expected(), old.job().template().orElseThrow(), old.header().time()))
                .contains("bad-cb-height");
    }

    @Test
    void aHeaderThatIsNotTheJobsIsRefusedBeforeAnythingIsWritten() {
        Parts p = partsOf(Json.maps(BLOCKS, "vectors").get(0));
        byte[] otherEn2 = p.en2().clone();
        otherEn2[0] ^= 1;
        assertThatThrownBy(() -> BlockAssembler.assemble(p.job(), p.en1(), otherEn2, p.header()))
                .hasMessageContaining("is not the root of job real");
        BlockHeader wrongTip = BlockHeader.of(p.header().version(), Sha256Hash.ZERO, p.header().merkleRoot(),
                p.header().time(), p.header().bits(), p.header().nonce());
        assertThatThrownBy(() -> BlockAssembler.assemble(p.job(), p.en1(), p.en2(), wrongTip))
                .hasMessageContaining("builds on 0000");
        BlockHeader wrongBits = BlockHeader.of(p.header().version(), p.header().prevHash(), p.header().merkleRoot(),
                p.header().time(), CompactBits.of(0x1d00ffff), p.header().nonce());
        assertThatThrownBy(() -> BlockAssembler.assemble(p.job(), p.en1(), p.en2(), wrongBits))
                .hasMessageContaining("header bits 1d00ffff");
    }

    /** The public-pool template with an easy target, so that a test can solve it. */
    static BlockTemplate easyPublicPoolTemplate() {
        BlockTemplate real = GbtVectors.template("public_pool_testnet_2442185");
        return BlockTemplate.builder().version(real.version()).previousBlockHash(real.previousBlockHash())
                .transactions(real.transactions()).coinbaseValue(real.coinbaseValue())
                .bits(CompactBits.of(0x207fffff)).curTime(real.curTime()).minTime(real.minTime()).height(real.height())
                .witnessCommitment(real.witnessCommitment().orElseThrow()).build();
    }

    /** Grinds nonces until the header meets the job's target (about two tries at 207fffff). */
    static BlockHeader solve(Job job, byte[] en1, byte[] en2) {
        for (long nonce = 0; nonce <= 0xffffffffL; nonce++) {
            BlockHeader h = job.header(en1, en2, job.version(), job.ntime(), nonce);
            if (h.meets(job.networkTarget())) {
                return h;
            }
        }
        throw new AssertionError("no nonce solves " + job);
    }

    @Test
    void roundTripTemplateToJobToSolvedBlockThatRevalidatesFromItsBytes() {
        BlockTemplate t = easyPublicPoolTemplate();
        Address payout = Address.parse("tb1qumezefzdeqqwn5zfvgdrhxjzc5ylr39uhuxcz4", Network.TEST);
        JobFactory factory = new JobFactory(Clock.fixed(Instant.ofEpochSecond(t.curTime()), ZoneOffset.UTC),
                CoinbaseBuilder.defaults().withPoolTag("/stratum4j/"));
        Job job = factory.create(t, List.of(CoinbaseOutput.to(payout, t.coinbaseValue())));
        byte[] en1 = Hex.decode("0badf00d");
        byte[] en2 = Hex.decode("0102030405060708");
        BlockHeader header = solve(job, en1, en2);
        byte[] block = BlockAssembler.assemble(job, en1, en2, header);

        assertThat(BlockValidator.validate(block, t, t.curTime())).isEmpty();

        // Re-read the block from its bytes alone and check what Core checks, against the vectors' values.
        assertThat(BlockHeader.parse(Arrays.copyOf(block, 80))).isEqualTo(header);
        int p = 80;
        long count = VarInt.read(block, p);
        p += VarInt.size(count);
        assertThat(count).isEqualTo(6);
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Transaction tx = Transaction.read(block, p);
            txs.add(tx);
            p += tx.size();
        }
        assertThat(p).isEqualTo(block.length);
        List<Sha256Hash> txids = new ArrayList<>();
        List<Sha256Hash> wtxids = new ArrayList<>();
        for (Transaction tx : txs) {
            txids.add(tx.txid());
            wtxids.add(wtxids.isEmpty() ? Sha256Hash.ZERO : tx.wtxid());
        }
        assertThat(MerkleTree.root(txids)).isEqualTo(header.merkleRoot());

        Map<String, Object> expected = GbtVectors.expected(GbtVectors.named("public_pool_testnet_2442185"), "expected");
        Transaction coinbase = txs.get(0);
        assertThat(Hex.encode(coinbase.inputs().get(0).scriptSig())).startsWith((String) expected.get("bip34_height_push_hex"));
        Transaction.Output last = coinbase.outputs().get(coinbase.outputs().size() - 1);
        assertThat(Hex.encode(last.scriptPubKey())).isEqualTo(expected.get("witness_commitment_script_hex"));
        assertThat(MerkleTree.root(wtxids).toInternalHex()).isEqualTo(expected.get("witness_merkle_root_internal"));
        byte[] reserved = coinbase.inputs().get(0).witness().get(0);
        assertThat(Sha256Hash.twiceOfConcatenation(MerkleTree.root(wtxids), Sha256Hash.fromInternalBytes(reserved)))
                .isEqualTo(WitnessCommitment.fromScript(last.scriptPubKey()).hash());
        assertThat(coinbase.totalOutputValue()).isEqualTo(t.coinbaseValue());
        assertThat(coinbase.outputs().get(0).scriptPubKey()).isEqualTo(payout.scriptPubKey());
        for (int i = 1; i < txs.size(); i++) {
            assertThat(txs.get(i).serialize()).isEqualTo(t.transactions().get(i - 1).data());
        }
    }
}
