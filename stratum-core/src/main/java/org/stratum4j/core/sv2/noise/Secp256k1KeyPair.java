package org.stratum4j.core.sv2.noise;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.BIP340Signer;

/**
 * A secp256k1 private key with its x-only public key: the pool's authority key (which signs
 * certificates), the server's static key and the handshake's ephemeral keys. The private key never
 * appears in {@link #toString()}.
 */
public final class Secp256k1KeyPair {

    private static final BigInteger N = BIP340Signer.getDomain().getN();

    private final byte[] privateKey;
    private final XOnlyPublicKey publicKey;
    /** One ElligatorSwift encoding kept for a static key, made on first use. */
    private volatile byte[] keptEncoding;

    private Secp256k1KeyPair(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = XOnlyPublicKey.trusted(EllSwift.publicX(privateKey));
    }

    /** A fresh key pair from {@code random}. */
    public static Secp256k1KeyPair generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] key = new byte[EllSwift.FIELD_LENGTH];
        while (true) {
            random.nextBytes(key);
            BigInteger d = new BigInteger(1, key);
            if (d.signum() > 0 && d.compareTo(N) < 0) {
                return new Secp256k1KeyPair(key);
            }
        }
    }

    /**
     * The key pair of a 32-byte private key (big-endian).
     *
     * @throws IllegalArgumentException when the key is not 32 bytes or not in 1..n-1
     */
    public static Secp256k1KeyPair fromPrivateKey(byte[] privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (privateKey.length != EllSwift.FIELD_LENGTH) {
            throw new IllegalArgumentException("a secp256k1 private key is 32 bytes, got " + privateKey.length);
        }
        BigInteger d = new BigInteger(1, privateKey);
        if (d.signum() == 0 || d.compareTo(N) >= 0) {
            throw new IllegalArgumentException("a secp256k1 private key must be in 1..n-1 (n is the group order)");
        }
        return new Secp256k1KeyPair(privateKey.clone());
    }

    /** The private key's 32 bytes (a copy): for saving it, never for logs. */
    public byte[] privateKey() {
        return privateKey.clone();
    }

    /** The x-only public key. */
    public XOnlyPublicKey publicKey() {
        return publicKey;
    }

    /** A fresh ElligatorSwift encoding of the public key (64 bytes that look random), for a handshake. */
    public byte[] ellSwiftEncoding(SecureRandom random) {
        return EllSwift.encodeX(publicKey.raw(), random);
    }

    /**
     * One encoding of the public key, made on first use and then reused: for a server's static
     * key, which act 2 carries encrypted, so reusing its encoding shows nothing on the wire and
     * saves a third of the responder's work per handshake.
     */
    byte[] keptEllSwiftEncoding(SecureRandom random) {
        byte[] e = keptEncoding;
        if (e == null) {
            e = ellSwiftEncoding(random);
            keptEncoding = e;
        }
        return e;
    }

    /** BIP340's shared secret with the party whose encoding is {@code theirs}; see {@link EllSwift#sharedSecret}. */
    byte[] sharedSecret(byte[] ours, byte[] theirs, boolean initiating) {
        return EllSwift.sharedSecret(privateKey, ours, theirs, initiating);
    }

    /**
     * The BIP340 signature (64 bytes) of {@code message}, with auxiliary randomness from
     * {@code auxRandom}.
     */
    public byte[] sign(byte[] message, SecureRandom auxRandom) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(auxRandom, "auxRandom");
        BIP340Signer signer = new BIP340Signer();
        signer.init(true, new ParametersWithRandom(new ECPrivateKeyParameters(new BigInteger(1, privateKey), BIP340Signer.getDomain()), auxRandom));
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** Names the public key only. */
    @Override
    public String toString() {
        return "Secp256k1KeyPair[public=" + publicKey + "]";
    }
}
