package org.stratum4j.core.sv2.noise;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.stratum4j.core.bitcoin.Sha256;

/**
 * ElligatorSwift on secp256k1 (BIP324): a public key as 64 bytes that look random, and the x-only
 * ECDH that Stratum V2's Noise handshake ({@code Noise_NX_Secp256k1+EllSwift_ChaChaPoly_SHA256})
 * builds on. An encoding is two field elements {@code u ‖ t} (32 bytes each, big-endian, taken
 * modulo p); it stands for the point whose x coordinate {@link #decodeX} returns (of the two with
 * that x, which one does not matter to an x-only ECDH).
 *
 * <p>Pure functions over byte arrays; the arithmetic is {@link BigInteger} modulo p, and the point
 * multiplication Bouncy Castle's. Secrets are not handled in constant time: this serves a pool's
 * handshakes, whose keys are ephemeral.
 */
public final class EllSwift {

    /** Bytes of an encoding. */
    public static final int ENCODED_LENGTH = 64;
    /** Bytes of a field element, an x coordinate or a private key. */
    public static final int FIELD_LENGTH = 32;

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    static final BigInteger P = CURVE.getCurve().getField().getCharacteristic();
    private static final BigInteger N = CURVE.getN();
    private static final BigInteger SEVEN = BigInteger.valueOf(7);
    private static final BigInteger SQRT_EXPONENT = P.add(BigInteger.ONE).shiftRight(2);
    /** sqrt(-3) as BIP324's reference takes it: (-3)^((p+1)/4). */
    private static final BigInteger C = P.subtract(BigInteger.valueOf(3)).modPow(SQRT_EXPONENT, P);
    private static final byte[] ECDH_TAG = Sha256.hash("bip324_ellswift_xonly_ecdh".getBytes(StandardCharsets.US_ASCII));

    private EllSwift() {
    }

    /**
     * The x coordinate (32 bytes, big-endian) of the point an encoding stands for: BIP324's
     * {@code XSwiftEC(u, t)}. Every 64-byte string decodes to a point.
     *
     * @throws IllegalArgumentException when {@code encoding} is not 64 bytes
     */
    public static byte[] decodeX(byte[] encoding) {
        Objects.requireNonNull(encoding, "encoding");
        if (encoding.length != ENCODED_LENGTH) {
            throw new IllegalArgumentException("an ElligatorSwift encoding is 64 bytes, got " + encoding.length);
        }
        BigInteger u = element(encoding, 0);
        BigInteger t = element(encoding, FIELD_LENGTH);
        return toBytes(xSwiftEc(u, t));
    }

    static BigInteger xSwiftEc(BigInteger u, BigInteger t) {
        if (u.signum() == 0) {
            u = BigInteger.ONE;
        }
        if (t.signum() == 0) {
            t = BigInteger.ONE;
        }
        BigInteger u3 = u.modPow(BigInteger.valueOf(3), P);
        if (u3.add(t.multiply(t)).add(SEVEN).mod(P).signum() == 0) {
            t = t.shiftLeft(1).mod(P);
        }
        // X = (u^3 + 7 - t^2) / (2t); Y = (X + t) / (c u)
        BigInteger x = u3.add(SEVEN).subtract(t.multiply(t)).multiply(inverse(t.shiftLeft(1))).mod(P);
        BigInteger y = x.add(t).multiply(inverse(C.multiply(u))).mod(P);
        BigInteger four = BigInteger.valueOf(4);
        BigInteger half = inverse(BigInteger.TWO);
        BigInteger xOverY = x.multiply(inverse(y)).mod(P);
        BigInteger[] candidates = {
            u.add(four.multiply(y).multiply(y)).mod(P),
            xOverY.negate().subtract(u).multiply(half).mod(P),
            xOverY.subtract(u).multiply(half).mod(P)
        };
        for (BigInteger candidate : candidates) {
            if (isX(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("XSwiftEC found no point: impossible for secp256k1");
    }

    /**
     * A fresh encoding of {@code privateKey}'s public key: 64 bytes, uniformly spread, that
     * {@link #decodeX} maps back to its x coordinate. BIP324's {@code XElligatorSwift}: a random u and
     * one of the eight inverse cases, tried until one gives a t.
     */
    public static byte[] encode(byte[] privateKey, java.security.SecureRandom random) {
        Objects.requireNonNull(random, "random");
        BigInteger x = new BigInteger(1, publicX(privateKey));
        while (true) {
            BigInteger u = new BigInteger(256, random);
            if (u.signum() == 0 || u.compareTo(P) >= 0) {
                continue;
            }
            BigInteger t = inverseMap(x, u, random.nextInt(8));
            if (t != null) {
                byte[] out = new byte[ENCODED_LENGTH];
                System.arraycopy(toBytes(u), 0, out, 0, FIELD_LENGTH);
                System.arraycopy(toBytes(t), 0, out, FIELD_LENGTH, FIELD_LENGTH);
                return out;
            }
        }
    }

    /**
     * BIP324's {@code xswiftec_inv}: a t with {@code XSwiftEC(u, t) = x} for {@code inverseCase}
     * 0..7, or null when that case has none.
     */
    static BigInteger inverseMap(BigInteger x, BigInteger u, int inverseCase) {
        BigInteger seven = SEVEN;
        BigInteger u2 = u.multiply(u).mod(P);
        BigInteger u3 = u2.multiply(u).mod(P);
        BigInteger s;
        BigInteger v;
        if ((inverseCase & 2) == 0) {
            if (isX(x.negate().subtract(u).mod(P))) {
                return null;
            }
            v = x;
            s = u3.add(seven).negate().multiply(inverse(u2.add(u.multiply(v)).add(v.multiply(v)))).mod(P);
        } else {
            s = x.subtract(u).mod(P);
            if (s.signum() == 0) {
                return null;
            }
            BigInteger r = sqrt(s.negate().multiply(BigInteger.valueOf(4).multiply(u3.add(seven))
                    .add(BigInteger.valueOf(3).multiply(s).multiply(u2))).mod(P));
            if (r == null || ((inverseCase & 1) != 0 && r.signum() == 0)) {
                return null;
            }
            v = u.negate().add(r.multiply(inverse(s))).multiply(inverse(BigInteger.TWO)).mod(P);
        }
        BigInteger w = sqrt(s);
        if (w == null) {
            return null;
        }
        BigInteger half = inverse(BigInteger.TWO);
        BigInteger minus = u.multiply(BigInteger.ONE.subtract(C)).multiply(half).add(v).mod(P);
        BigInteger plus = u.multiply(BigInteger.ONE.add(C)).multiply(half).add(v).mod(P);
        return switch (inverseCase & 5) {
            case 0 -> w.negate().multiply(minus).mod(P);
            case 1 -> w.multiply(plus).mod(P);
            case 4 -> w.multiply(minus).mod(P);
            default -> w.negate().multiply(plus).mod(P);
        };
    }

    /** A square root mod p, or null when {@code a} has none. */
    private static BigInteger sqrt(BigInteger a) {
        BigInteger r = a.modPow(SQRT_EXPONENT, P);
        return r.multiply(r).mod(P).equals(a.mod(P)) ? r : null;
    }

    /**
     * The x-only ECDH of BIP324: the x coordinate (32 bytes) of {@code privateKey} times the point
     * {@code theirEncoding} stands for.
     *
     * @throws IllegalArgumentException when the encoding is not 64 bytes or the key is not in 1..n-1
     */
    public static byte[] xOnlyEcdh(byte[] theirEncoding, byte[] privateKey) {
        BigInteger d = privateKey(privateKey);
        BigInteger x = new BigInteger(1, decodeX(theirEncoding));
        ECPoint point = liftX(x).multiply(d).normalize();
        return point.getAffineXCoord().getEncoded();
    }

    /**
     * BIP324's shared secret between two parties: the tagged hash
     * ({@code bip324_ellswift_xonly_ecdh}) of the initiator's encoding, the responder's, and the
     * x-only ECDH. Both sides get the same 32 bytes.
     *
     * @param initiating whether {@code ourEncoding} is the initiator's
     */
    public static byte[] sharedSecret(byte[] privateKey, byte[] ourEncoding, byte[] theirEncoding, boolean initiating) {
        byte[] x = xOnlyEcdh(theirEncoding, privateKey);
        byte[] initiator = initiating ? ourEncoding : theirEncoding;
        byte[] responder = initiating ? theirEncoding : ourEncoding;
        byte[] message = new byte[ENCODED_LENGTH * 2 + FIELD_LENGTH];
        System.arraycopy(initiator, 0, message, 0, ENCODED_LENGTH);
        System.arraycopy(responder, 0, message, ENCODED_LENGTH, ENCODED_LENGTH);
        System.arraycopy(x, 0, message, ENCODED_LENGTH * 2, FIELD_LENGTH);
        return taggedHash(ECDH_TAG, message);
    }

    /** The x coordinate (32 bytes) of {@code privateKey} times the generator. */
    public static byte[] publicX(byte[] privateKey) {
        return CURVE.getG().multiply(privateKey(privateKey)).normalize().getAffineXCoord().getEncoded();
    }

    static byte[] taggedHash(byte[] tagHash, byte[] message) {
        byte[] all = new byte[tagHash.length * 2 + message.length];
        System.arraycopy(tagHash, 0, all, 0, tagHash.length);
        System.arraycopy(tagHash, 0, all, tagHash.length, tagHash.length);
        System.arraycopy(message, 0, all, tagHash.length * 2, message.length);
        return Sha256.hash(all);
    }

    private static BigInteger privateKey(byte[] key) {
        Objects.requireNonNull(key, "privateKey");
        if (key.length != FIELD_LENGTH) {
            throw new IllegalArgumentException("a private key is 32 bytes, got " + key.length);
        }
        BigInteger d = new BigInteger(1, key);
        if (d.signum() == 0 || d.compareTo(N) >= 0) {
            throw new IllegalArgumentException("a private key must be in 1..n-1");
        }
        return d;
    }

    private static ECPoint liftX(BigInteger x) {
        ECCurve curve = CURVE.getCurve();
        byte[] compressed = new byte[FIELD_LENGTH + 1];
        compressed[0] = 0x02;
        System.arraycopy(toBytes(x), 0, compressed, 1, FIELD_LENGTH);
        return curve.decodePoint(compressed);
    }

    /** Whether x^3 + 7 is a square mod p, i.e. {@code x} is the x coordinate of a point. */
    static boolean isX(BigInteger x) {
        BigInteger rhs = x.modPow(BigInteger.valueOf(3), P).add(SEVEN).mod(P);
        BigInteger root = rhs.modPow(SQRT_EXPONENT, P);
        return root.multiply(root).mod(P).equals(rhs);
    }

    /** 1/v mod p, and 0 for 0 as BIP324's reference has it (v^(p-2)): XSwiftEC may divide by a zero Y. */
    private static BigInteger inverse(BigInteger v) {
        BigInteger m = v.mod(P);
        return m.signum() == 0 ? BigInteger.ZERO : m.modInverse(P);
    }

    private static BigInteger element(byte[] bytes, int offset) {
        return new BigInteger(1, Arrays.copyOfRange(bytes, offset, offset + FIELD_LENGTH)).mod(P);
    }

    static byte[] toBytes(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[FIELD_LENGTH];
        int copy = Math.min(raw.length, FIELD_LENGTH);
        System.arraycopy(raw, raw.length - copy, out, FIELD_LENGTH - copy, copy);
        return out;
    }
}
