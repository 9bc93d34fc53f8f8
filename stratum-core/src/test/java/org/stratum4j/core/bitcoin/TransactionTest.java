package org.stratum4j.core.bitcoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.stratum4j.core.testing.Json;

/** Transaction parsing against real blocks ({@code blocks.json}) and coinbases ({@code coinbase.json}). */
class TransactionTest {

    private static final Map<String, Object> BLOCKS = Json.resource("/vectors/blocks.json");
    private static final Map<String, Object> COINBASES = Json.resource("/vectors/coinbase.json");

    private static List<Transaction> transactionsOf(Map<String, Object> v) {
        List<Transaction> txs = new ArrayList<>();
        txs.add(Transaction.fromHex((String) v.get("coinbase_hex")));
        for (String hex : Json.strings(v, "transactions_hex")) {
            txs.add(Transaction.fromHex(hex));
        }
        return txs;
    }

    @TestFactory
    Stream<DynamicTest> txidsOfEveryTransactionGiveTheHeadersMerkleRoot() {
        return Json.maps(BLOCKS, "vectors").stream().map(v -> dynamicTest((String) v.get("name"), () -> {
            List<Transaction> txs = transactionsOf(v);
            assertThat(txs).hasSize((int) ((Json.Num) v.get("tx_count")).asLong());
            List<Sha256Hash> txids = new ArrayList<>();
            for (Transaction tx : txs) {
                txids.add(tx.txid());
            }
            BlockHeader header = BlockHeader.fromHex((String) v.get("header_hex"));
            assertThat(MerkleTree.root(txids)).isEqualTo(header.merkleRoot());
            assertThat(txs.get(0).isCoinbase()).isTrue();
            assertThat(txs.subList(1, txs.size())).noneMatch(Transaction::isCoinbase);
        }));
    }

    @TestFactory
    Stream<DynamicTest> coinbaseIdsAndFieldsMatchTheParsedVectors() {
        return Json.maps(COINBASES, "vectors").stream().map(v -> dynamicTest((String) v.get("name"), () -> {
            Transaction tx = Transaction.fromHex((String) v.get("coinbase_hex"));
            assertThat(tx.txid().toDisplayHex()).isEqualTo(v.get("txid"));
            assertThat(Hex.encode(tx.inputs().get(0).scriptSig())).isEqualTo(v.get("script_sig_hex"));
            assertThat(tx.isCoinbase()).isTrue();
            List<Map<String, Object>> outputs = Json.maps(v, "outputs");
            assertThat(tx.outputs()).hasSize(outputs.size());
            for (int i = 0; i < outputs.size(); i++) {
                assertThat(tx.outputs().get(i).value()).isEqualTo(((Json.Num) outputs.get(i).get("value_sats")).asLong());
                assertThat(Hex.encode(tx.outputs().get(i).scriptPubKey())).isEqualTo(outputs.get(i).get("script_pubkey_hex"));
            }
            assertThat(Hex.encode(tx.serializeWithoutWitness())).isEqualTo(v.get("coinbase_hex_without_witness"));
            boolean segwit = v.containsKey("witness_reserved_value_hex");
            assertThat(tx.hasWitness()).isEqualTo(segwit);
            if (segwit) {
                assertThat(tx.inputs().get(0).witness()).hasSize(1);
                assertThat(Hex.encode(tx.inputs().get(0).witness().get(0))).isEqualTo(v.get("witness_reserved_value_hex"));
                assertThat(tx.strippedSize()).isEqualTo(((String) v.get("coinbase_hex_without_witness")).length() / 2);
                assertThat(tx.weight()).isEqualTo(tx.strippedSize() * 3L + tx.size());
            } else {
                assertThat(tx.wtxid()).isEqualTo(tx.txid());
            }
        }));
    }

    @Test
    void wtxidsOfTestnetBlockMatchTheCoinbaseVectorsList() {
        Map<String, Object> block = Json.maps(BLOCKS, "vectors").stream()
                .filter(v -> v.get("name").equals("testnet3_block_924634")).findFirst().orElseThrow();
        Map<String, Object> cb = Json.maps(COINBASES, "vectors").stream()
                .filter(v -> v.get("name").equals("testnet3_block_924634_ckpool_segwit")).findFirst().orElseThrow();
        List<String> wtxids = Json.strings(cb, "wtxids");
        List<Transaction> txs = transactionsOf(block);
        for (int i = 1; i < txs.size(); i++) {
            assertThat(txs.get(i).wtxid().toDisplayHex()).as("wtxid %d", i).isEqualTo(wtxids.get(i));
        }
        assertThat(txs).anyMatch(Transaction::hasWitness).anyMatch(t -> !t.hasWitness());
        assertThat(txs.stream().filter(Transaction::hasWitness)).allMatch(t -> !t.wtxid().equals(t.txid()));
    }

    @Test
    void serializeGivesBackTheBytes() {
        String hex = Json.strings(Json.maps(BLOCKS, "vectors").get(0), "transactions_hex").get(0);
        assertThat(Hex.encode(Transaction.fromHex(hex).serialize())).isEqualTo(hex);
    }

    @Test
    void truncatedAndTrailingBytesAreRefusedWithTheField() {
        String hex = Json.strings(Json.maps(BLOCKS, "vectors").get(0), "transactions_hex").get(0);
        for (int cut = 0; cut < hex.length(); cut += 2) {
            String prefix = hex.substring(0, cut);
            assertThatThrownBy(() -> Transaction.fromHex(prefix)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("transaction");
        }
        assertThatThrownBy(() -> Transaction.fromHex(hex + "00"))
                .hasMessageContaining("1 more bytes follow");
    }

    @Test
    void hugeCountsAreRefusedBeforeAnyAllocation() {
        // version, then an input count of 2^32-1 in a 10-byte buffer.
        assertThatThrownBy(() -> Transaction.fromHex("01000000feffffffff00"))
                .hasMessageContaining("input count").hasMessageContaining("more than the remaining");
        // one input with a scriptSig claiming 4 GiB.
        String in = "01" + "00".repeat(32) + "00000000" + "feffffffff";
        assertThatThrownBy(() -> Transaction.fromHex("01000000" + in))
                .hasMessageContaining("scriptSig").hasMessageContaining("claims 4294967295 bytes");
    }

    @Test
    void segwitMarkerRulesFollowBitcoinCore() {
        String body = "01" + "11".repeat(32) + "00000000" + "00" + "ffffffff" + "01" + "0000000000000000" + "0151";
        // Unknown flag.
        assertThatThrownBy(() -> Transaction.fromHex("02000000" + "0002" + body + "00" + "00000000"))
                .hasMessageContaining("flag 02");
        // Marker present but every witness empty: superfluous witness record.
        assertThatThrownBy(() -> Transaction.fromHex("02000000" + "0001" + body + "00" + "00000000"))
                .hasMessageContaining("superfluous witness record");
        Transaction withWitness = Transaction.fromHex("02000000" + "0001" + body + "01" + "01aa" + "00000000");
        Transaction legacy = Transaction.fromHex("02000000" + body + "00000000");
        assertThat(withWitness.txid()).isEqualTo(legacy.txid());
        assertThat(withWitness.wtxid()).isNotEqualTo(legacy.wtxid());
        assertThat(withWitness.inputs().get(0).witness()).hasSize(1);
        assertThat(legacy.isCoinbase()).isFalse();
    }

    @Test
    void noInputsIsRefused() {
        assertThatThrownBy(() -> Transaction.fromHex("01000000" + "00"))
                .hasMessageContaining("no inputs");
        // Zero inputs followed by a zero byte reads as a segwit marker with an undefined flag.
        assertThatThrownBy(() -> Transaction.fromHex("01000000" + "00" + "00" + "00000000"))
                .hasMessageContaining("flag 00");
    }
}
