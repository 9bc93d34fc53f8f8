package org.stratum4j.core.bitcoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hex, byte order of {@link Sha256Hash}, SHA-256 known answers and the midstate. */
class HashingTest {

    private static final String GENESIS_DISPLAY = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

    @Test
    void displayAndInternalOrderAreReversesOfEachOther() {
        Sha256Hash h = Sha256Hash.fromDisplayHex(GENESIS_DISPLAY);
        assertThat(h.toDisplayHex()).isEqualTo(GENESIS_DISPLAY);
        assertThat(h.toInternalHex()).isEqualTo("6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000");
        assertThat(Sha256Hash.fromInternalHex(h.toInternalHex())).isEqualTo(h);
        assertThat(Sha256Hash.fromInternalBytes(h.internalBytes())).isEqualTo(h);
        assertThat(Sha256Hash.fromDisplayBytes(h.displayBytes())).isEqualTo(h);
        assertThat(h.toString()).isEqualTo(GENESIS_DISPLAY);
        assertThat(h.toBigInteger().toString(16)).isEqualTo(GENESIS_DISPLAY.replaceFirst("^0+", ""));
        // Accessors copy: changing the array handed out does not change the hash.
        byte[] b = h.internalBytes();
        b[0] ^= 1;
        assertThat(h.toDisplayHex()).isEqualTo(GENESIS_DISPLAY);
    }

    @Test
    void sha256KnownAnswers() {
        // FIPS 180-2 "abc" and the empty string.
        assertThat(Hex.encode(Sha256.hash("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Hex.encode(Sha256.hash(new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Sha256Hash.twiceOf(new byte[0]).toInternalHex())
                .isEqualTo("5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456");
    }

    @Test
    void midstateFinishesLikeHashingTheWholeMessage() {
        Random random = new Random(42);
        Sha256Hasher hasher = new Sha256Hasher();
        // Prefix lengths around the 64-byte block boundary matter most.
        for (int prefixLen : new int[] {0, 1, 55, 56, 63, 64, 65, 119, 128, 200}) {
            byte[] prefix = new byte[prefixLen];
            random.nextBytes(prefix);
            Sha256Midstate midstate = Sha256Midstate.of(prefix);
            assertThat(midstate.prefixLength()).isEqualTo(prefixLen);
            for (int suffixLen : new int[] {0, 1, 8, 63, 64, 100}) {
                byte[] suffix = new byte[suffixLen];
                random.nextBytes(suffix);
                byte[] whole = concat(prefix, suffix);

                assertThat(midstate.finishSha256(suffix)).isEqualTo(Sha256.hash(whole));
                assertThat(midstate.finishSha256d(suffix)).isEqualTo(Sha256Hash.twiceOf(whole));

                byte[] out = new byte[40];
                hasher.sha256d(midstate, concat(new byte[3], suffix), 3, suffixLen, out, 5);
                assertThat(Arrays.copyOfRange(out, 5, 37)).isEqualTo(Sha256Hash.twiceOf(whole).internalBytes());
            }
            // Finishing does not disturb the stored state.
            assertThat(midstate.finishSha256(new byte[0])).isEqualTo(Sha256.hash(prefix));
        }
    }

    @Test
    void hasherWritesInPlaceAndMatchesTheConvenienceMethods() {
        Sha256Hasher hasher = new Sha256Hasher();
        byte[] buf = "hello stratum".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = Sha256.hashTwice(buf, 0, buf.length);
        byte[] big = Arrays.copyOf(buf, 64);
        hasher.sha256d(big, 0, buf.length, big, 0);
        assertThat(Arrays.copyOf(big, 32)).isEqualTo(expected);
        assertThatThrownBy(() -> hasher.sha256d(buf, 0, buf.length, new byte[31], 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void hexAcceptsEitherCaseAndExplainsErrors() {
        assertThat(Hex.decode("00ffAB")).containsExactly(0x00, 0xff, 0xab);
        assertThat(Hex.encode(new byte[] {(byte) 0xde, (byte) 0xad})).isEqualTo("dead");
        assertThatThrownBy(() -> Hex.decode("abc")).hasMessageContaining("odd length");
        assertThatThrownBy(() -> Hex.decode("zz")).hasMessageContaining("not a hex digit at position 0: 'z'");
        assertThatThrownBy(() -> Hex.decode("0\u00e9")).hasMessageContaining("\\u00e9");
        assertThatThrownBy(() -> Sha256Hash.fromDisplayHex("00")).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> CompactBits.fromHex("1d00fff")).hasMessageContaining("nbits must be 8 hex digits");
        assertThatThrownBy(() -> Sha256Hash.fromInternalBytes(new byte[31])).hasMessageContaining("32 bytes, got 31");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
