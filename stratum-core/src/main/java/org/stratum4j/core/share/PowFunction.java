package org.stratum4j.core.share;

import java.util.Arrays;
import org.bouncycastle.crypto.generators.SCrypt;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Sha256Hasher;

/**
 * SPI: the proof-of-work hash of an 80-byte header, compared with targets as a little-endian
 * 256-bit number (internal order). Bitcoin's is sha256d; Litecoin's is scrypt. The coinbase and
 * merkle hashing stay sha256d either way, as on those chains.
 *
 * <p>Implementations must be thread-safe; the caller passes its own {@link Sha256Hasher} so that a
 * SHA-256 based function needs no state of its own.
 */
public interface PowFunction {

    /**
     * Writes the proof-of-work hash of {@code header[offset, offset+80)} to
     * {@code out[outOffset, outOffset+32)}, internal order.
     */
    void hash(byte[] header, int offset, byte[] out, int outOffset, Sha256Hasher hasher);

    /** A short name for logs and configuration ({@code sha256d}, {@code scrypt}). */
    String id();

    /** Bitcoin's proof of work: sha256d of the header. */
    static PowFunction sha256d() {
        return Sha256d.INSTANCE;
    }

    /**
     * Litecoin's proof of work: scrypt with N=1024, r=1, p=1, the header as both password and salt,
     * 32 bytes out (Bouncy Castle's implementation). About a thousand times the cost of sha256d.
     */
    static PowFunction scrypt() {
        return Scrypt.INSTANCE;
    }

    /** sha256d. */
    final class Sha256d implements PowFunction {
        static final Sha256d INSTANCE = new Sha256d();

        private Sha256d() {
        }

        @Override
        public void hash(byte[] header, int offset, byte[] out, int outOffset, Sha256Hasher hasher) {
            hasher.sha256d(header, offset, BlockHeader.LENGTH, out, outOffset);
        }

        @Override
        public String id() {
            return "sha256d";
        }
    }

    /** scrypt(1024, 1, 1). */
    final class Scrypt implements PowFunction {
        static final Scrypt INSTANCE = new Scrypt();

        private Scrypt() {
        }

        @Override
        public void hash(byte[] header, int offset, byte[] out, int outOffset, Sha256Hasher hasher) {
            byte[] h = Arrays.copyOfRange(header, offset, offset + BlockHeader.LENGTH);
            byte[] k = SCrypt.generate(h, h, 1024, 1, 1, Sha256Hash.LENGTH);
            System.arraycopy(k, 0, out, outOffset, Sha256Hash.LENGTH);
        }

        @Override
        public String id() {
            return "scrypt";
        }
    }
}
