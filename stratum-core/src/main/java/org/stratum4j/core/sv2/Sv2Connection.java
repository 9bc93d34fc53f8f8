package org.stratum4j.core.sv2;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * The Stratum V2 engine's view of one connection, implemented by the transport (which does the
 * Noise handshake and the encryption). Called only on the connection's own event loop, except
 * {@link #execute}, which completions call from any thread to get back onto it.
 */
public interface Sv2Connection {

    /** The peer's address (after a PROXY header, the real client's). */
    SocketAddress remoteAddress();

    /** Encrypts and queues a message. */
    void send(Sv2Message message);

    /** Flushes what was queued and closes the connection. */
    void close(String reason);

    /** Closes the connection and refuses its address for {@code duration}. */
    void ban(Duration duration, String reason);

    /** Runs {@code task} on this connection's event loop, later; from any thread. */
    void execute(Runnable task);
}
