package org.stratum4j.transport.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * What a client connection on a {@link ClientGroup} loop is, whatever it speaks ({@link StratumClient},
 * {@link Sv2Client}): the socket and its {@link Wire}, a byte-capped outbound queue written as the
 * socket allows, the read loop, and the close that every pending request hears about. Subclasses
 * say what a connection's first step is, what to do with bytes read, and whom to tell on close.
 * Everything runs on the loop's thread.
 */
abstract class ClientSocket {

    private static final long MAX_OUTBOUND = 1 << 20;

    final ClientGroup.Loop loop;
    final SocketChannel channel;
    final Wire wire;
    final InetSocketAddress address;
    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
    private long queued;
    boolean closed;
    SelectionKey key;
    /** What the loop drives, without making those methods part of the public classes' API. */
    final LoopClient io = new LoopClient() {
        @Override
        public void finishConnect() {
            ClientSocket.this.finishConnect();
        }

        @Override
        public void flush() {
            ClientSocket.this.flush();
        }

        @Override
        public void onReadable(ByteBuffer buffer) {
            ClientSocket.this.onReadable(buffer);
        }

        @Override
        public void close(String reason) {
            ClientSocket.this.close(reason);
        }
    };

    ClientSocket(ClientGroup.Loop loop, SocketChannel channel, Wire wire, InetSocketAddress address) {
        this.loop = loop;
        this.channel = channel;
        this.wire = wire;
        this.address = address;
    }

    /** The socket is connected: take the first step (start TLS, send act 1). */
    abstract void connected();

    /**
     * Bytes read from the pool, in {@code buffer}; false once the connection is closed.
     *
     * @throws IOException when the bytes cannot be used (the connection is closed with its message)
     */
    abstract boolean consume(ByteBuffer buffer) throws IOException;

    /** After a read: a subclass may complete its connect or flush what waited. */
    void afterRead() {
    }

    /** The connect failed before {@link #connected}. */
    abstract void connectFailed(IOException e);

    /** The connection closed for {@code reason}: fail what is pending with {@code cause}, tell the listener. */
    abstract void closedBecause(IOException cause, String reason);

    final void finishConnect() {
        try {
            if (channel.finishConnect()) {
                connected();
            }
        } catch (IOException e) {
            connectFailed(e);
            close("connect failed: " + e.getMessage());
        }
    }

    /** Queues bytes for the pool and writes what the socket takes now. */
    final void enqueue(ByteBuffer b) {
        if (closed) {
            return;
        }
        queued += b.remaining();
        if (queued > MAX_OUTBOUND) {
            close("more than " + MAX_OUTBOUND + " bytes unsent");
            return;
        }
        outbound.add(b);
        if (channel.isConnected()) {
            flush();
        }
    }

    /** Whether bytes wait to be written. */
    final boolean hasOutbound() {
        return !outbound.isEmpty() || wire.hasPendingOutput();
    }

    final void flush() {
        try {
            boolean blocked = !wire.flushPending();
            while (!blocked && !outbound.isEmpty()) {
                ByteBuffer b = outbound.peek();
                queued -= wire.write(b);
                if (b.hasRemaining()) {
                    blocked = true;
                } else {
                    outbound.poll();
                }
            }
            if (key.isValid()) {
                // Before a TLS handshake is done, only the pool's bytes can unblock us, not the socket.
                boolean waitForSocket = wire.hasPendingOutput() || (blocked && wire.established());
                key.interestOps(waitForSocket ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
        } catch (TlsFailure e) {
            close(e.getMessage());
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
        }
    }

    final void onReadable(ByteBuffer buf) {
        try {
            while (!closed) {
                buf.clear();
                int n = wire.read(buf);
                if (n < 0) {
                    close("closed by pool");
                    return;
                }
                if (n == 0) {
                    break;
                }
                buf.flip();
                if (!consume(buf)) {
                    return;
                }
            }
        } catch (TlsFailure e) {
            close(e.getMessage());
            return;
        } catch (IOException e) {
            close("read failed: " + e.getMessage());
            return;
        }
        afterRead();
    }

    final void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        if (channel.isConnected() && reason.equals("closed by client")) {
            wire.closeOutbound();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        loop.removed(io);
        closedBecause(new IOException("connection to " + address + " closed: " + reason), reason);
    }
}
