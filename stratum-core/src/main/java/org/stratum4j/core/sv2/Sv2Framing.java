package org.stratum4j.core.sv2;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Predicate;
import org.stratum4j.core.sv2.noise.NoiseException;
import org.stratum4j.core.sv2.noise.NoiseSession;

/**
 * One connection's encrypted Stratum V2 framing after the handshake, both directions:
 * {@link #encode} turns a message into its encrypted frame, {@link #feed} takes bytes as the socket
 * delivers them and hands out each message once its frame is complete. The inbound buffer is
 * bounded by one largest allowed frame: a header naming a longer payload is refused before any
 * allocation for it. Not thread-safe: the connection's loop owns it.
 */
public final class Sv2Framing {

    private final NoiseSession session;
    private final int maxPayload;
    private final int capacity;
    /** Starts small (a submit's frame is 62 bytes): thousands of idle connections each hold one. */
    private byte[] in = new byte[64];
    private int inLength;
    private final byte[] header = new byte[NoiseSession.HEADER_LENGTH];
    /** Plaintext length of the frame whose header was read, or -1 between frames. */
    private int payloadLength = -1;
    private int extensionType;
    private int messageType;

    /**
     * Framing over {@code session}, accepting payloads of at most {@code maxPayload} bytes (1 KiB ..
     * 16 MiB − 1) from the peer.
     */
    public Sv2Framing(NoiseSession session, int maxPayload) {
        this.session = Objects.requireNonNull(session, "session");
        if (maxPayload < 1024 || maxPayload > NoiseSession.MAX_PAYLOAD) {
            throw new IllegalArgumentException("maxPayload " + maxPayload + " is outside 1024.." + NoiseSession.MAX_PAYLOAD);
        }
        this.maxPayload = maxPayload;
        this.capacity = NoiseSession.encryptedFrameLength(maxPayload);
    }

    /** The encrypted frame of {@code message}. */
    public byte[] encode(Sv2Message message) {
        byte[] payload = Sv2Codec.encodePayload(message);
        byte[] plainHeader = new byte[NoiseSession.HEADER_LENGTH];
        Sv2Codec.writeHeader(plainHeader, 0, Sv2Codec.extensionType(message), message.messageType(), payload.length);
        byte[] frame = new byte[NoiseSession.encryptedFrameLength(payload.length)];
        session.encryptFrame(plainHeader, 0, payload, 0, payload.length, frame, 0);
        return frame;
    }

    /**
     * Takes all of {@code bytes} and gives {@code sink} every message completed, in order, until
     * the sink returns false (the connection closed), after which the rest is dropped.
     *
     * @return false when the sink stopped
     * @throws NoiseException       when a header or payload does not decrypt
     * @throws Sv2DecodeException   when a payload is not the message its header names, or a header
     *                              names a payload above the limit
     */
    public boolean feed(ByteBuffer bytes, Predicate<Sv2Message> sink) throws NoiseException, Sv2DecodeException {
        while (bytes.hasRemaining()) {
            if (inLength == in.length) {
                // process() consumes every complete frame, so a full buffer below capacity only needs room.
                in = Arrays.copyOf(in, Math.min(capacity, in.length * 2));
            }
            int take = Math.min(in.length - inLength, bytes.remaining());
            bytes.get(in, inLength, take);
            inLength += take;
            if (!process(sink)) {
                return false;
            }
        }
        return true;
    }

    /** Bytes held for an incomplete frame. */
    public int buffered() {
        return inLength;
    }

    private boolean process(Predicate<Sv2Message> sink) throws NoiseException, Sv2DecodeException {
        int at = 0;
        try {
            while (true) {
                if (payloadLength < 0) {
                    if (inLength - at < NoiseSession.ENCRYPTED_HEADER_LENGTH) {
                        return true;
                    }
                    session.decryptHeader(in, at, header);
                    at += NoiseSession.ENCRYPTED_HEADER_LENGTH;
                    extensionType = Sv2Codec.headerExtensionType(header, 0);
                    messageType = Sv2Codec.headerMessageType(header, 0);
                    payloadLength = Sv2Codec.headerPayloadLength(header, 0);
                    if (payloadLength > maxPayload) {
                        throw new Sv2DecodeException("a frame of " + payloadLength + " bytes is above the limit of " + maxPayload);
                    }
                }
                int cipherLength = NoiseSession.encryptedPayloadLength(payloadLength);
                if (inLength - at < cipherLength) {
                    return true;
                }
                byte[] payload = new byte[payloadLength];
                session.decryptPayload(in, at, payloadLength, payload, 0);
                at += cipherLength;
                int length = payloadLength;
                payloadLength = -1;
                if (!sink.test(Sv2Codec.decode(extensionType, messageType, payload, 0, length))) {
                    return false;
                }
            }
        } finally {
            if (at > 0) {
                System.arraycopy(in, at, in, 0, inLength - at);
                inLength -= at;
            }
        }
    }
}
