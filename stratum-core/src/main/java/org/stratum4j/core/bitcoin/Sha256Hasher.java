package org.stratum4j.core.bitcoin;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A reusable SHA-256 / sha256d worker that writes into caller-owned arrays, for hot paths.
 *
 * <p><b>Not thread-safe:</b> give each event loop (or thread) its own instance. It allocates
 * nothing per call except when finishing from a {@link Sha256Midstate}, which copies the midstate.
 */
public final class Sha256Hasher {

    private final MessageDigest digest = Sha256.newDigest();

    /** Creates a hasher with its own digest. */
    public Sha256Hasher() {
    }

    /** Writes SHA-256 of {@code data[offset, offset+length)} to {@code out[outOffset..+32)}. */
    public void sha256(byte[] data, int offset, int length, byte[] out, int outOffset) {
        Objects.checkFromIndexSize(offset, length, data.length);
        Objects.checkFromIndexSize(outOffset, Sha256Hash.LENGTH, out.length);
        digest.update(data, offset, length);
        finish(digest, out, outOffset);
    }

    /**
     * Writes sha256d of {@code data[offset, offset+length)} to {@code out[outOffset..+32)}.
     * {@code out} may overlap the input.
     */
    public void sha256d(byte[] data, int offset, int length, byte[] out, int outOffset) {
        sha256(data, offset, length, out, outOffset);
        digest.update(out, outOffset, Sha256Hash.LENGTH);
        finish(digest, out, outOffset);
    }

    /**
     * Writes sha256d of {@code prefix ‖ suffix} to {@code out}, where the prefix was hashed once
     * into {@code midstate}. The suffix is {@code suffix[offset, offset+length)}.
     */
    public void sha256d(Sha256Midstate midstate, byte[] suffix, int offset, int length, byte[] out, int outOffset) {
        Objects.checkFromIndexSize(offset, length, suffix.length);
        Objects.checkFromIndexSize(outOffset, Sha256Hash.LENGTH, out.length);
        MessageDigest resumed = midstate.resume();
        resumed.update(suffix, offset, length);
        finish(resumed, out, outOffset);
        digest.update(out, outOffset, Sha256Hash.LENGTH);
        finish(digest, out, outOffset);
    }

    static void finish(MessageDigest md, byte[] out, int outOffset) {
        try {
            md.digest(out, outOffset, Sha256Hash.LENGTH);
        } catch (DigestException e) {
            // Only thrown for a too-small output, which the bounds checks above rule out.
            throw new IllegalStateException(e);
        }
    }
}
