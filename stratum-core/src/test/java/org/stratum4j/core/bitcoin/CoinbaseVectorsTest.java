package org.stratum4j.core.bitcoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.testing.Json;

/** BIP34 height pushes and BIP141 witness commitments of real coinbases ({@code coinbase.json}). */
class CoinbaseVectorsTest {

    private static final Map<String, Object> FILE = Json.resource("/vectors/coinbase.json");

    @TestFactory
    Stream<DynamicTest> txidIsTheSha256dOfTheStrippedCoinbase() {
        return Json.maps(FILE, "vectors").stream().map(v -> dynamicTest((String) v.get("name"), () ->
                assertThat(Sha256Hash.twiceOf(Hex.decode((String) v.get("coinbase_hex_without_witness"))).toDisplayHex())
                        .isEqualTo(v.get("txid"))));
    }

    @TestFactory
    Stream<DynamicTest> bip34HeightPushStartsTheScriptSig() {
        return Json.maps(FILE, "vectors").stream().filter(v -> v.containsKey("bip34_height")).map(v -> dynamicTest((String) v.get("name"), () -> {
            long height = ((Json.Num) v.get("bip34_height")).asLong();
            byte[] push = ScriptNumber.bip34HeightPush(height);
            assertThat(Hex.encode(push)).isEqualTo(v.get("bip34_height_push_hex"));
            assertThat((String) v.get("script_sig_hex")).startsWith(Hex.encode(push));
        }));
    }

    @TestFactory
    Stream<DynamicTest> theHeightIsReadBackFromTheCoinbasesStart() {
        return Json.maps(FILE, "vectors").stream().filter(v -> v.containsKey("bip34_height")).map(v -> dynamicTest((String) v.get("name"), () -> {
            byte[] coinbase = Hex.decode((String) v.get("coinbase_hex_without_witness"));
            assertThat(org.stratum4j.core.job.Coinbase.bip34Height(coinbase)).hasValue(((Json.Num) v.get("bip34_height")).asLong());
            // coinb1 as a pool cuts it: everything up to a few bytes into the scriptSig is enough.
            assertThat(org.stratum4j.core.job.Coinbase.bip34Height(java.util.Arrays.copyOf(coinbase, 42 + 4)))
                    .hasValue(((Json.Num) v.get("bip34_height")).asLong());
        }));
    }

    @Test
    void smallHeightsAreOpcodesAndAnythingElseIsNoHeight() {
        for (long h : new long[] {0, 1, 16, 17, 127, 128, 255, 256, 32_767, 32_768, 8_388_607, 8_388_608, 900_000}) {
            byte[] script = ScriptNumber.bip34HeightPush(h);
            assertThat(ScriptNumber.readBip34Height(script, 0)).as("height %d", h).hasValue(h);
        }
        assertThat(ScriptNumber.readBip34Height(Hex.decode("03a0bb"), 0)).as("push past the end").isEmpty();
        assertThat(ScriptNumber.readBip34Height(Hex.decode("0180"), 0)).as("negative").isEmpty();
        assertThat(ScriptNumber.readBip34Height(Hex.decode("4c01"), 0)).as("PUSHDATA1").isEmpty();
        assertThat(org.stratum4j.core.job.Coinbase.bip34Height(new byte[10])).isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> witnessCommitmentFromAllWtxids() {
        return Json.maps(FILE, "vectors").stream().filter(v -> v.containsKey("witness_commitment")).map(v -> dynamicTest((String) v.get("name"), () -> {
            List<Sha256Hash> wtxids = Json.strings(v, "wtxids").stream().map(Sha256Hash::fromDisplayHex).collect(Collectors.toList());
            assertThat(wtxids.get(0)).as("coinbase wtxid placeholder").isEqualTo(Sha256Hash.ZERO);
            assertThat(MerkleTree.root(wtxids).toInternalHex()).isEqualTo(v.get("witness_merkle_root_internal"));

            Sha256Hash reserved = Sha256Hash.fromInternalHex((String) v.get("witness_reserved_value_hex"));
            WitnessCommitment commitment = WitnessCommitment.fromWtxids(wtxids.subList(1, wtxids.size()), reserved);
            Map<String, Object> expected = Json.asMap(v.get("witness_commitment"));
            assertThat(commitment.hash().toInternalHex()).isEqualTo(expected.get("commitment_hex"));
            assertThat(Hex.encode(commitment.scriptPubKey())).isEqualTo(expected.get("script_pubkey_hex"));
            assertThat(WitnessCommitment.fromWtxids(wtxids.subList(1, wtxids.size()))).as("zero reserved value by default").isEqualTo(commitment);
            assertThat(WitnessCommitment.fromScript(Hex.decode((String) expected.get("script_pubkey_hex")))).isEqualTo(commitment);
            // The commitment output really is in the coinbase.
            assertThat((String) v.get("coinbase_hex")).contains((String) expected.get("script_pubkey_hex"));
        }));
    }

    @Test
    void commitmentScriptMustHaveTheBip141Header() {
        assertThatThrownBy(() -> WitnessCommitment.fromScript(Hex.decode("6a24aa21a9ee" + "00".repeat(32))))
                .hasMessageContaining("starting 6a24aa21a9ed");
        assertThatThrownBy(() -> WitnessCommitment.fromScript(Hex.decode("6a24aa21a9ed" + "00".repeat(31))))
                .hasMessageContaining("38 bytes");
    }
}
