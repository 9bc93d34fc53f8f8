package org.stratum4j.core.sv2.noise;

/**
 * A Noise handshake or encrypted frame that must end the connection: a failed authentication tag, a
 * certificate that does not verify, a message of the wrong length. The message says which, for the
 * log; it is never sent to the peer.
 */
public final class NoiseException extends Exception {

    private static final long serialVersionUID = 1L;

    /** An exception with this explanation. */
    public NoiseException(String message) {
        super(message);
    }
}
