package org.stratum4j.core.sv2.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Sha256;

/**
 * The server's certificate in Stratum V2's handshake ({@code SIGNATURE_NOISE_MESSAGE}): the
 * authority's BIP340 signature over {@code SHA-256(version ‖ valid_from ‖ not_valid_after ‖
 * server_public_key)}, valid between two Unix times. 74 bytes on the wire; the server key itself
 * travels separately, as the handshake's static key.
 *
 * @param version       certificate format version (0 today)
 * @param validFrom     first valid second, Unix time (unsigned 32-bit)
 * @param notValidAfter last valid second, Unix time (unsigned 32-bit)
 * @param signature     64-byte BIP340 signature by the authority key
 */
public record Certificate(int version, long validFrom, long notValidAfter, byte[] signature) {

    /** Bytes of the encoded certificate. */
    public static final int LENGTH = 74;
    /**
     * Seconds of clock difference forgiven at either end of the window, as SRI does, so a miner whose
     * clock is a little behind the pool's still accepts a certificate issued a moment ago.
     */
    public static final long CLOCK_LEEWAY_SECONDS = 10;
    private static final long U32_MAX = 0xFFFF_FFFFL;

    /** Checks ranges and copies the signature. */
    public Certificate {
        if (version < 0 || version > 0xFFFF) {
            throw new IllegalArgumentException("version is a U16 (0..65535), got " + version);
        }
        if (validFrom < 0 || validFrom > U32_MAX || notValidAfter < 0 || notValidAfter > U32_MAX) {
            throw new IllegalArgumentException("validity times are U32 Unix seconds, got " + validFrom + ".." + notValidAfter);
        }
        Objects.requireNonNull(signature, "signature");
        if (signature.length != XOnlyPublicKey.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("a BIP340 signature is 64 bytes, got " + signature.length);
        }
        signature = signature.clone();
    }

    /**
     * A certificate for {@code serverKey}, signed by {@code authority}, valid from {@code validFrom}
     * to {@code notValidAfter} (Unix seconds).
     */
    public static Certificate issue(Secp256k1KeyPair authority, XOnlyPublicKey serverKey, long validFrom, long notValidAfter,
            SecureRandom random) {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(serverKey, "serverKey");
        if (notValidAfter < validFrom) {
            throw new IllegalArgumentException("notValidAfter (" + notValidAfter + ") is before validFrom (" + validFrom + ")");
        }
        byte[] placeholder = new byte[XOnlyPublicKey.SIGNATURE_LENGTH];
        Certificate unsigned = new Certificate(0, validFrom, notValidAfter, placeholder);
        return new Certificate(0, validFrom, notValidAfter, authority.sign(unsigned.signedHash(serverKey), random));
    }

    /**
     * Whether {@code authority} signed this certificate for {@code serverKey} and {@code now} (Unix
     * seconds) lies in its window, give or take {@link #CLOCK_LEEWAY_SECONDS}.
     */
    public boolean verify(XOnlyPublicKey authority, XOnlyPublicKey serverKey, long now) {
        if (now + CLOCK_LEEWAY_SECONDS < validFrom || now - CLOCK_LEEWAY_SECONDS > notValidAfter) {
            return false;
        }
        return authority.verify(signedHash(serverKey), signature);
    }

    /** Whether {@code now} is outside the window (without leeway): a server renews before this. */
    public boolean expiredAt(long now) {
        return now > notValidAfter;
    }

    /** The 74 bytes of {@code SIGNATURE_NOISE_MESSAGE}. */
    public byte[] encode() {
        byte[] out = new byte[LENGTH];
        writeHead(out);
        System.arraycopy(signature, 0, out, 10, XOnlyPublicKey.SIGNATURE_LENGTH);
        return out;
    }

    /**
     * Reads a {@code SIGNATURE_NOISE_MESSAGE}.
     *
     * @throws IllegalArgumentException when {@code bytes} is not 74 bytes
     */
    public static Certificate decode(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a certificate is 74 bytes, got " + bytes.length);
        }
        return new Certificate((int) LittleEndian.read(bytes, 0, 2), LittleEndian.read(bytes, 2, 4), LittleEndian.read(bytes, 6, 4),
                Arrays.copyOfRange(bytes, 10, LENGTH));
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    private byte[] signedHash(XOnlyPublicKey serverKey) {
        byte[] message = new byte[10 + XOnlyPublicKey.LENGTH];
        writeHead(message);
        System.arraycopy(serverKey.bytes(), 0, message, 10, XOnlyPublicKey.LENGTH);
        return Sha256.hash(message);
    }

    private void writeHead(byte[] out) {
        LittleEndian.write(version, out, 0, 2);
        LittleEndian.write(validFrom, out, 2, 4);
        LittleEndian.write(notValidAfter, out, 6, 4);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Certificate c && version == c.version && validFrom == c.validFrom && notValidAfter == c.notValidAfter
                && Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, validFrom, notValidAfter, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "Certificate[version=" + version + ", validFrom=" + validFrom + ", notValidAfter=" + notValidAfter + "]";
    }
}
