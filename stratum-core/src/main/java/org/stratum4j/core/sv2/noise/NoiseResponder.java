package org.stratum4j.core.sv2.noise;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * The server's side of Stratum V2's {@code Noise_NX} handshake: {@link #readAct1WriteAct2} takes the
 * client's 64 bytes and returns the 234 to send back (ephemeral key; static key and certificate,
 * encrypted), after which {@link #session()} is ready. One use; not thread-safe.
 */
public final class NoiseResponder {

    /** Bytes of act 1: the initiator's ephemeral key. */
    public static final int ACT1_LENGTH = EllSwift.ENCODED_LENGTH;
    /**
     * Bytes of act 2: ephemeral key (64), encrypted static key (64 + 16), encrypted certificate
     * (74 + 16). The spec's prose still says 170, from before ElligatorSwift.
     */
    public static final int ACT2_LENGTH = EllSwift.ENCODED_LENGTH + EllSwift.ENCODED_LENGTH + CipherState.MAC_LENGTH
            + Certificate.LENGTH + CipherState.MAC_LENGTH;

    private final ServerIdentity identity;
    private final SecureRandom random;
    private final SymmetricState state = new SymmetricState();
    private NoiseSession session;
    private boolean used;

    /** A responder proving {@code identity}. */
    public NoiseResponder(ServerIdentity identity, SecureRandom random) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Reads act 1 and returns act 2.
     *
     * @throws NoiseException when act 1 is not 64 bytes
     */
    public byte[] readAct1WriteAct2(byte[] act1) throws NoiseException {
        Objects.requireNonNull(act1, "act1");
        if (used) {
            throw new IllegalStateException("act 1 was already read");
        }
        used = true;
        if (act1.length != ACT1_LENGTH) {
            throw new NoiseException("act 1 is " + ACT1_LENGTH + " bytes, got " + act1.length);
        }
        byte[] theirEphemeral = act1.clone();
        state.mixHash(theirEphemeral);
        state.decryptAndHash(new byte[0]);

        Secp256k1KeyPair ephemeral = Secp256k1KeyPair.generate(random);
        byte[] ephemeralEncoding = ephemeral.ellSwiftEncoding(random);
        byte[] staticEncoding = identity.staticKey().keptEllSwiftEncoding(random);
        byte[] out = new byte[ACT2_LENGTH];
        System.arraycopy(ephemeralEncoding, 0, out, 0, EllSwift.ENCODED_LENGTH);
        state.mixHash(ephemeralEncoding);
        state.mixKey(ephemeral.sharedSecret(ephemeralEncoding, theirEphemeral, false));
        byte[] encryptedStatic = state.encryptAndHash(staticEncoding);
        System.arraycopy(encryptedStatic, 0, out, EllSwift.ENCODED_LENGTH, encryptedStatic.length);
        state.mixKey(identity.staticKey().sharedSecret(staticEncoding, theirEphemeral, false));
        byte[] encryptedCertificate = state.encryptAndHash(identity.certificate().encode());
        System.arraycopy(encryptedCertificate, 0, out, EllSwift.ENCODED_LENGTH + encryptedStatic.length, encryptedCertificate.length);
        CipherState[] split = state.split();
        // The responder receives with the first key and sends with the second.
        session = new NoiseSession(split[1], split[0], state.handshakeHash());
        return out;
    }

    /** The session, once act 2 has been written. */
    public NoiseSession session() {
        if (session == null) {
            throw new IllegalStateException("act 2 has not been written");
        }
        return session;
    }
}
