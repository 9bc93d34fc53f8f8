package org.stratum4j.core.fuzz;

import java.security.SecureRandom;
import java.util.Arrays;
import org.stratum4j.core.sv2.noise.EllSwift;
import org.stratum4j.core.sv2.noise.NoiseException;
import org.stratum4j.core.sv2.noise.NoiseInitiator;
import org.stratum4j.core.sv2.noise.NoiseResponder;
import org.stratum4j.core.sv2.noise.Secp256k1KeyPair;
import org.stratum4j.core.sv2.noise.ServerIdentity;

/**
 * Any bytes as a Stratum V2 handshake act: the server's responder given them as act 1, and a
 * client's initiator given them as act 2. The responder answers any 64 bytes (every 64 bytes are
 * an ElligatorSwift key) and refuses other lengths with a {@link NoiseException}; the initiator
 * refuses everything that is not the pinned server's act 2, with a {@link NoiseException} and
 * nothing else.
 */
public final class Sv2HandshakeFuzz {

    private static final long T0 = 1_700_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom(new byte[] {2});
    private static final ServerIdentity IDENTITY = ServerIdentity.issue(Secp256k1KeyPair.generate(RANDOM), T0 - 60, 3600, RANDOM);

    private Sv2HandshakeFuzz() {
    }

    /** libFuzzer's entry point. */
    public static void fuzzerTestOneInput(byte[] input) {
        byte[] act1 = Arrays.copyOf(input, Math.min(input.length, NoiseResponder.ACT1_LENGTH + 1));
        try {
            byte[] act2 = new NoiseResponder(IDENTITY, RANDOM).readAct1WriteAct2(act1);
            if (act1.length != NoiseResponder.ACT1_LENGTH || act2.length != NoiseResponder.ACT2_LENGTH) {
                throw new IllegalStateException("answered an act 1 of " + act1.length + " bytes");
            }
        } catch (NoiseException e) {
            if (act1.length == NoiseResponder.ACT1_LENGTH) {
                throw new IllegalStateException("refused a 64-byte act 1", e);
            }
        }
        if (input.length >= EllSwift.ENCODED_LENGTH) {
            EllSwift.decodeX(Arrays.copyOf(input, EllSwift.ENCODED_LENGTH));
        }
        NoiseInitiator initiator = new NoiseInitiator(IDENTITY.authority(), RANDOM);
        initiator.writeAct1();
        byte[] act2 = input.length >= NoiseResponder.ACT2_LENGTH ? Arrays.copyOf(input, NoiseResponder.ACT2_LENGTH) : input;
        try {
            initiator.readAct2(act2, T0);
            throw new IllegalStateException("a made-up act 2 was accepted");
        } catch (NoiseException expected) {
            // refused, as it must be
        }
    }
}
