package org.stratum4j.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.ScriptNumber;
import org.stratum4j.core.protocol.StratumPrevHash;
import org.stratum4j.core.testing.Json;

/** The parser against the real templates of {@code gbt.json}, and against broken ones. */
class BlockTemplateParserTest {

    @TestFactory
    Stream<DynamicTest> realTemplatesGiveTheRecomputedValues() {
        return GbtVectors.all().stream().map(v -> dynamicTest((String) v.get("name"), () -> {
            BlockTemplate t = BlockTemplateParser.parse(GbtVectors.gbtJson(v));
            Map<String, Object> e = GbtVectors.expected(v, "expected");
            @SuppressWarnings("unchecked")
            Map<String, Object> gbt = (Map<String, Object>) v.get("gbt");

            List<Map<String, Object>> ids = Json.maps(e, "tx_ids");
            assertThat(t.transactions()).hasSize(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                TemplateTransaction tx = t.transactions().get(i);
                assertThat(tx.txid().toDisplayHex()).isEqualTo(ids.get(i).get("txid"));
                assertThat(tx.wtxid().toDisplayHex()).isEqualTo(ids.get(i).get("wtxid"));
                assertThat(tx.hasWitness()).isEqualTo(ids.get(i).get("has_witness"));
            }
            assertThat(t.coinbaseBranch().toInternalHex()).isEqualTo(Json.strings(e, "coinbase_branch"));
            assertThat(StratumPrevHash.toStratumHex(t.previousBlockHash())).isEqualTo(e.get("prevhash_stratum"));
            assertThat(t.target().toHex()).isEqualTo(e.get("target_from_bits"));
            assertThat(Hex.encode(ScriptNumber.bip34HeightPush(t.height()))).isEqualTo(e.get("bip34_height_push_hex"));
            assertThat(String.format("%08x", t.version())).isEqualTo(e.get("version_hex"));
            assertThat(t.bits().toHex()).isEqualTo(gbt.get("bits"));
            assertThat(t.coinbaseValue()).isEqualTo(((Json.Num) gbt.get("coinbasevalue")).asLong());
            assertThat(t.curTime()).isEqualTo(((Json.Num) gbt.get("curtime")).asLong());
            assertThat(t.minTime()).isEqualTo(((Json.Num) gbt.get("mintime")).asLong());
            assertThat(t.longPollId()).contains((String) gbt.get("longpollid"));
            if (gbt.containsKey("default_witness_commitment")) {
                assertThat(Hex.encode(t.witnessCommitment().orElseThrow().scriptPubKey()))
                        .isEqualTo(gbt.get("default_witness_commitment"));
                assertThat(t.witnessCommitmentMatchesTransactions())
                        .isEqualTo(e.get("default_witness_commitment_matches_transactions"));
            } else {
                assertThat(t.witnessCommitment()).isEmpty();
            }
            long fees = 0;
            for (TemplateTransaction tx : t.transactions()) {
                fees += tx.fee();
            }
            assertThat(fees).isPositive();
        }));
    }

    @Test
    void trimmedFixtureKeepsTheNodesCommitmentNotARecomputedOne() {
        BlockTemplate t = GbtVectors.template("btcpool_testnet_1038222_witness_commitment");
        Map<String, Object> e = GbtVectors.expected(GbtVectors.named("btcpool_testnet_1038222_witness_commitment"), "expected");
        assertThat(t.witnessCommitmentMatchesTransactions()).isFalse();
        assertThat(Hex.encode(t.witnessCommitment().orElseThrow().scriptPubKey()))
                .isNotEqualTo(e.get("witness_commitment_script_hex"))
                .startsWith("6a24aa21a9ed842a6d66");
    }

    @Test
    void preSegwitTemplateWithOnlyHashIsRead() {
        BlockTemplate t = GbtVectors.template("btcpool_testnet_898487");
        assertThat(t.transactions()).hasSize(1);
        assertThat(t.transactions().get(0).txid().toDisplayHex())
                .isEqualTo("bd36bd4fff574b573152e7d4f64adf2bb1c9ab0080a12f8544c351f65aca79ff");
        assertThat(t.coinbaseAux()).isEmpty();
    }

    private static Map<String, Object> gbt(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> gbt = new LinkedHashMap<>((Map<String, Object>) GbtVectors.named(name).get("gbt"));
        return gbt;
    }

    private static Map<String, Object> publicPool() {
        return gbt("public_pool_testnet_2442185");
    }

    private static void assertRejected(Map<String, Object> gbt, String... messageParts) {
        String json = Json.write(gbt);
        var assertion = assertThatThrownBy(() -> BlockTemplateParser.parse(json)).isInstanceOf(IllegalArgumentException.class);
        for (String part : messageParts) {
            assertion.hasMessageContaining(part);
        }
    }

    @Test
    void everyRequiredFieldIsNamedWhenMissing() {
        for (String field : List.of("version", "previousblockhash", "coinbasevalue", "bits", "curtime", "height")) {
            Map<String, Object> g = publicPool();
            g.remove(field);
            assertRejected(g, "missing " + field);
        }
    }

    /** The public-pool template with {@code field} set to {@code value} is refused with a message holding {@code parts}. */
    private static void assertFieldRejected(String field, Object value, String... parts) {
        Map<String, Object> g = publicPool();
        g.put(field, value);
        assertRejected(g, parts);
    }

    @Test
    void malformedFieldsAreNamed() {
        assertFieldRejected("previousblockhash", "zz", "previousblockhash");
        assertFieldRejected("bits", "1d00ff", "bits", "8 hex digits");
        assertFieldRejected("height", "2442185", "height", "must be an integer, found a string");
        assertFieldRejected("height", new Json.Num("0"), "height", "outside 1..");
        assertFieldRejected("coinbasevalue", new Json.Num("2100000000000001"), "coinbasevalue");
        assertFieldRejected("curtime", new Json.Num("1.5e9"), "curtime", "must be an integer");
        assertFieldRejected("version", new Json.Num("99999999999999999999999"), "version", "outside");
        assertFieldRejected("default_witness_commitment", "6a24aa21a9ed00", "default_witness_commitment", "38 bytes");
        assertFieldRejected("target", "00000000000000ff95f800000000000000000000000000000000000000000000", "target", "does not match bits 192495f8");
        assertFieldRejected("transactions", "none", "transactions", "must be an array");
        assertFieldRejected("coinbaseaux", Map.of("flags", "0g"), "coinbaseaux.flags");
    }

    /** The public-pool template with transaction {@code index} changed by {@code change}. */
    private static Map<String, Object> withTransaction(int index, java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> g = publicPool();
        List<Object> txs = new ArrayList<>(Json.asList(g.get("transactions")));
        Map<String, Object> tx = new LinkedHashMap<>(Json.asMap(txs.get(index)));
        change.accept(tx);
        txs.set(index, tx);
        g.put("transactions", txs);
        return g;
    }

    @Test
    void transactionsWhoseIdsDoNotMatchTheirDataAreRefused() {
        Object otherTxid = Json.asMap(Json.asList(publicPool().get("transactions")).get(1)).get("txid");
        assertRejected(withTransaction(2, tx -> tx.put("txid", otherTxid)),
                "transactions[2].txid", "does not match the transaction's data");
        assertRejected(withTransaction(0, tx -> tx.put("hash", tx.get("txid"))), "transactions[0].hash");
        assertRejected(withTransaction(4, tx -> {
            String data = (String) tx.get("data");
            tx.put("data", data.substring(0, data.length() - 2));
        }), "transactions[4].data");
        assertRejected(withTransaction(0, tx -> tx.remove("data")), "transactions[0] has no data");
    }

    @Test
    void witnessTransactionsWithoutCommitmentAreRefused() {
        Map<String, Object> g = publicPool();
        g.remove("default_witness_commitment");
        assertRejected(g, "no default_witness_commitment", "unexpected-witness");
    }

    @Test
    void brokenJsonIsAClearError() {
        String good = GbtVectors.gbtJson(GbtVectors.named("btcpool_testnet_898487"));
        assertThatThrownBy(() -> BlockTemplateParser.parse(good.substring(0, good.length() / 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> BlockTemplateParser.parse(good + "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the closing brace");
        assertThatThrownBy(() -> BlockTemplateParser.parse("[]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> BlockTemplateParser.parse(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> BlockTemplateParser.parse("{\"height\":1,\"height\":2}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duplicate field 'height'");
        assertThatThrownBy(() -> BlockTemplateParser.parse("{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size limit");
    }

    @Test
    void unknownFieldsOfAnyShapeAreSkipped() {
        Map<String, Object> g = publicPool();
        g.put("future_field", Map.of("nested", List.of(1, "two", Map.of())));
        g.put("another", null);
        BlockTemplate t = BlockTemplateParser.parse(Json.write(g));
        assertThat(t.height()).isEqualTo(2442185);
    }
}
