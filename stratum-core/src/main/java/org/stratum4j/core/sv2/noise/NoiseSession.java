package org.stratum4j.core.sv2.noise;

import java.util.Objects;
import org.stratum4j.core.bitcoin.LittleEndian;

/**
 * An established Stratum V2 session: the two cipher states and the encrypted framing of section
 * 4.6. A frame is its 6-byte header encrypted on its own (22 bytes), then the payload in chunks of
 * at most 65,519 plaintext bytes, each encrypted to at most 65,535. The header's length field is
 * the plaintext payload's length, so a reader knows the ciphertext's length from the header alone
 * ({@link #encryptedPayloadLength}).
 *
 * <p>Each direction is owned by one thread at a time (a connection's event loop); not thread-safe.
 */
public final class NoiseSession {

    /** Bytes of a plaintext frame header: extension type (U16), message type (U8), length (U24). */
    public static final int HEADER_LENGTH = 6;
    /** Bytes of an encrypted frame header. */
    public static final int ENCRYPTED_HEADER_LENGTH = HEADER_LENGTH + CipherState.MAC_LENGTH;
    /** The largest Noise message (ciphertext with its tag). */
    public static final int MAX_CHUNK = 65_535;
    /** The largest plaintext in one Noise message. */
    public static final int MAX_PLAINTEXT_CHUNK = MAX_CHUNK - CipherState.MAC_LENGTH;
    /** The largest payload a U24 length can name. */
    public static final int MAX_PAYLOAD = 0xFF_FFFF;

    private final CipherState sending;
    private final CipherState receiving;
    private final byte[] handshakeHash;

    NoiseSession(CipherState sending, CipherState receiving, byte[] handshakeHash) {
        this.sending = sending;
        this.receiving = receiving;
        this.handshakeHash = handshakeHash;
    }

    /** The final handshake hash: equal on both sides of one session, different for every session. */
    public byte[] handshakeHash() {
        return handshakeHash.clone();
    }

    /** The ciphertext length of a payload of {@code plaintextLength} bytes (the spec's {@code pt_len_to_ct_len}). */
    public static int encryptedPayloadLength(int plaintextLength) {
        if (plaintextLength < 0 || plaintextLength > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a payload is 0.." + MAX_PAYLOAD + " bytes, got " + plaintextLength);
        }
        int remainder = plaintextLength % MAX_PLAINTEXT_CHUNK;
        return plaintextLength / MAX_PLAINTEXT_CHUNK * MAX_CHUNK + (remainder > 0 ? remainder + CipherState.MAC_LENGTH : 0);
    }

    /** The bytes a whole encrypted frame takes for a payload of {@code plaintextLength} bytes. */
    public static int encryptedFrameLength(int plaintextLength) {
        return ENCRYPTED_HEADER_LENGTH + encryptedPayloadLength(plaintextLength);
    }

    /**
     * Encrypts one frame — {@code header} (6 bytes at {@code headerOffset}, whose length field must
     * equal {@code length}) and the payload — into {@code out}, which needs
     * {@link #encryptedFrameLength} bytes from {@code outOffset}. Returns the bytes written.
     */
    public int encryptFrame(byte[] header, int headerOffset, byte[] payload, int offset, int length, byte[] out, int outOffset) {
        Objects.requireNonNull(header, "header");
        int named = (int) LittleEndian.read(header, headerOffset + 3, 3);
        if (named != length) {
            throw new IllegalArgumentException("the header names a " + named + "-byte payload, but " + length + " bytes were given");
        }
        int at = outOffset + sending.encrypt(null, header, headerOffset, HEADER_LENGTH, out, outOffset);
        int done = 0;
        while (done < length) {
            int chunk = Math.min(MAX_PLAINTEXT_CHUNK, length - done);
            at += sending.encrypt(null, payload, offset + done, chunk, out, at);
            done += chunk;
        }
        return at - outOffset;
    }

    /**
     * Decrypts an encrypted header (22 bytes at {@code offset}) into {@code header} (6 bytes).
     *
     * @throws NoiseException when its tag does not verify
     */
    public void decryptHeader(byte[] in, int offset, byte[] header) throws NoiseException {
        receiving.decrypt(null, in, offset, ENCRYPTED_HEADER_LENGTH, header, 0);
    }

    /**
     * Decrypts a payload of {@code plaintextLength} bytes (its ciphertext is
     * {@link #encryptedPayloadLength} bytes at {@code offset}) into {@code out}.
     *
     * @throws NoiseException when a chunk's tag does not verify
     */
    public void decryptPayload(byte[] in, int offset, int plaintextLength, byte[] out, int outOffset) throws NoiseException {
        int done = 0;
        int at = offset;
        while (done < plaintextLength) {
            int chunk = Math.min(MAX_PLAINTEXT_CHUNK, plaintextLength - done);
            receiving.decrypt(null, in, at, chunk + CipherState.MAC_LENGTH, out, outOffset + done);
            at += chunk + CipherState.MAC_LENGTH;
            done += chunk;
        }
    }
}
