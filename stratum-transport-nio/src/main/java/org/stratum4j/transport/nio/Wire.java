package org.stratum4j.transport.nio;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The byte stream under one connection, plain or TLS, driven by its event loop: the connection
 * reads and writes plaintext and never learns which it is. Non-blocking: {@code read} and
 * {@code write} move what they can now.
 */
interface Wire {

    /** Plaintext TLS records can carry: callers read into buffers at least this large. */
    int MIN_READ_BUFFER = 32 * 1024;

    /**
     * Reads plaintext into {@code dst} (at least {@link #MIN_READ_BUFFER} free).
     *
     * @return the bytes read, 0 when nothing more is available now, -1 at the end of the stream
     * @throws TlsFailure when the TLS layer refuses the peer's bytes
     */
    int read(ByteBuffer dst) throws IOException;

    /** Whether {@link #read} may have more even after a short read (TLS records held back). */
    boolean mayHaveMore();

    /**
     * Writes plaintext from {@code src}.
     *
     * @return the bytes taken from {@code src}; fewer than offered when the socket is full or a
     *     TLS handshake must finish first
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Writes from several buffers in order, as far as the socket takes them now; returns the bytes
     * taken. A plain wire does it in one system call (a Stratum V2 job is two frames, a difficulty
     * change two lines); by default, one buffer at a time.
     */
    default long write(ByteBuffer[] srcs, int count) throws IOException {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += write(srcs[i]);
            if (srcs[i].hasRemaining()) {
                break;
            }
        }
        return n;
    }

    /** Whether bytes taken by {@link #write} still wait for the socket (ask for OP_WRITE). */
    boolean hasPendingOutput();

    /** Sends what is pending; true when nothing is left. */
    boolean flushPending() throws IOException;

    /** Whether application bytes can flow (always, for plain; after the handshake, for TLS). */
    boolean established();

    /** Bytes that arrived before the wire took over (after a PROXY header): read them first. */
    void unread(byte[] bytes);

    /** Starts the wire once connected (a TLS client sends its hello). */
    void start() throws IOException;

    /**
     * Whether the wire waits for work off the loop (TLS handshake computations): the owner stops
     * asking for reads and writes until it calls {@link #resume}.
     */
    default boolean paused() {
        return false;
    }

    /** Continues after a pause, on the owner's loop; the owner then reads again (bytes may be held). */
    default void resume() throws IOException {
    }

    /** Says goodbye (TLS close_notify), best effort; the caller then closes the socket. */
    void closeOutbound();
}
