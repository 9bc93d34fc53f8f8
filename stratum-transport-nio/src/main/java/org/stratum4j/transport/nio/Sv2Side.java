package org.stratum4j.transport.nio;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.stratum4j.core.sv2.Sv2Connection;
import org.stratum4j.core.sv2.Sv2Framing;
import org.stratum4j.core.sv2.Sv2DecodeException;
import org.stratum4j.core.sv2.Sv2Message;
import org.stratum4j.core.sv2.Sv2Session;
import org.stratum4j.core.sv2.noise.NoiseException;
import org.stratum4j.core.sv2.noise.NoiseResponder;
import org.stratum4j.core.sv2.noise.ServerIdentity;

/**
 * The Stratum V2 half of a {@link NioConnection} on a V2 port: reads the client's 64-byte act 1,
 * answers with act 2 (computed off the loop when the server has a handshake pool, as TLS
 * handshakes are), then decrypts frames ({@link Sv2Framing}) and hands their messages to the
 * server's {@code Sv2Engine}. A header naming a payload above the server's line limit closes the
 * connection before anything is allocated for it.
 * Everything runs on the connection's loop.
 */
final class Sv2Side implements Sv2Connection {

    private final NioConnection connection;
    private final EventLoop loop;
    private final int maxPayload;
    /** Act 1 as it arrives; dropped once the handshake starts. */
    private byte[] act1 = new byte[NoiseResponder.ACT1_LENGTH];
    private int actLength;
    private boolean handshaking;
    private Sv2Framing framing;
    Sv2Session session;

    Sv2Side(NioConnection connection, EventLoop loop, int maxPayload) {
        this.connection = connection;
        this.loop = loop;
        this.maxPayload = maxPayload;
    }

    /** Takes bytes from the socket; false once the connection is closed. */
    boolean feed(ByteBuffer bytes) {
        if (framing == null) {
            int room = NoiseResponder.ACT1_LENGTH - actLength;
            if (handshaking || bytes.remaining() > room) {
                // The client must wait for act 2 before it sends anything else.
                connection.close("Stratum V2: data before the handshake finished");
                return false;
            }
            int n = bytes.remaining();
            bytes.get(act1, actLength, n);
            actLength += n;
            if (actLength == NoiseResponder.ACT1_LENGTH) {
                byte[] complete = act1;
                act1 = null;
                startHandshake(complete);
            }
            return !connection.closed;
        }
        try {
            framing.feed(bytes, this::message);
        } catch (NoiseException e) {
            connection.close("Stratum V2: decryption failed");
        } catch (Sv2DecodeException e) {
            connection.close("Stratum V2: bad frame");
        }
        return !connection.closed;
    }

    private boolean message(Sv2Message m) {
        loop.metrics.linesIn.increment();
        loop.sv2Engine.receive(session, m);
        return !connection.closed;
    }

    private void startHandshake(byte[] act1) {
        handshaking = true;
        ServerIdentity identity;
        try {
            identity = connection.listener().stratumV2().get();
        } catch (RuntimeException e) {
            connection.close("Stratum V2: no server identity");
            return;
        }
        NoiseResponder responder = new NoiseResponder(identity, loop.server.random());
        Executor executor = loop.server.handshakeExecutor();
        if (executor == null) {
            finishHandshake(responder, act1);
            return;
        }
        executor.execute(() -> {
            byte[] act2;
            try {
                act2 = responder.readAct1WriteAct2(act1);
            } catch (NoiseException | RuntimeException e) {
                act2 = null;
            }
            byte[] done = act2;
            loop.execute(() -> {
                if (!connection.closed) {
                    handshakeDone(responder, done);
                }
            });
        });
    }

    private void finishHandshake(NoiseResponder responder, byte[] act1) {
        byte[] act2;
        try {
            act2 = responder.readAct1WriteAct2(act1);
        } catch (NoiseException | RuntimeException e) {
            act2 = null;
        }
        handshakeDone(responder, act2);
    }

    private void handshakeDone(NoiseResponder responder, byte[] act2) {
        handshaking = false;
        if (act2 == null) {
            connection.close("Stratum V2: handshake failed");
            return;
        }
        framing = new Sv2Framing(responder.session(), maxPayload);
        session = loop.sv2Engine.open(this);
        connection.sendRaw(act2);
    }

    /** Periodic work: the handshake and setup deadlines, then the engine's tick. */
    void tick(long now, long idleNanos, long timeoutSeconds) {
        if (now - connection.openedAtNanos <= idleNanos) {
            if (session != null) {
                loop.sv2Engine.tick(session);
            }
            return;
        }
        if (session == null) {
            connection.close("Stratum V2: no handshake within " + timeoutSeconds + " s");
        } else if (session.channelCount() == 0) {
            connection.close("Stratum V2: no mining channel within " + timeoutSeconds + " s");
        } else {
            loop.sv2Engine.tick(session);
        }
    }

    /** Whether the handshake is done (a drain tells such connections to reconnect). */
    boolean established() {
        return session != null;
    }

    void closed() {
        if (session != null) {
            loop.sv2Engine.closed(session);
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public void send(Sv2Message message) {
        if (connection.closed || framing == null) {
            return;
        }
        connection.sendRaw(framing.encode(message));
    }

    @Override
    public void close(String reason) {
        connection.close(reason);
    }

    @Override
    public void ban(Duration duration, String reason) {
        connection.ban(duration, reason);
    }

    @Override
    public void execute(Runnable task) {
        connection.execute(task);
    }
}
