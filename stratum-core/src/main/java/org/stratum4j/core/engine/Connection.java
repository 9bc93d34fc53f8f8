package org.stratum4j.core.engine;

import java.net.SocketAddress;
import java.time.Duration;
import org.stratum4j.core.protocol.PoolMessage;

/**
 * The engine's view of one miner connection, implemented by the transport. Every method is called
 * on the connection's own event loop (the engine never calls it from elsewhere), except
 * {@link #execute}, which SPI completions call from any thread to get back onto that loop.
 */
public interface Connection {

    /** The miner's address (after a PROXY header, the real client's). */
    SocketAddress remoteAddress();

    /** Queues a message for the miner (the transport encodes it with its loop's codec). */
    void send(PoolMessage message);

    /** Queues an already-encoded line (a job's notify, encoded once for every session). */
    void sendLine(byte[] line);

    /** Flushes what was queued and closes the connection. */
    void close(String reason);

    /** Closes the connection and refuses its address for {@code duration}. */
    void ban(Duration duration, String reason);

    /** Runs {@code task} on this connection's event loop, later; from any thread. */
    void execute(Runnable task);
}
