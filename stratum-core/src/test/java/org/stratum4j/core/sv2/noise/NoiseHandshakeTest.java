package org.stratum4j.core.sv2.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Hex;

/** The handshake, certificates, keys and encrypted frames, against vectors and against tampering. */
class NoiseHandshakeTest {

    private static final long NOW = 1_790_000_000L;
    private final SecureRandom random = new SecureRandom();
    private final Secp256k1KeyPair authority = Secp256k1KeyPair.generate(random);
    private final ServerIdentity identity = ServerIdentity.issue(authority, NOW - 3600, 86_400, random);

    /** A SecureRandom that hands out fixed bytes: the aux_rand of a BIP340 vector. */
    private static SecureRandom fixed(byte[] bytes) {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] out) {
                System.arraycopy(bytes, 0, out, 0, Math.min(bytes.length, out.length));
            }
        };
    }

    @Test
    void protocolNameHashIsTheOneSriHardCodes() {
        // noise-sv2's NOISE_HASHED_PROTOCOL_NAME_CHACHA, as decimal bytes in its lib.rs.
        int[] sri = {46, 180, 120, 129, 32, 142, 158, 238, 31, 102, 159, 103, 198, 110, 231, 14, 169, 234, 136, 9,
            13, 80, 63, 232, 48, 220, 75, 200, 62, 41, 191, 16};
        byte[] expected = new byte[32];
        for (int i = 0; i < 32; i++) {
            expected[i] = (byte) sri[i];
        }
        assertThat(SymmetricState.protocolNameHash()).isEqualTo(expected);
    }

    @Test
    void authorityKeyTextIsTheSpecsExample() {
        // 04-Protocol-Security.md, 4.7.1.
        int[] raw = {118, 99, 112, 0, 151, 156, 28, 17, 175, 12, 48, 11, 205, 140, 127, 228, 134, 16, 252, 233, 185, 193, 30, 61,
            174, 227, 90, 224, 176, 138, 116, 85};
        byte[] x = new byte[32];
        for (int i = 0; i < 32; i++) {
            x[i] = (byte) raw[i];
        }
        XOnlyPublicKey key = XOnlyPublicKey.of(x);
        assertThat(key.toBase58Check()).isEqualTo("9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXh");
        assertThat(XOnlyPublicKey.fromBase58Check("9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXh")).isEqualTo(key);
        assertThatThrownBy(() -> XOnlyPublicKey.fromBase58Check("9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXj"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XOnlyPublicKey.fromBase58Check(org.stratum4j.core.bitcoin.Base58.encodeChecked(x)))
                .hasMessageContaining("34 bytes");
    }

    @Test
    void everyBip340Vector() throws IOException {
        List<Map<String, String>> rows = EllSwiftTest.csv("bip340_test_vectors.csv");
        assertThat(rows).hasSizeGreaterThanOrEqualTo(15);
        for (Map<String, String> r : rows) {
            String what = "vector " + r.get("index") + " " + r.get("comment");
            byte[] message = Hex.decode(r.get("message").toLowerCase());
            byte[] signature = Hex.decode(r.get("signature").toLowerCase());
            boolean valid = r.get("verification result").equals("TRUE");
            if (!r.get("secret key").isEmpty()) {
                Secp256k1KeyPair key = Secp256k1KeyPair.fromPrivateKey(Hex.decode(r.get("secret key").toLowerCase()));
                assertThat(key.publicKey().toString()).as(what).isEqualToIgnoringCase(r.get("public key"));
                assertThat(key.sign(message, fixed(Hex.decode(r.get("aux_rand").toLowerCase())))).as(what).isEqualTo(signature);
            }
            XOnlyPublicKey key;
            try {
                key = XOnlyPublicKey.of(Hex.decode(r.get("public key").toLowerCase()));
            } catch (IllegalArgumentException notOnCurve) {
                assertThat(valid).as(what).isFalse();
                continue;
            }
            assertThat(key.verify(message, signature)).as(what).isEqualTo(valid);
        }
    }

    @Test
    void certificateVerifiesOnlyForItsKeyAuthorityAndWindow() {
        Certificate c = identity.certificate();
        XOnlyPublicKey server = identity.staticKey().publicKey();
        assertThat(c.verify(authority.publicKey(), server, NOW)).isTrue();
        assertThat(Certificate.decode(c.encode())).isEqualTo(c);
        assertThat(c.encode()).hasSize(74);
        assertThat(c.verify(Secp256k1KeyPair.generate(random).publicKey(), server, NOW)).isFalse();
        assertThat(c.verify(authority.publicKey(), Secp256k1KeyPair.generate(random).publicKey(), NOW)).isFalse();
        assertThat(c.verify(authority.publicKey(), server, c.notValidAfter() + 10)).isTrue();
        assertThat(c.verify(authority.publicKey(), server, c.notValidAfter() + 11)).isFalse();
        assertThat(c.verify(authority.publicKey(), server, c.validFrom() - 11)).isFalse();
        byte[] tampered = c.encode();
        tampered[6] ^= 1; // not_valid_after, a signed field
        assertThat(Certificate.decode(tampered).verify(authority.publicKey(), server, NOW)).isFalse();
    }

    @Test
    void handshakeGivesBothSidesTheSameSessionAndFramesFlowBothWays() throws Exception {
        NoiseInitiator initiator = new NoiseInitiator(authority.publicKey(), random);
        NoiseResponder responder = new NoiseResponder(identity, random);
        byte[] act1 = initiator.writeAct1();
        assertThat(act1).hasSize(64);
        byte[] act2 = responder.readAct1WriteAct2(act1);
        assertThat(act2).hasSize(234);
        NoiseSession client = initiator.readAct2(act2, NOW);
        NoiseSession server = responder.session();
        assertThat(client.handshakeHash()).isEqualTo(server.handshakeHash());
        assertThat(initiator.serverKey()).isEqualTo(identity.staticKey().publicKey());

        for (int size : new int[] {0, 1, 100, 65_519, 65_520, 200_000}) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            assertThat(roundTrip(client, server, 0x8000, 0x1a, payload)).as("client to server, %d bytes", size).isEqualTo(payload);
            assertThat(roundTrip(server, client, 0, 0x01, payload)).as("server to client, %d bytes", size).isEqualTo(payload);
        }
    }

    @Test
    void encryptedLengthsFollowTheSpecsFormula() {
        assertThat(NoiseSession.encryptedPayloadLength(0)).isZero();
        assertThat(NoiseSession.encryptedPayloadLength(1)).isEqualTo(17);
        assertThat(NoiseSession.encryptedPayloadLength(65_519)).isEqualTo(65_535);
        assertThat(NoiseSession.encryptedPayloadLength(65_520)).isEqualTo(65_535 + 17);
        assertThat(NoiseSession.encryptedFrameLength(10)).isEqualTo(22 + 26);
    }

    @Test
    void wrongAuthorityIsRefused() {
        NoiseInitiator initiator = new NoiseInitiator(Secp256k1KeyPair.generate(random).publicKey(), random);
        byte[] act2 = respond(initiator.writeAct1(), identity);
        assertThatThrownBy(() -> initiator.readAct2(act2, NOW)).isInstanceOf(NoiseException.class).hasMessageContaining("not signed");
    }

    @Test
    void expiredAndFutureCertificatesAreRefused() {
        ServerIdentity old = ServerIdentity.issue(authority, NOW - 7200, 3600, random);
        NoiseInitiator initiator = new NoiseInitiator(authority.publicKey(), random);
        byte[] act2 = respond(initiator.writeAct1(), old);
        assertThatThrownBy(() -> initiator.readAct2(act2, NOW)).isInstanceOf(NoiseException.class).hasMessageContaining("not now");

        ServerIdentity future = ServerIdentity.issue(authority, NOW + 3600, 3600, random);
        NoiseInitiator second = new NoiseInitiator(authority.publicKey(), random);
        byte[] act2b = respond(second.writeAct1(), future);
        assertThatThrownBy(() -> second.readAct2(act2b, NOW)).isInstanceOf(NoiseException.class).hasMessageContaining("not now");
    }

    @Test
    void aFlippedBitAnywhereInActTwoFailsTheHandshake() throws Exception {
        // Bits in the ephemeral key change the keys (the next tag fails); bits in ciphertexts fail their tags.
        for (int at : new int[] {0, 63, 64, 100, 143, 144, 200, 233}) {
            NoiseInitiator initiator = new NoiseInitiator(authority.publicKey(), random);
            byte[] act2 = respond(initiator.writeAct1(), identity);
            act2[at] ^= 0x10;
            assertThatThrownBy(() -> initiator.readAct2(act2, NOW)).as("bit flipped in byte %d", at).isInstanceOf(NoiseException.class);
        }
    }

    @Test
    void truncatedOrOversizedActsAreRefused() throws Exception {
        NoiseResponder responder = new NoiseResponder(identity, random);
        assertThatThrownBy(() -> responder.readAct1WriteAct2(new byte[63])).isInstanceOf(NoiseException.class).hasMessageContaining("64 bytes");
        NoiseInitiator initiator = new NoiseInitiator(authority.publicKey(), random);
        byte[] act2 = respond(initiator.writeAct1(), identity);
        assertThatThrownBy(() -> initiator.readAct2(Arrays.copyOf(act2, 170), NOW)).isInstanceOf(NoiseException.class)
                .hasMessageContaining("234 bytes");
    }

    @Test
    void garbageActOneGivesAnActTwoThatNoOneCanRead() throws Exception {
        // Every 64 bytes decode to a curve point, so the responder answers; only the key's owner could continue.
        byte[] garbage = "GET / HTTP/1.1\r\nHost: pool.example1\r\nUser-Agent: curl/8.15.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(garbage).hasSize(64);
        NoiseResponder responder = new NoiseResponder(identity, random);
        assertThat(responder.readAct1WriteAct2(garbage)).hasSize(234);
    }

    @Test
    void tamperedOrReplayedFramesAreRefused() throws Exception {
        NoiseInitiator initiator = new NoiseInitiator(authority.publicKey(), random);
        NoiseResponder responder = new NoiseResponder(identity, random);
        NoiseSession client = initiator.readAct2(responder.readAct1WriteAct2(initiator.writeAct1()), NOW);
        NoiseSession server = responder.session();
        byte[] frame = encrypt(client, 0, 0x10, "hello".getBytes(StandardCharsets.US_ASCII));
        byte[] flipped = frame.clone();
        flipped[25] ^= 1;
        byte[] header = new byte[6];
        server.decryptHeader(flipped, 0, header);
        byte[] out = new byte[5];
        assertThatThrownBy(() -> server.decryptPayload(flipped, 22, 5, out, 0)).isInstanceOf(NoiseException.class);

        // Replay: the same frame again fails, the nonce has moved on.
        byte[] second = encrypt(client, 0, 0x10, "again".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> server.decryptHeader(frame, 0, header)).isInstanceOf(NoiseException.class);
        assertThat(second).hasSize(22 + 21);
    }

    private byte[] respond(byte[] act1, ServerIdentity id) {
        try {
            return new NoiseResponder(id, random).readAct1WriteAct2(act1);
        } catch (NoiseException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] encrypt(NoiseSession from, int extension, int type, byte[] payload) {
        byte[] header = {(byte) extension, (byte) (extension >>> 8), (byte) type, (byte) payload.length,
            (byte) (payload.length >>> 8), (byte) (payload.length >>> 16)};
        byte[] out = new byte[NoiseSession.encryptedFrameLength(payload.length)];
        assertThat(from.encryptFrame(header, 0, payload, 0, payload.length, out, 0)).isEqualTo(out.length);
        return out;
    }

    private static byte[] roundTrip(NoiseSession from, NoiseSession to, int extension, int type, byte[] payload) throws NoiseException {
        byte[] frame = encrypt(from, extension, type, payload);
        byte[] header = new byte[6];
        to.decryptHeader(frame, 0, header);
        assertThat((header[0] & 0xFF) | (header[1] & 0xFF) << 8).isEqualTo(extension);
        assertThat(header[2] & 0xFF).isEqualTo(type);
        int length = (header[3] & 0xFF) | (header[4] & 0xFF) << 8 | (header[5] & 0xFF) << 16;
        assertThat(length).isEqualTo(payload.length);
        byte[] out = new byte[length];
        to.decryptPayload(frame, 22, length, out, 0);
        return out;
    }
}
