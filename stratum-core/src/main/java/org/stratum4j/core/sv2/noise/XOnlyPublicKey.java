package org.stratum4j.core.sv2.noise;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.BIP340Signer;
import org.stratum4j.core.bitcoin.Base58;
import org.stratum4j.core.bitcoin.Hex;

/**
 * A secp256k1 public key as its 32-byte x coordinate (BIP340's x-only form, the point with even y):
 * the pool's authority key that miners pin, and the server key its certificate names. Text form for
 * miners is {@link #toBase58Check()}, the path of a {@code stratum2+tcp://HOST:PORT/KEY} URL.
 */
public final class XOnlyPublicKey {

    /** Bytes of the key. */
    public static final int LENGTH = 32;
    /** Bytes of a BIP340 signature. */
    public static final int SIGNATURE_LENGTH = 64;
    /** The version prefix (little-endian 1) that Stratum V2 puts before the key in its base58check text. */
    private static final byte[] TEXT_PREFIX = {1, 0};

    private final byte[] x;

    private XOnlyPublicKey(byte[] x) {
        this.x = x;
    }

    /**
     * The key with this x coordinate (big-endian).
     *
     * @throws IllegalArgumentException when {@code x} is not 32 bytes or no curve point has it
     */
    public static XOnlyPublicKey of(byte[] x) {
        Objects.requireNonNull(x, "x");
        if (x.length != LENGTH) {
            throw new IllegalArgumentException("an x-only public key is 32 bytes, got " + x.length);
        }
        byte[] copy = x.clone();
        try {
            BIP340Signer.decodePublicKey(copy);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("no secp256k1 point has x = " + Hex.encode(x));
        }
        return new XOnlyPublicKey(copy);
    }

    /**
     * Parses the base58check text of an authority key (as in a {@code stratum2+tcp} URL): the
     * prefix {@code [1, 0]} then the 32-byte key.
     *
     * @throws IllegalArgumentException when the text is not base58check, has the wrong length or
     *     prefix, or names no curve point; the message says which
     */
    public static XOnlyPublicKey fromBase58Check(String text) {
        Objects.requireNonNull(text, "text");
        byte[] payload = Base58.decodeChecked(text.strip());
        if (payload.length != TEXT_PREFIX.length + LENGTH) {
            throw new IllegalArgumentException("an authority key is base58check of 34 bytes (prefix 0100 and a 32-byte key), got "
                    + payload.length + " bytes");
        }
        if (payload[0] != TEXT_PREFIX[0] || payload[1] != TEXT_PREFIX[1]) {
            throw new IllegalArgumentException("an authority key's text starts with version prefix 0100, got "
                    + Hex.encode(Arrays.copyOf(payload, 2)));
        }
        return of(Arrays.copyOfRange(payload, TEXT_PREFIX.length, payload.length));
    }

    /** The base58check text miners paste: {@code [1, 0] ‖ x}. */
    public String toBase58Check() {
        byte[] payload = new byte[TEXT_PREFIX.length + LENGTH];
        System.arraycopy(TEXT_PREFIX, 0, payload, 0, TEXT_PREFIX.length);
        System.arraycopy(x, 0, payload, TEXT_PREFIX.length, LENGTH);
        return Base58.encodeChecked(payload);
    }

    /** A key computed here from a private key: on the curve by construction, so not checked again. */
    static XOnlyPublicKey trusted(byte[] x) {
        return new XOnlyPublicKey(x);
    }

    /** The 32 bytes, not copied: for this package's arithmetic. */
    byte[] raw() {
        return x;
    }

    /** The 32 bytes (a copy). */
    public byte[] bytes() {
        return x.clone();
    }

    /** Whether {@code signature} is this key's BIP340 signature of {@code message}. Never throws on bad input. */
    public boolean verify(byte[] message, byte[] signature) {
        if (message == null || signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            ECPublicKeyParameters key = BIP340Signer.decodePublicKey(x);
            BIP340Signer verifier = new BIP340Signer();
            verifier.init(false, key);
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XOnlyPublicKey other && Arrays.equals(x, other.x);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(x);
    }

    /** The hex of the key. */
    @Override
    public String toString() {
        return Hex.encode(x);
    }
}
