package org.stratum4j.core.sv2.noise;

import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.stratum4j.core.bitcoin.LittleEndian;

/**
 * Noise's CipherState: ChaCha20-Poly1305 (IETF) under one key, with the nonce counting messages
 * (encoded, as Noise does, as four zero bytes then the 64-bit count little-endian). One direction
 * of one connection; not thread-safe, like the connection's loop that owns it.
 */
public final class CipherState {

    /** Bytes of the authentication tag added to every ciphertext. */
    public static final int MAC_LENGTH = 16;
    /** Bytes of a key. */
    public static final int KEY_LENGTH = 32;

    private final ChaCha20Poly1305 aead = new ChaCha20Poly1305();
    private final KeyParameter key;
    private final byte[] nonceBytes = new byte[12];
    private long nonce;

    /** A cipher state with this 32-byte key and nonce 0. */
    public CipherState(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a ChaCha20-Poly1305 key is 32 bytes, got " + key.length);
        }
        this.key = new KeyParameter(key);
    }

    /** The nonce the next message will use (the count of messages so far). */
    public long nonce() {
        return nonce;
    }

    /**
     * Encrypts {@code length} bytes into {@code out} (which needs {@code length + 16} bytes from
     * {@code outOffset}) and returns the ciphertext's length.
     */
    public int encrypt(byte[] ad, byte[] in, int offset, int length, byte[] out, int outOffset) {
        init(true, ad);
        int n = aead.processBytes(in, offset, length, out, outOffset);
        try {
            n += aead.doFinal(out, outOffset + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail", e);
        }
        nonce++;
        return n;
    }

    /**
     * Decrypts {@code length} bytes (ciphertext and its tag) into {@code out} and returns the
     * plaintext's length ({@code length - 16}). On a failed tag the nonce is not advanced.
     *
     * @throws NoiseException when the ciphertext is shorter than a tag or its tag does not verify
     */
    public int decrypt(byte[] ad, byte[] in, int offset, int length, byte[] out, int outOffset) throws NoiseException {
        if (length < MAC_LENGTH) {
            throw new NoiseException("a ciphertext of " + length + " bytes is shorter than its 16-byte tag");
        }
        init(false, ad);
        try {
            int n = aead.processBytes(in, offset, length, out, outOffset);
            n += aead.doFinal(out, outOffset + n);
            nonce++;
            return n;
        } catch (InvalidCipherTextException e) {
            throw new NoiseException("authentication tag does not verify (message " + nonce + ")");
        }
    }

    /** Encrypts a whole array: the ciphertext with its tag. */
    public byte[] encrypt(byte[] ad, byte[] plaintext) {
        byte[] out = new byte[plaintext.length + MAC_LENGTH];
        encrypt(ad, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /** Decrypts a whole array. */
    public byte[] decrypt(byte[] ad, byte[] ciphertext) throws NoiseException {
        if (ciphertext.length < MAC_LENGTH) {
            throw new NoiseException("a ciphertext of " + ciphertext.length + " bytes is shorter than its 16-byte tag");
        }
        byte[] out = new byte[ciphertext.length - MAC_LENGTH];
        decrypt(ad, ciphertext, 0, ciphertext.length, out, 0);
        return out;
    }

    private void init(boolean encrypting, byte[] ad) {
        if (nonce == -1L) {
            // 2^64 - 1 is reserved by Noise; a connection never gets there, but must not wrap.
            throw new IllegalStateException("nonce exhausted: the session must be renegotiated");
        }
        // Noise's nonce: 32 zero bits, then the count little-endian (not the spec's usual order).
        LittleEndian.write(nonce, nonceBytes, 4, 8);
        aead.init(encrypting, new AEADParameters(key, MAC_LENGTH * 8, nonceBytes, ad == null || ad.length == 0 ? null : ad));
    }
}
