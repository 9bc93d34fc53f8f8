package org.stratum4j.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.testing.Json;

/**
 * Real exchanges: public-pool with a Bitaxe ({@code stratum_sessions.json}) and cpuminer's whole
 * session ({@code cpuminer_session.json}). Every line decodes to the right type, and encoding the
 * decoded message gives the same JSON (by meaning) back.
 */
class SessionVectorsTest {

    private static final Map<String, Object> SESSIONS = Json.resource("/vectors/stratum_sessions.json");
    private static final Map<String, Object> CPUMINER = Json.resource("/vectors/cpuminer_session.json");

    private final PoolCodec pool = new PoolCodec();
    private final ClientCodec client = new ClientCodec();

    /** Lines of the real exchanges: {direction, text}. */
    static List<String[]> realLines() {
        List<String[]> lines = new ArrayList<>();
        for (Map<String, Object> e : Json.maps(SESSIONS, "exchanges")) {
            if (e.containsKey("messages")) {
                for (Map<String, Object> m : Json.maps(e, "messages")) {
                    lines.add(new String[] {(String) m.get("dir"), JsonText.of(m.get("json"))});
                }
            }
            if (e.containsKey("json")) {
                lines.add(new String[] {"pool->miner", (String) e.get("json")});
            }
        }
        for (Map<String, Object> m : Json.maps(CPUMINER, "exchange")) {
            lines.add(new String[] {(String) m.get("dir"), (String) m.get("line")});
        }
        return lines;
    }

    @TestFactory
    Stream<DynamicTest> everyRealLineDecodesAndReencodesToTheSameJson() {
        List<String[]> lines = realLines();
        assertThat(lines).hasSizeGreaterThan(500);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String dir = lines.get(i)[0];
            String text = lines.get(i)[1];
            tests.add(dynamicTest(i + " " + dir + " " + text.substring(0, Math.min(60, text.length())), () -> {
                String again;
                if (dir.equals("miner->pool")) {
                    MinerMessage m = pool.decode(text);
                    assertThat(m).isNotInstanceOf(DecodeError.class).isNotInstanceOf(UnknownMethod.class);
                    if (m instanceof Submit) {
                        assertThat(((Submit) m).isWellFormed()).as(((Submit) m).paramsError()).isTrue();
                    }
                    again = new String(client.encode(m), java.nio.charset.StandardCharsets.UTF_8);
                    assertThat(pool.decode(again)).isEqualTo(m);
                } else {
                    PoolMessage m = client.decode(text);
                    assertThat(m).isNotInstanceOf(DecodeError.class).isNotInstanceOf(UnknownMethod.class);
                    again = new String(pool.encode(m), java.nio.charset.StandardCharsets.UTF_8);
                    assertThat(client.decode(again)).isEqualTo(m);
                }
                assertThat(again).endsWith("\n");
                assertThat(JsonSemantics.normal(again.trim())).isEqualTo(JsonSemantics.normal(text));
            }));
        }
        return tests.stream();
    }

    @Test
    void bitaxeNotifyAndSubmitDecodeToTheirValues() {
        Map<String, Object> ex = Json.maps(SESSIONS, "exchanges").get(0);
        List<Map<String, Object>> msgs = Json.maps(ex, "messages");
        Notify n = (Notify) client.decode(JsonText.of(msgs.get(8).get("json")));
        assertThat(n.jobId()).isEqualTo("1");
        assertThat(n.prevHash().toDisplayHex()).isEqualTo("00000000000000022246451e9af7ac4f8bff2527d223f6e623740e92171592f2");
        assertThat(n.merkleBranch().size()).isEqualTo(3);
        assertThat(n.version()).isEqualTo(0x20000000);
        assertThat(n.nbits().toHex()).isEqualTo("192495f8");
        assertThat(n.ntime()).isEqualTo(0x64b3f3ec);
        assertThat(n.cleanJobs()).isFalse();

        Submit s = (Submit) pool.decode(JsonText.of(msgs.get(9).get("json")));
        assertThat(s.id()).isEqualTo(RequestId.of(5));
        assertThat(s.worker()).isEqualTo("tb1qumezefzdeqqwn5zfvgdrhxjzc5ylr39uhuxcz4.bitaxe3");
        assertThat(s.jobId()).isEqualTo("1");
        assertThat(Hex.encode(s.extranonce2())).isEqualTo("c7080000");
        assertThat(s.ntime()).isEqualTo(0x64b3f3ec);
        assertThat(s.nonce()).isEqualTo(0xed460d91);
        assertThat(s.hasVersionBits()).isTrue();
        assertThat(s.versionBits()).isEqualTo(0x00002000);

        Configure c = (Configure) pool.decode(JsonText.of(msgs.get(2).get("json")));
        assertThat(c.extensions()).containsExactly("version-rolling");
        assertThat(c.versionRollingMask()).isEqualTo(0xffffffff);

        SuggestDifficulty d = (SuggestDifficulty) pool.decode(JsonText.of(msgs.get(4).get("json")));
        assertThat(d.difficulty()).isEqualTo(Difficulty.of(512));

        Response sub = (Response) client.decode(JsonText.of(msgs.get(1).get("json")));
        assertThat(sub.error()).isNull();
        assertThat(sub.result()).isInstanceOf(JsonValue.Array.class);
    }

    @Test
    void espMinerNotifyParse() {
        Map<String, Object> ex = Json.maps(SESSIONS, "exchanges").get(3);
        Map<String, Object> expected = Json.asMap(ex.get("expected"));
        Notify n = (Notify) client.decode((String) ex.get("json"));
        assertThat(n.jobId()).isEqualTo(expected.get("job_id"));
        assertThat(StratumPrevHash.toStratumHex(n.prevHash())).isEqualTo(expected.get("prevhash"));
        assertThat(n.prevHash().toDisplayHex()).isEqualTo(expected.get("prevhash_display"));
        assertThat(n.version()).isEqualTo((int) ((Json.Num) expected.get("version")).asLong());
        assertThat(n.nbits().value()).isEqualTo((int) ((Json.Num) expected.get("nbits")).asLong());
        assertThat(n.ntime()).isEqualTo((int) ((Json.Num) expected.get("ntime")).asLong());
        assertThat(n.cleanJobs()).isEqualTo(expected.get("clean_jobs"));
        assertThat(n.merkleBranch().size()).isEqualTo(((Json.Num) expected.get("merkle_branch_count")).asLong());
    }

    @Test
    void slushNotifyRebuildsTheCoinbaseAndMerkleRoot() {
        Map<String, Object> ex = Json.maps(SESSIONS, "exchanges").get(2);
        Map<String, Object> expected = Json.asMap(ex.get("expected"));
        String line = "{\"id\":null,\"method\":\"mining.notify\",\"params\":" + JsonText.of(ex.get("notify_params")) + "}";
        Notify n = (Notify) client.decode(line);
        byte[] coinbase = n.coinbase(Hex.decode((String) ex.get("extranonce1")), Hex.decode((String) ex.get("extranonce2")));
        assertThat(Hex.encode(coinbase)).isEqualTo(expected.get("coinbase_hex"));
        Sha256Hash root = n.merkleBranch().rootFor(Sha256Hash.twiceOf(coinbase));
        assertThat(root.toInternalHex()).isEqualTo(expected.get("merkle_root_internal"));
        assertThat(n.prevHash().toDisplayHex()).isEqualTo(expected.get("prevhash_display"));
    }

    @TestFactory
    Stream<DynamicTest> prevhashEncodings() {
        return Json.maps(SESSIONS, "prevhash_encodings").stream().map(v -> dynamicTest((String) v.get("display"), () -> {
            Sha256Hash h = Sha256Hash.fromDisplayHex((String) v.get("display"));
            assertThat(StratumPrevHash.toStratumHex(h)).isEqualTo(v.get("stratum"));
            assertThat(StratumPrevHash.fromStratumHex((String) v.get("stratum"))).isEqualTo(h);
        }));
    }

    @Test
    void cpuminerSendsEverySubmitWithId4AndEachDecodes() {
        long submits = Json.maps(CPUMINER, "exchange").stream()
                .filter(m -> "miner->pool".equals(m.get("dir")))
                .map(m -> pool.decode((String) m.get("line")))
                .filter(m -> m instanceof Submit)
                .peek(m -> assertThat(m.id()).isEqualTo(RequestId.of(4)))
                .count();
        assertThat(submits).isEqualTo(250);
    }
}
