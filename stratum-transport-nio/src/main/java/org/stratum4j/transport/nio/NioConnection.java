package org.stratum4j.transport.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import org.stratum4j.core.engine.Connection;
import org.stratum4j.core.engine.Session;
import org.stratum4j.core.protocol.MinerMessage;
import org.stratum4j.core.protocol.PoolMessage;

/**
 * One miner's socket on its event loop: reads into a {@link LineFramer}, decodes each line with the
 * loop's codec and gives it to the engine; queues what the engine sends, up to a byte cap, and
 * writes it as the socket allows. Everything but {@link #execute} runs on the owning loop.
 */
final class NioConnection implements Connection, LineFramer.Sink {

    private final EventLoop loop;
    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final LineFramer framer;
    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
    private final long maxOutbound;
    private SelectionKey key;
    private long queued;
    Session session;
    final long openedAtNanos;
    boolean closed;

    NioConnection(EventLoop loop, SocketChannel channel, InetSocketAddress remote, int maxLine, long maxOutbound) {
        this.loop = loop;
        this.channel = channel;
        this.remote = remote;
        this.framer = new LineFramer(maxLine);
        this.maxOutbound = maxOutbound;
        this.openedAtNanos = System.nanoTime();
    }

    void attach(SelectionKey k) {
        this.key = k;
    }

    InetAddress address() {
        return remote.getAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    /** The socket is readable: read what is there and process every complete line. */
    void onReadable(ByteBuffer readBuffer) {
        try {
            while (!closed) {
                readBuffer.clear();
                int n = channel.read(readBuffer);
                if (n < 0) {
                    close("peer closed");
                    return;
                }
                if (n == 0) {
                    break;
                }
                loop.metrics.bytesIn.add(n);
                readBuffer.flip();
                if (!framer.feed(readBuffer, this) && !closed) {
                    close("line too long");
                    return;
                }
                if (n < readBuffer.capacity()) {
                    break;
                }
            }
        } catch (IOException e) {
            close("read error");
            return;
        }
        flush();
    }

    @Override
    public boolean line(byte[] buffer, int offset, int length) {
        loop.metrics.linesIn.increment();
        MinerMessage m = loop.codec.decode(buffer, offset, length);
        loop.engine.receive(session, m);
        return !closed;
    }

    @Override
    public void send(PoolMessage message) {
        if (closed) {
            return;
        }
        loop.writer.reset();
        loop.codec.encode(message, loop.writer);
        byte[] copy = loop.writer.toByteArray();
        enqueue(ByteBuffer.wrap(copy));
    }

    @Override
    public void sendLine(byte[] line) {
        if (closed) {
            return;
        }
        enqueue(ByteBuffer.wrap(line).asReadOnlyBuffer());
    }

    private void enqueue(ByteBuffer b) {
        queued += b.remaining();
        loop.metrics.linesOut.increment();
        if (queued > maxOutbound) {
            outbound.clear();
            queued = 0;
            close("slow reader: more than " + maxOutbound + " bytes queued");
            return;
        }
        outbound.add(b);
        loop.dirty(this);
    }

    /** Writes what the socket takes now; asks for OP_WRITE when it takes less. */
    void flush() {
        if (closed || key == null) {
            return;
        }
        try {
            while (!outbound.isEmpty()) {
                ByteBuffer b = outbound.peek();
                int n = channel.write(b);
                loop.metrics.bytesOut.add(n);
                queued -= n;
                if (b.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                outbound.poll();
            }
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            outbound.clear();
            close("write error");
        }
    }

    boolean hasPendingOutput() {
        return !outbound.isEmpty();
    }

    @Override
    public void close(String reason) {
        if (closed) {
            return;
        }
        // Best effort: a final answer (an error, a reconnect) should reach the miner before the close.
        if (!reason.startsWith("slow reader") && !reason.endsWith("error")) {
            try {
                while (!outbound.isEmpty() && channel.write(outbound.peek()) > 0) {
                    if (!outbound.peek().hasRemaining()) {
                        outbound.poll();
                    }
                }
            } catch (IOException e) {
                // closing anyway
            }
        }
        closed = true;
        outbound.clear();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
        loop.closed(this, reason);
    }

    @Override
    public void ban(Duration duration, String reason) {
        loop.server.ban(remote.getAddress(), duration);
        close("banned: " + reason);
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(() -> {
            if (!closed) {
                task.run();
                flush();
            }
        });
    }
}
