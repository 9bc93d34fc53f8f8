package org.stratum4j.core.sv2.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Hex;

/** ElligatorSwift against BIP324's own vectors (copied from the BIP into test resources). */
class EllSwiftTest {

    /** Rows of a BIP324 CSV, as maps from its header's names. */
    static List<Map<String, String>> csv(String name) throws IOException {
        try (InputStream in = EllSwiftTest.class.getResourceAsStream("/vectors/sv2/" + name)) {
            assertThat(in).as(name).isNotNull();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\r?\n");
            String[] header = lines[0].split(",", -1);
            List<Map<String, String>> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String[] cells = lines[i].split(",", -1);
                Map<String, String> row = new HashMap<>();
                for (int c = 0; c < header.length; c++) {
                    row.put(header[c], c < cells.length ? cells[c] : "");
                }
                rows.add(row);
            }
            return rows;
        }
    }

    @Test
    void everyDecodingVectorOfBip324() throws IOException {
        List<Map<String, String>> rows = csv("bip324_ellswift_decode_test_vectors.csv");
        assertThat(rows).hasSize(76);
        for (Map<String, String> r : rows) {
            assertThat(Hex.encode(EllSwift.decodeX(Hex.decode(r.get("ellswift"))))).as(r.get("comment")).isEqualTo(r.get("x"));
        }
    }

    @Test
    void theSharedSecretsOfBip324sPacketEncodingVectors() throws IOException {
        List<Map<String, String>> rows = csv("bip324_packet_encoding_test_vectors.csv");
        assertThat(rows).hasSize(7);
        for (Map<String, String> r : rows) {
            byte[] priv = Hex.decode(r.get("in_priv_ours"));
            byte[] ours = Hex.decode(r.get("in_ellswift_ours"));
            byte[] theirs = Hex.decode(r.get("in_ellswift_theirs"));
            boolean initiating = r.get("in_initiating").equals("1");
            String which = "vector " + r.get("in_idx");
            assertThat(Hex.encode(EllSwift.publicX(priv))).as(which + " our x").isEqualTo(r.get("mid_x_ours"));
            assertThat(Hex.encode(EllSwift.decodeX(ours))).as(which + " our encoding").isEqualTo(r.get("mid_x_ours"));
            assertThat(Hex.encode(EllSwift.decodeX(theirs))).as(which + " their x").isEqualTo(r.get("mid_x_theirs"));
            assertThat(Hex.encode(EllSwift.xOnlyEcdh(theirs, priv))).as(which + " ECDH").isEqualTo(r.get("mid_x_shared"));
            assertThat(Hex.encode(EllSwift.sharedSecret(priv, ours, theirs, initiating))).as(which + " secret")
                    .isEqualTo(r.get("mid_shared_secret"));
        }
    }

    @Test
    void everyInverseVectorOfBip324() throws IOException {
        List<Map<String, String>> rows = csv("bip324_xswiftec_inv_test_vectors.csv");
        assertThat(rows).hasSize(32);
        int found = 0;
        for (Map<String, String> r : rows) {
            java.math.BigInteger u = new java.math.BigInteger(r.get("u"), 16);
            java.math.BigInteger x = new java.math.BigInteger(r.get("x"), 16);
            for (int c = 0; c < 8; c++) {
                java.math.BigInteger t = EllSwift.inverseMap(x, u, c);
                String expected = r.get("case" + c + "_t");
                String which = r.get("comment") + " case " + c;
                if (expected.isEmpty()) {
                    assertThat(t).as(which).isNull();
                } else {
                    assertThat(t).as(which).isNotNull();
                    assertThat(Hex.encode(EllSwift.toBytes(t))).as(which).isEqualTo(expected);
                    assertThat(EllSwift.xSwiftEc(u, t)).as(which + " decodes back").isEqualTo(x);
                    found++;
                }
            }
        }
        assertThat(found).isPositive();
    }

    @Test
    void freshEncodingsDecodeToTheKeyAndBothSidesShareOneSecret() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (int i = 0; i < 20; i++) {
            byte[] a = new byte[32];
            byte[] b = new byte[32];
            random.nextBytes(a);
            random.nextBytes(b);
            a[0] &= 0x7f; // below n
            b[0] &= 0x7f;
            byte[] encodedA = EllSwift.encode(a, random);
            byte[] encodedB = EllSwift.encode(b, random);
            assertThat(EllSwift.decodeX(encodedA)).isEqualTo(EllSwift.publicX(a));
            assertThat(EllSwift.encode(a, random)).as("a fresh encoding each time").isNotEqualTo(encodedA);
            assertThat(EllSwift.sharedSecret(a, encodedA, encodedB, true)).isEqualTo(EllSwift.sharedSecret(b, encodedB, encodedA, false));
        }
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThatThrownBy(() -> EllSwift.decodeX(new byte[63])).hasMessage("an ElligatorSwift encoding is 64 bytes, got 63");
        assertThatThrownBy(() -> EllSwift.xOnlyEcdh(new byte[64], new byte[32])).hasMessage("a private key must be in 1..n-1");
        assertThatThrownBy(() -> EllSwift.publicX(new byte[31])).hasMessage("a private key is 32 bytes, got 31");
        byte[] n = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        assertThatThrownBy(() -> EllSwift.publicX(n)).hasMessage("a private key must be in 1..n-1");
    }
}
