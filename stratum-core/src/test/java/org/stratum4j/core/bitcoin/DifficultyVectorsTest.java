package org.stratum4j.core.bitcoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.math.BigInteger;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.stratum4j.core.testing.Json;

/** nBits, targets and difficulties from {@code difficulty.json}. */
class DifficultyVectorsTest {

    private static final Map<String, Object> FILE = Json.resource("/vectors/difficulty.json");
    /** The vectors' own tolerance for floating difficulty (verify_vectors.py uses rel_tol 1e-12). */
    private static final Percentage REL_1E12 = Percentage.withPercentage(1e-10);

    @Test
    void diff1IsTheExpansionOf1d00ffff() {
        assertThat(Target.DIFF1.toHex()).isEqualTo(FILE.get("pool_diff1_target_hex"));
        assertThat(Target.DIFF1.toBigInteger()).isEqualTo(new BigInteger((String) FILE.get("pool_diff1_target_decimal")));
        assertThat(CompactBits.fromHex("1d00ffff").toTarget()).isEqualTo(Target.DIFF1);
        assertThat(Difficulty.ONE.toTarget()).isEqualTo(Target.DIFF1);
    }

    @TestFactory
    Stream<DynamicTest> realNbitsExpandToTheirTargetAndDifficulty() {
        return Json.maps(FILE, "nbits").stream().map(v -> dynamicTest((String) v.get("bits"), () -> {
            CompactBits bits = CompactBits.fromHex((String) v.get("bits"));
            assertThat(bits.isNegative()).isFalse();
            assertThat(bits.isOverflow()).isFalse();
            Target target = bits.toTarget();
            assertThat(target.toHex()).isEqualTo(v.get("target_hex"));
            assertThat(bits.difficulty()).isCloseTo(((Json.Num) v.get("difficulty")).asDouble(), REL_1E12);
            // Real nBits are already in GetCompact's normal form.
            assertThat(target.toCompactBits()).isEqualTo(bits);
        }));
    }

    @TestFactory
    Stream<DynamicTest> bitcoinCoreCompactEdgeCases() {
        return Json.maps(FILE, "compact_edge_cases").stream().map(v -> dynamicTest((String) v.get("bits"), () -> {
            CompactBits bits = CompactBits.fromHex((String) v.get("bits"));
            assertThat(bits.isNegative()).as("negative").isEqualTo(v.get("negative"));
            assertThat(bits.isOverflow()).as("overflow").isEqualTo(v.get("overflow"));
            if (v.get("target_hex") != null) {
                assertThat(String.format("%064x", bits.magnitude())).isEqualTo(v.get("target_hex"));
            }
            boolean usable = !bits.isNegative() && !bits.isOverflow() && bits.magnitude().signum() > 0;
            if (usable) {
                assertThat(bits.toTarget().toBigInteger()).isEqualTo(bits.magnitude());
            } else {
                assertThatThrownBy(bits::toTarget).isInstanceOf(IllegalStateException.class).hasMessageContaining(bits.toHex());
            }
        }));
    }

    /** GetCompact results asserted by Bitcoin Core's src/test/arith_uint256_tests.cpp. */
    @Test
    void getCompactMatchesBitcoinCore() {
        assertThat(compactOf(0x01123456)).isEqualTo(0x01120000);
        assertThat(compactOf(0x02123456)).isEqualTo(0x02123400);
        assertThat(compactOf(0x03123456)).isEqualTo(0x03123456);
        assertThat(compactOf(0x04123456)).isEqualTo(0x04123456);
        assertThat(compactOf(0x05009234)).isEqualTo(0x05009234);
        assertThat(compactOf(0x20123456)).isEqualTo(0x20123456);
        // "Make sure that we don't generate compacts with the 0x00800000 bit set"
        assertThat(Target.of(BigInteger.valueOf(0x80)).toCompactBits().value()).isEqualTo(0x02008000);
        assertThat(Target.of(BigInteger.ZERO).toCompactBits().value()).isZero();
    }

    private static int compactOf(int bits) {
        return Target.of(CompactBits.of(bits).magnitude()).toCompactBits().value();
    }

    @TestFactory
    Stream<DynamicTest> shareDifficultyGivesFloorOfDiff1OverDifficulty() {
        return Json.maps(FILE, "share_difficulty_to_target").stream().map(v -> dynamicTest((String) v.get("difficulty"), () -> {
            Difficulty d = Difficulty.of((String) v.get("difficulty"));
            assertThat(d.toTarget().toHex()).isEqualTo(v.get("target_hex"));
        }));
    }

    @TestFactory
    Stream<DynamicTest> hashDifficultyIsDiff1OverTheHash() {
        return Json.maps(FILE, "hash_to_share_difficulty").stream().map(v -> dynamicTest((String) v.get("name"), () -> {
            Sha256Hash hash = Sha256Hash.fromDisplayHex((String) v.get("hash"));
            double expected = ((Json.Num) v.get("share_difficulty")).asDouble();
            assertThat(Difficulty.ofHash(hash)).isCloseTo(expected, REL_1E12);
            // And the share meets exactly the targets at or below its own difficulty.
            assertThat(hash.meets(Difficulty.of(Math.floor(expected)).toTarget())).isTrue();
            assertThat(hash.meets(Difficulty.of(Math.ceil(expected * 1.000001)).toTarget())).isFalse();
        }));
    }

    @Test
    void targetComparisonIsExactAtTheBoundary() {
        Target t = Difficulty.of(1024).toTarget();
        byte[] atTarget = t.toBigInteger().toByteArray();
        Sha256Hash equal = Sha256Hash.fromDisplayBytes(leftPad32(atTarget));
        Sha256Hash above = Sha256Hash.fromDisplayBytes(leftPad32(t.toBigInteger().add(BigInteger.ONE).toByteArray()));
        Sha256Hash below = Sha256Hash.fromDisplayBytes(leftPad32(t.toBigInteger().subtract(BigInteger.ONE).toByteArray()));
        assertThat(equal.meets(t)).isTrue();
        assertThat(below.meets(t)).isTrue();
        assertThat(above.meets(t)).isFalse();
        assertThat(Target.MAX.isMetBy(Sha256Hash.fromDisplayHex("f".repeat(64)))).isTrue();
    }

    @Test
    void decimalDifficultiesAreExactAndDoublesUseTheirShortestForm() {
        assertThat(Difficulty.of(0.1).toTarget()).isEqualTo(Difficulty.of("0.1").toTarget());
        assertThat(Difficulty.of(65536.5)).isEqualTo(Difficulty.of("65536.500"));
        assertThat(Difficulty.of("1e3")).isEqualTo(Difficulty.of(1000));
        assertThat(Difficulty.of("1024").toString()).isEqualTo("1024");
        assertThat(Difficulty.of("0.001").toDouble()).isEqualTo(0.001);
        // Tiny difficulties give the all-accepting target instead of overflowing.
        assertThat(Difficulty.of("1e-20").toTarget()).isEqualTo(Target.MAX);
        assertThat(Difficulty.min(Difficulty.of(2), Difficulty.of(1))).isEqualTo(Difficulty.ONE);
        assertThat(Target.DIFF1.difficulty()).isEqualTo(1.0);
        assertThat(Difficulty.of(1024).toTarget().difficulty()).isCloseTo(1024.0, within(1e-9));
    }

    @Test
    void rejectsDifficultiesThatAreNotPositiveFiniteOrInRange() {
        assertThatThrownBy(() -> Difficulty.of(0)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> Difficulty.of(-1.5)).hasMessageContaining("finite positive");
        assertThatThrownBy(() -> Difficulty.of(Double.NaN)).hasMessageContaining("finite positive");
        assertThatThrownBy(() -> Difficulty.of(Double.POSITIVE_INFINITY)).hasMessageContaining("finite positive");
        assertThatThrownBy(() -> Difficulty.of("abc")).hasMessageContaining("positive decimal number");
        assertThatThrownBy(() -> Difficulty.of("1e999999999")).hasMessageContaining("between 1e-80 and 1e80");
        assertThatThrownBy(() -> Difficulty.of("1e-999999999")).hasMessageContaining("between 1e-80 and 1e80");
        assertThatThrownBy(() -> Difficulty.of("9".repeat(300))).hasMessageContaining("positive decimal number");
    }

    @Test
    void rejectsTargetsOutside256Bits() {
        assertThatThrownBy(() -> Target.of(BigInteger.ONE.shiftLeft(256))).hasMessageContaining("unsigned 256-bit");
        assertThatThrownBy(() -> Target.of(BigInteger.valueOf(-1))).hasMessageContaining("unsigned 256-bit");
        assertThat(Target.of(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))).isEqualTo(Target.MAX);
    }

    private static byte[] leftPad32(byte[] bigEndian) {
        byte[] out = new byte[32];
        int n = Math.min(32, bigEndian.length);
        System.arraycopy(bigEndian, bigEndian.length - n, out, 32 - n, n);
        return out;
    }
}
