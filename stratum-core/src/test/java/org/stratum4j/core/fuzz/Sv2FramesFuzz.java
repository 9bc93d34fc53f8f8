package org.stratum4j.core.fuzz;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.DifficultyPolicy;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.sv2.Sv2Codec;
import org.stratum4j.core.sv2.Sv2Connection;
import org.stratum4j.core.sv2.Sv2DecodeException;
import org.stratum4j.core.sv2.Sv2Engine;
import org.stratum4j.core.sv2.Sv2Framing;
import org.stratum4j.core.sv2.Sv2Message;
import org.stratum4j.core.sv2.Sv2Session;
import org.stratum4j.core.sv2.noise.NoiseException;
import org.stratum4j.core.sv2.noise.NoiseInitiator;
import org.stratum4j.core.sv2.noise.NoiseResponder;
import org.stratum4j.core.sv2.noise.NoiseSession;
import org.stratum4j.core.sv2.noise.Secp256k1KeyPair;
import org.stratum4j.core.sv2.noise.ServerIdentity;

/**
 * Any frames a Stratum V2 miner can send once its handshake is done. The input is read as frames
 * ({@code extension_type} U16, {@code msg_type} U8, a one-byte length, the payload), encrypted by a
 * real session and fed to the server's framing in pieces of input-chosen sizes; every message
 * decoded goes to the V2 engine on a pool with a job. Neither may throw anything but a
 * decryption or decode refusal; the raw input fed as ciphertext must fail decryption cleanly.
 */
public final class Sv2FramesFuzz {

    private static final long T0 = 1_700_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom(new byte[] {1});
    private static final ServerIdentity IDENTITY;
    private static final Sv2Engine ENGINE;

    static {
        Secp256k1KeyPair authority = Secp256k1KeyPair.fromPrivateKey(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        IDENTITY = ServerIdentity.issue(authority, T0 - 60, 3600, RANDOM);
        PoolEngine engine = PoolEngine.builder().clock(Clock.fixed(Instant.ofEpochSecond(T0), ZoneOffset.UTC))
                .payouts(t -> List.of(CoinbaseOutput.of(t.coinbaseValue(), new byte[] {0x51})))
                .blockSubmitter(b -> CompletableFuture.completedFuture(Optional.empty()))
                .difficultyPolicy(DifficultyPolicy.fixed(Difficulty.of("1e-12"), Difficulty.of(1L << 40)))
                .initialDifficulty(Difficulty.of("0.000000001")).build();
        byte[] prev = new byte[32];
        prev[31] = 1;
        engine.newTemplate(BlockTemplate.builder().previousBlockHash(Sha256Hash.fromInternalBytes(prev)).bits(CompactBits.of(0x207fffff))
                .height(201).curTime(T0).minTime(T0 - 600).coinbaseValue(5_000_000_000L).build());
        ENGINE = Sv2Engine.on(engine);
    }

    private Sv2FramesFuzz() {
    }

    /** A connection that drops what it is sent. */
    private static final class Sink implements Sv2Connection {
        boolean closed;

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public void send(Sv2Message message) {
            Sv2Codec.encodeFrame(message); // every answer must encode
        }

        @Override
        public void close(String reason) {
            closed = true;
        }

        @Override
        public void ban(Duration duration, String reason) {
            closed = true;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }
    }

    /** libFuzzer's entry point. */
    public static void fuzzerTestOneInput(byte[] input) throws NoiseException {
        NoiseInitiator client = new NoiseInitiator(IDENTITY.authority(), RANDOM);
        NoiseResponder server = new NoiseResponder(IDENTITY, RANDOM);
        NoiseSession clientSession = client.readAct2(server.readAct1WriteAct2(client.writeAct1()), T0);
        Sv2Framing clientSide = new Sv2Framing(clientSession, 1 << 16);
        Sv2Framing serverSide = new Sv2Framing(server.session(), 16 * 1024);

        // Every 4 input bytes may become a frame of 22 + 16 bytes of overhead.
        ByteBuffer wire = ByteBuffer.allocate(input.length * 10 + 64);
        int at = 0;
        while (at + 4 <= input.length) {
            int ext = (input[at] & 0xFF) | (input[at + 1] & 0xFF) << 8;
            int type = input[at + 2] & 0xFF;
            int length = Math.min(input[at + 3] & 0xFF, input.length - at - 4);
            byte[] payload = java.util.Arrays.copyOfRange(input, at + 4, at + 4 + length);
            at += 4 + length;
            byte[] header = new byte[6];
            Sv2Codec.writeHeader(header, 0, ext, type, length);
            byte[] frame = new byte[NoiseSession.encryptedFrameLength(length)];
            clientSession.encryptFrame(header, 0, payload, 0, length, frame, 0);
            wire.put(frame);
        }
        wire.flip();
        Sink connection = new Sink();
        Sv2Session session = ENGINE.open(connection);
        int piece = input.length == 0 ? 1 : 1 + (input[0] & 0x3F);
        try {
            while (wire.hasRemaining() && !connection.closed) {
                ByteBuffer slice = wire.slice();
                slice.limit(Math.min(piece, slice.remaining()));
                wire.position(wire.position() + slice.limit());
                serverSide.feed(slice, m -> {
                    ENGINE.receive(session, m);
                    return !connection.closed;
                });
            }
        } catch (Sv2DecodeException e) {
            // a clear refusal: the transport closes the connection
        } finally {
            ENGINE.tick(session);
            ENGINE.closed(session);
        }

        Sv2Framing raw = new Sv2Framing(clientSession, 16 * 1024);
        try {
            raw.feed(ByteBuffer.wrap(input), m -> true);
            if (input.length >= NoiseSession.ENCRYPTED_HEADER_LENGTH) {
                throw new IllegalStateException("unencrypted bytes decrypted");
            }
        } catch (NoiseException | Sv2DecodeException expected) {
            // garbage is refused
        }
        if (clientSide.buffered() != 0) {
            throw new IllegalStateException("nothing was fed to the client side");
        }
    }
}
