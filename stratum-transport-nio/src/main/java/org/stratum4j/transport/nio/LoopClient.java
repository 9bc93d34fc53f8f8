package org.stratum4j.transport.nio;

import java.nio.ByteBuffer;

/** What a {@link ClientGroup} loop drives: one client socket, V1 or V2. All calls on the loop's thread. */
interface LoopClient {

    /** The socket finished connecting (or failed to). */
    void finishConnect();

    /** The socket can take more bytes. */
    void flush();

    /** The socket has bytes. */
    void onReadable(ByteBuffer buffer);

    /** Closes the connection. */
    void close(String reason);
}
