package org.stratum4j.core.bitcoin;

import java.security.MessageDigest;
import java.util.Objects;

/**
 * SHA-256 state after a fixed prefix, so that many messages sharing that prefix are finished
 * without hashing it again. A pool hashes each job's coinbase prefix (coinb1) once and finishes
 * every share's {@code extranonce1 ‖ extranonce2 ‖ coinb2} from here.
 *
 * <p>Immutable and safe to share between threads: finishing works on a copy of the state.
 */
public final class Sha256Midstate {

    private final MessageDigest state;
    private final int prefixLength;

    private Sha256Midstate(MessageDigest state, int prefixLength) {
        this.state = state;
        this.prefixLength = prefixLength;
    }

    /** Hashes {@code prefix} once and keeps the state. */
    public static Sha256Midstate of(byte[] prefix) {
        Objects.requireNonNull(prefix, "prefix");
        MessageDigest digest = Sha256.newDigest();
        digest.update(prefix);
        return new Sha256Midstate(digest, prefix.length);
    }

    /** Length of the prefix this state has absorbed, in bytes. */
    public int prefixLength() {
        return prefixLength;
    }

    /** SHA-256 of {@code prefix ‖ suffix}, once. */
    public byte[] finishSha256(byte[] suffix) {
        MessageDigest digest = resume();
        digest.update(suffix);
        return digest.digest();
    }

    /** sha256d of {@code prefix ‖ suffix}. */
    public Sha256Hash finishSha256d(byte[] suffix) {
        byte[] once = finishSha256(suffix);
        return Sha256Hash.of(once);
    }

    MessageDigest resume() {
        try {
            return (MessageDigest) state.clone();
        } catch (CloneNotSupportedException e) {
            // The JDK's SHA-256 supports clone(); a provider that did not would fail here at once.
            throw new IllegalStateException("the SHA-256 provider cannot copy its state", e);
        }
    }
}
