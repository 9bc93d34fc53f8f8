package org.stratum4j.core.bitcoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.stratum4j.core.testing.Json;

/** Real mainnet/testnet headers from {@code headers.json}: parse, serialize, hash, proof of work. */
class HeaderVectorsTest {

    private static final Map<String, Object> FILE = Json.resource("/vectors/headers.json");

    @TestFactory
    Stream<DynamicTest> everyHeaderParsesSerializesAndHashes() {
        return Json.maps(FILE, "vectors").stream().map(v -> dynamicTest((String) v.get("name"), () -> {
            String hex = (String) v.get("header_hex");
            BlockHeader parsed = BlockHeader.fromHex(hex);

            assertThat(parsed.version()).isEqualTo((int) ((Json.Num) v.get("version")).asLong());
            assertThat(String.format("%08x", parsed.version())).isEqualTo(v.get("version_hex"));
            assertThat(parsed.prevHash().toDisplayHex()).isEqualTo(v.get("prev_hash"));
            assertThat(parsed.merkleRoot().toDisplayHex()).isEqualTo(v.get("merkle_root"));
            assertThat(parsed.time()).isEqualTo(((Json.Num) v.get("time")).asLong());
            assertThat(parsed.bits().toHex()).isEqualTo(v.get("bits"));
            assertThat(parsed.nonce()).isEqualTo(((Json.Num) v.get("nonce")).asLong());

            BlockHeader built = BlockHeader.of(parsed.version(),
                    Sha256Hash.fromDisplayHex((String) v.get("prev_hash")),
                    Sha256Hash.fromDisplayHex((String) v.get("merkle_root")),
                    ((Json.Num) v.get("time")).asLong(),
                    CompactBits.fromHex((String) v.get("bits")),
                    ((Json.Num) v.get("nonce")).asLong());
            assertThat(built.toHex()).isEqualTo(hex);
            assertThat(built).isEqualTo(parsed);

            assertThat(built.hash().toDisplayHex()).isEqualTo(v.get("hash"));
            assertThat(built.meetsOwnTarget()).as("a real block meets its own nBits").isTrue();
            // One nonce later the hash is, with overwhelming likelihood, far above the target.
            assertThat(built.withNonce((built.nonce() + 1) & 0xffffffffL).meetsOwnTarget()).isFalse();
        }));
    }

    @Test
    void versionRollingVectorCombinesBaseAndRolledBitsUnderTheMask() {
        Map<String, Object> v = Json.maps(FILE, "vectors").stream()
                .filter(m -> m.containsKey("version_rolling_mask")).findFirst().orElseThrow();
        int mask = (int) Long.parseLong((String) v.get("version_rolling_mask"), 16);
        int base = (int) Long.parseLong((String) v.get("version_base"), 16);
        int rolled = (int) Long.parseLong((String) v.get("version_rolled_bits"), 16);
        int version = (base & ~mask) | (rolled & mask);
        assertThat(version).isEqualTo(BlockHeader.fromHex((String) v.get("header_hex")).version());
        assertThat(rolled & ~mask).as("rolled bits stay inside the mask").isZero();
    }

    @Test
    void rejectsWrongLengthsAndOutOfRangeFields() {
        assertThatThrownBy(() -> BlockHeader.parse(new byte[79])).hasMessageContaining("80 bytes, got 79");
        assertThatThrownBy(() -> BlockHeader.fromHex("00")).hasMessageContaining("160 hex digits");
        assertThatThrownBy(() -> BlockHeader.of(1, Sha256Hash.ZERO, Sha256Hash.ZERO, 1L << 32, CompactBits.of(0x1d00ffff), 0))
                .hasMessageContaining("time must be an unsigned 32-bit value");
        assertThatThrownBy(() -> BlockHeader.of(1, Sha256Hash.ZERO, Sha256Hash.ZERO, 0, CompactBits.of(0x1d00ffff), -1))
                .hasMessageContaining("nonce must be an unsigned 32-bit value");
    }

    @Test
    void timeAndNonceAboveTwoToThe31SurviveTheRoundTrip() {
        BlockHeader h = BlockHeader.of(0x20000000, Sha256Hash.ZERO, Sha256Hash.ZERO, 0xfffffffeL, CompactBits.of(0x207fffff), 0xffffffffL);
        BlockHeader back = BlockHeader.parse(h.serialize());
        assertThat(back.time()).isEqualTo(0xfffffffeL);
        assertThat(back.nonce()).isEqualTo(0xffffffffL);
        assertThat(h.toHex()).endsWith("feffffff" + "ffff7f20" + "ffffffff");
    }
}
