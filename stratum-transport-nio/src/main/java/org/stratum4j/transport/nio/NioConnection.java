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
    private InetSocketAddress remote;
    private final Listener listener;
    private final LineFramer framer;
    /** The PROXY header read so far, while one is expected. */
    private byte[] proxy;
    private int proxyLength;
    /** The address this connection is counted under for per-address limits, or null. */
    InetAddress counted;
    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
    private final long maxOutbound;
    private SelectionKey key;
    private long queued;
    Session session;
    final long openedAtNanos;
    boolean closed;
    /** Queued for the loop's end-of-iteration flush. */
    boolean dirty;

    NioConnection(EventLoop loop, SocketChannel channel, InetSocketAddress remote, Listener listener, int maxLine,
                  long maxOutbound) {
        this.loop = loop;
        this.channel = channel;
        this.remote = remote;
        this.listener = listener;
        this.proxy = listener.proxyProtocol() ? new byte[ProxyHeader.V2_MAX] : null;
        this.framer = new LineFramer(maxLine);
        this.maxOutbound = maxOutbound;
        this.openedAtNanos = System.nanoTime();
    }

    void attach(SelectionKey k) {
        this.key = k;
    }

    /** Opens the engine session, once the real remote address is known. */
    void startSession() {
        session = listener.startingDifficulty() == null ? loop.engine.open(this)
                : loop.engine.open(this, listener.startingDifficulty());
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
                if (proxy != null && !readProxyHeader(readBuffer)) {
                    return;
                }
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
        }
        // Replies are written by the loop's end-of-iteration flush, once for everything this read produced.
    }

    /**
     * Accumulates the PROXY header; once complete, switches to the real address, checks it against
     * bans and limits, opens the session, and leaves the bytes after the header in {@code src}.
     *
     * @return false when the connection was closed or more header bytes are needed
     */
    private boolean readProxyHeader(ByteBuffer src) {
        int take = Math.min(src.remaining(), proxy.length - proxyLength);
        src.get(proxy, proxyLength, take);
        proxyLength += take;
        ProxyHeader.Result r = ProxyHeader.parse(proxy, proxyLength);
        if (r.error() != null) {
            close("bad PROXY header");
            return false;
        }
        if (!r.complete()) {
            if (proxyLength == proxy.length) {
                close("bad PROXY header");
            }
            return false;
        }
        if (r.source() != null) {
            remote = r.source();
        }
        String refusal = loop.server.admitAddress(remote.getAddress());
        if (refusal != null) {
            close(refusal);
            return false;
        }
        counted = remote.getAddress();
        byte[] rest = java.util.Arrays.copyOfRange(proxy, r.consumed(), proxyLength);
        proxy = null;
        startSession();
        if (rest.length > 0 && !framer.feed(ByteBuffer.wrap(rest), this) && !closed) {
            close("line too long");
            return false;
        }
        return !closed;
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
            }
        });
    }
}
