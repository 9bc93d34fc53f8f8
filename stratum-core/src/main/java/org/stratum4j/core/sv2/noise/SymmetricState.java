package org.stratum4j.core.sv2.noise;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.stratum4j.core.bitcoin.Sha256;

/**
 * Noise's SymmetricState for the handshake: the handshake hash {@code h}, the chaining key
 * {@code ck} and the cipher keyed by the last MixKey (none before the first).
 */
final class SymmetricState {

    /** The Noise protocol name Stratum V2 uses. */
    static final String PROTOCOL_NAME = "Noise_NX_Secp256k1+EllSwift_ChaChaPoly_SHA256";

    private byte[] h;
    private byte[] ck;
    private CipherState cipher;

    SymmetricState() {
        // The name is longer than a hash, so Noise hashes it; the spec then hashes h once more.
        ck = Sha256.hash(PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII));
        h = Sha256.hash(ck);
    }

    static byte[] protocolNameHash() {
        return Sha256.hash(PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII));
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    void mixHash(byte[] data) {
        byte[] all = new byte[h.length + data.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(data, 0, all, h.length, data.length);
        h = Sha256.hash(all);
    }

    void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = hkdf(ck, inputKeyMaterial);
        ck = out[0];
        cipher = new CipherState(out[1]);
    }

    byte[] encryptAndHash(byte[] plaintext) {
        byte[] ciphertext = cipher == null ? plaintext : cipher.encrypt(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
        byte[] plaintext = cipher == null ? ciphertext : cipher.decrypt(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    /** The two transport cipher states: initiator-to-responder, then responder-to-initiator. */
    CipherState[] split() {
        byte[][] keys = hkdf(ck, new byte[0]);
        return new CipherState[] {new CipherState(keys[0]), new CipherState(keys[1])};
    }

    /** HKDF (RFC 5869) with an empty info and two outputs, as Noise defines it over HMAC-SHA256. */
    static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
        byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
        byte[] out1 = hmac(tempKey, new byte[] {1});
        byte[] in2 = new byte[out1.length + 1];
        System.arraycopy(out1, 0, in2, 0, out1.length);
        in2[out1.length] = 2;
        return new byte[][] {out1, hmac(tempKey, in2)};
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }
}
