package org.stratum4j.core.sv2.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The client's side of Stratum V2's {@code Noise_NX} handshake: {@link #writeAct1()} gives the 64
 * bytes to send, {@link #readAct2} checks the server's 234-byte answer — its static key under the
 * pinned authority's certificate — and returns the session. One use; not thread-safe.
 */
public final class NoiseInitiator {

    private final XOnlyPublicKey authority;
    private final SecureRandom random;
    private final SymmetricState state = new SymmetricState();
    private final Secp256k1KeyPair ephemeral;
    private byte[] ephemeralEncoding;
    private XOnlyPublicKey serverKey;
    private boolean done;

    /**
     * An initiator that accepts only servers certified by {@code authority}.
     */
    public NoiseInitiator(XOnlyPublicKey authority, SecureRandom random) {
        this.authority = Objects.requireNonNull(authority, "authority");
        this.random = Objects.requireNonNull(random, "random");
        this.ephemeral = Secp256k1KeyPair.generate(random);
    }

    /** Act 1 ({@code -> e}): the ephemeral key's 64-byte ElligatorSwift encoding. */
    public byte[] writeAct1() {
        if (ephemeralEncoding != null) {
            throw new IllegalStateException("act 1 was already written");
        }
        ephemeralEncoding = ephemeral.ellSwiftEncoding(random);
        state.mixHash(ephemeralEncoding);
        state.encryptAndHash(new byte[0]);
        return ephemeralEncoding.clone();
    }

    /**
     * Reads act 2 ({@code <- e, ee, s, es, SIGNATURE_NOISE_MESSAGE}) and, when the server's
     * certificate verifies under the authority at {@code nowSeconds} (Unix time), returns the session.
     *
     * @throws NoiseException when act 2 is not 234 bytes, a tag fails, or the certificate is
     *     expired, not yet valid or not signed by the authority for this server key
     */
    public NoiseSession readAct2(byte[] act2, long nowSeconds) throws NoiseException {
        Objects.requireNonNull(act2, "act2");
        if (ephemeralEncoding == null || done) {
            throw new IllegalStateException(done ? "the handshake is finished" : "write act 1 first");
        }
        if (act2.length != NoiseResponder.ACT2_LENGTH) {
            throw new NoiseException("act 2 is " + NoiseResponder.ACT2_LENGTH + " bytes, got " + act2.length);
        }
        done = true;
        byte[] theirEphemeral = Arrays.copyOfRange(act2, 0, EllSwift.ENCODED_LENGTH);
        state.mixHash(theirEphemeral);
        state.mixKey(ephemeral.sharedSecret(ephemeralEncoding, theirEphemeral, true));
        byte[] theirStatic = state.decryptAndHash(Arrays.copyOfRange(act2, EllSwift.ENCODED_LENGTH, EllSwift.ENCODED_LENGTH + 80));
        state.mixKey(ephemeral.sharedSecret(ephemeralEncoding, theirStatic, true));
        byte[] certificateBytes = state.decryptAndHash(Arrays.copyOfRange(act2, EllSwift.ENCODED_LENGTH + 80, act2.length));
        Certificate certificate = Certificate.decode(certificateBytes);
        XOnlyPublicKey key = XOnlyPublicKey.trusted(EllSwift.decodeX(theirStatic)); // every 64 bytes decode to a curve point
        if (!certificate.verify(authority, key, nowSeconds)) {
            if (now(nowSeconds, certificate)) {
                throw new NoiseException("the server's certificate is not signed by authority " + authority.toBase58Check());
            }
            throw new NoiseException("the server's certificate is valid " + certificate.validFrom() + ".." + certificate.notValidAfter()
                    + " (Unix time), not now (" + nowSeconds + ")");
        }
        serverKey = key;
        CipherState[] split = state.split();
        return new NoiseSession(split[0], split[1], state.handshakeHash());
    }

    /** The server's static key, once act 2 has verified. */
    public XOnlyPublicKey serverKey() {
        if (serverKey == null) {
            throw new IllegalStateException("the handshake has not finished");
        }
        return serverKey;
    }

    private static boolean now(long now, Certificate c) {
        return now + Certificate.CLOCK_LEEWAY_SECONDS >= c.validFrom() && now - Certificate.CLOCK_LEEWAY_SECONDS <= c.notValidAfter();
    }
}
