package org.stratum4j.core.sv2.noise;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECFieldElement;
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
    private static final ECFieldElement ONE = fe(BigInteger.ONE);
    private static final ECFieldElement F_THREE = fe(BigInteger.valueOf(3));
    private static final ECFieldElement F_FOUR = fe(BigInteger.valueOf(4));
    private static final ECFieldElement F_SEVEN = fe(SEVEN);
    private static final ECFieldElement F_C = fe(C);
    private static final ECFieldElement F_HALF = fe(BigInteger.TWO.modInverse(P));
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
        return xSwiftEc(fe(u), fe(t)).toBigInteger();
    }

    /** XSwiftEC in Bouncy Castle's fixed-width secp256k1 field arithmetic (many times faster than BigInteger's). */
    private static ECFieldElement xSwiftEc(ECFieldElement u, ECFieldElement t) {
        if (u.isZero()) {
            u = ONE;
        }
        if (t.isZero()) {
            t = ONE;
        }
        ECFieldElement u3 = u.square().multiply(u);
        if (u3.add(t.square()).add(F_SEVEN).isZero()) {
            t = t.add(t);
        }
        // X = (u^3 + 7 - t^2) / (2t); Y = (X + t) / (c u)
        ECFieldElement x = u3.add(F_SEVEN).subtract(t.square()).multiply(inverse(t.add(t)));
        ECFieldElement y = x.add(t).multiply(inverse(F_C.multiply(u)));
        ECFieldElement xOverY = x.multiply(inverse(y));
        ECFieldElement first = u.add(F_FOUR.multiply(y.square()));
        if (isX(first)) {
            return first;
        }
        ECFieldElement second = xOverY.negate().subtract(u).multiply(F_HALF);
        if (isX(second)) {
            return second;
        }
        ECFieldElement third = xOverY.subtract(u).multiply(F_HALF);
        if (isX(third)) {
            return third;
        }
        throw new IllegalStateException("XSwiftEC found no point: impossible for secp256k1");
    }

    /**
     * A fresh encoding of {@code privateKey}'s public key: 64 bytes, uniformly spread, that
     * {@link #decodeX} maps back to its x coordinate. BIP324's {@code XElligatorSwift}: a random u and
     * one of the eight inverse cases, tried until one gives a t.
     */
    public static byte[] encode(byte[] privateKey, java.security.SecureRandom random) {
        return encodeX(publicX(privateKey), random);
    }

    /** As {@link #encode}, from the public key's x coordinate (32 bytes, big-endian) when it is known. */
    static byte[] encodeX(byte[] publicX, java.security.SecureRandom random) {
        Objects.requireNonNull(random, "random");
        ECFieldElement x = fe(new BigInteger(1, publicX));
        byte[] uBytes = new byte[FIELD_LENGTH];
        while (true) {
            random.nextBytes(uBytes);
            BigInteger uValue = new BigInteger(1, uBytes);
            if (uValue.signum() == 0 || uValue.compareTo(P) >= 0) {
                continue;
            }
            ECFieldElement u = fe(uValue);
            ECFieldElement t = inverseMap(x, u, random.nextInt(8));
            if (t != null) {
                byte[] out = new byte[ENCODED_LENGTH];
                System.arraycopy(uBytes, 0, out, 0, FIELD_LENGTH);
                System.arraycopy(t.getEncoded(), 0, out, FIELD_LENGTH, FIELD_LENGTH);
                return out;
            }
        }
    }

    /**
     * BIP324's {@code xswiftec_inv}: a t with {@code XSwiftEC(u, t) = x} for {@code inverseCase}
     * 0..7, or null when that case has none.
     */
    static BigInteger inverseMap(BigInteger x, BigInteger u, int inverseCase) {
        ECFieldElement t = inverseMap(fe(x), fe(u), inverseCase);
        return t == null ? null : t.toBigInteger();
    }

    private static ECFieldElement inverseMap(ECFieldElement x, ECFieldElement u, int inverseCase) {
        ECFieldElement u2 = u.square();
        ECFieldElement u3 = u2.multiply(u);
        ECFieldElement s;
        ECFieldElement v;
        if ((inverseCase & 2) == 0) {
            if (isX(x.negate().subtract(u))) {
                return null;
            }
            v = x;
            s = u3.add(F_SEVEN).negate().multiply(inverse(u2.add(u.multiply(v)).add(v.square())));
        } else {
            s = x.subtract(u);
            if (s.isZero()) {
                return null;
            }
            ECFieldElement r = s.negate().multiply(F_FOUR.multiply(u3.add(F_SEVEN)).add(F_THREE.multiply(s).multiply(u2))).sqrt();
            if (r == null || ((inverseCase & 1) != 0 && r.isZero())) {
                return null;
            }
            v = u.negate().add(r.multiply(inverse(s))).multiply(F_HALF);
        }
        ECFieldElement w = s.sqrt();
        if (w == null) {
            return null;
        }
        ECFieldElement minus = u.multiply(ONE.subtract(F_C)).multiply(F_HALF).add(v);
        ECFieldElement plus = u.multiply(ONE.add(F_C)).multiply(F_HALF).add(v);
        return switch (inverseCase & 5) {
            case 0 -> w.negate().multiply(minus);
            case 1 -> w.multiply(plus);
            case 4 -> w.multiply(minus);
            default -> w.negate().multiply(plus);
        };
    }

    /**
     * The x-only ECDH of BIP324: the x coordinate (32 bytes) of {@code privateKey} times the point
     * {@code theirEncoding} stands for.
     *
     * @throws IllegalArgumentException when the encoding is not 64 bytes or the key is not in 1..n-1
     */
    public static byte[] xOnlyEcdh(byte[] theirEncoding, byte[] privateKey) {
        BigInteger d = privateKey(privateKey);
        ECFieldElement x = xSwiftEc(fe(element(theirEncoding, 0)), fe(element(theirEncoding, FIELD_LENGTH)));
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

    /** The point with x coordinate {@code x} (either of the two: an x-only ECDH does not care which). */
    private static ECPoint liftX(ECFieldElement x) {
        ECFieldElement y = x.square().multiply(x).add(F_SEVEN).sqrt();
        if (y == null) {
            throw new IllegalStateException("no point has x = " + x.toBigInteger().toString(16));
        }
        return CURVE.getCurve().createPoint(x.toBigInteger(), y.toBigInteger());
    }

    /** Whether x^3 + 7 is a square mod p, i.e. {@code x} is the x coordinate of a point. */
    static boolean isX(BigInteger x) {
        return isX(fe(x.mod(P)));
    }

    private static boolean isX(ECFieldElement x) {
        return x.square().multiply(x).add(F_SEVEN).sqrt() != null;
    }

    /** 1/v mod p, and 0 for 0 as BIP324's reference has it (v^(p-2)): XSwiftEC may divide by a zero Y. */
    private static ECFieldElement inverse(ECFieldElement v) {
        return v.isZero() ? v : v.invert();
    }

    private static ECFieldElement fe(BigInteger v) {
        return CURVE.getCurve().fromBigInteger(v);
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
