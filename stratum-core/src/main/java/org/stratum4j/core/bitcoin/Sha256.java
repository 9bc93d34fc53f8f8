package org.stratum4j.core.bitcoin;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 and sha256d on byte arrays, for code that is not on a per-share hot path.
 *
 * <p>Uses the JDK's SHA-256, which HotSpot compiles to the CPU's SHA extensions where present
 * (about five times faster than a pure-Java digest on current x86). Each calling thread gets its
 * own digest; hot paths should hold a {@link Sha256Hasher} instead and avoid the thread-local
 * lookup.
 */
public final class Sha256 {

    private static final ThreadLocal<Sha256Hasher> HASHERS = ThreadLocal.withInitial(Sha256Hasher::new);

    private Sha256() {
    }

    /** SHA-256 of all of {@code data}. */
    public static byte[] hash(byte[] data) {
        byte[] out = new byte[Sha256Hash.LENGTH];
        HASHERS.get().sha256(data, 0, data.length, out, 0);
        return out;
    }

    /** sha256d of {@code length} bytes of {@code data} from {@code offset}. */
    public static byte[] hashTwice(byte[] data, int offset, int length) {
        byte[] out = new byte[Sha256Hash.LENGTH];
        HASHERS.get().sha256d(data, offset, length, out, 0);
        return out;
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256 (MessageDigest's contract).
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
