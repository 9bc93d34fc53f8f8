package org.stratum4j.transport.nio;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;

/**
 * One event loop's TLS scratch space. Every TLS connection of the loop works in these two record
 * buffers and keeps bytes of its own only while a record is half received or half sent, so an idle
 * TLS miner costs its {@link SSLEngine} and no 33 KB of buffers.
 */
final class TlsBuffers {

    private ByteBuffer netIn = ByteBuffer.allocate(0);
    private ByteBuffer netOut = ByteBuffer.allocate(0);

    /** Makes room for {@code engine}'s largest record. */
    void fit(SSLEngine engine) {
        int size = engine.getSession().getPacketBufferSize();
        if (netIn.capacity() < size) {
            netIn = ByteBuffer.allocate(size);
            netOut = ByteBuffer.allocate(size);
        }
    }

    /** Received ciphertext, cleared by the user. */
    ByteBuffer netIn() {
        return netIn;
    }

    /** Ciphertext to send, cleared by the user. */
    ByteBuffer netOut() {
        return netOut;
    }
}
