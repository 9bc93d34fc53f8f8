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
    final Wire wire;
    private InetSocketAddress remote;
    private final Listener listener;
    private final LineFramer framer;
    private final int maxLine;
    /** The Stratum V2 side on a V2 port (then {@link #session} stays null), else null. */
    Sv2Side sv2;
    /** The PROXY header read so far, while one is expected. */
    private byte[] proxy;
    private int proxyLength;
    /** The address this connection is counted under for per-address limits, or null. */
    InetAddress counted;
    /** Small at first: an idle miner has nothing queued, and thousands of them would hold 17 slots each. */
    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>(2);
    private final long maxOutbound;
    private SelectionKey key;
    private long queued;
    Session session;
    final long openedAtNanos;
    boolean closed;
    /** Queued for the loop's end-of-iteration flush. */
    boolean dirty;
    /** Told to reconnect elsewhere while the server drains (loop thread only). */
    boolean toldToReconnect;

    NioConnection(EventLoop loop, SocketChannel channel, InetSocketAddress remote, Listener listener, int maxLine,
                  long maxOutbound) {
        this.loop = loop;
        this.channel = channel;
        this.wire = listener.tls() == null ? new PlainWire(channel, loop.metrics)
                : new TlsWire(channel, listener.tls().newServerEngine(), loop.tlsBuffers, loop.metrics,
                        loop.server.handshakeExecutor(), () -> loop.execute(this::resumeWire));
        this.remote = remote;
        this.listener = listener;
        this.proxy = listener.proxyProtocol() ? new byte[ProxyHeader.V2_MAX] : null;
        this.framer = new LineFramer(maxLine, loop.lineScratch);
        this.maxLine = maxLine;
        this.maxOutbound = maxOutbound;
        this.openedAtNanos = System.nanoTime();
    }

    void attach(SelectionKey k) {
        this.key = k;
    }

    /** Opens the engine session, once the real remote address is known. */
    void startSession() {
        if (listener.stratumV2() != null) {
            sv2 = new Sv2Side(this, loop, maxLine);
            return;
        }
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
            if (proxy != null && !readProxyHeader(readBuffer)) {
                return;
            }
            while (!closed) {
                readBuffer.clear();
                int n = wire.read(readBuffer);
                if (n < 0) {
                    close("peer closed");
                    return;
                }
                if (n == 0) {
                    break;
                }
                readBuffer.flip();
                if (sv2 != null) {
                    if (!sv2.feed(readBuffer)) {
                        return;
                    }
                } else if (!framer.feed(readBuffer, this) && !closed) {
                    close("line too long");
                    return;
                }
                if (n < readBuffer.capacity() && !wire.mayHaveMore()) {
                    break;
                }
            }
        } catch (TlsFailure e) {
            loop.tlsFailure(this, e);
            close(e.reason());
            return;
        } catch (IOException e) {
            close("read error");
            return;
        }
        if (wire.paused()) {
            // The handshake computes off the loop; reading now would only spin on the same ready socket.
            key.interestOps(0);
            return;
        }
        // Replies are written by the loop's end-of-iteration flush, once for everything this read produced;
        // a TLS handshake step may also have left bytes waiting for the socket.
        if (wire.hasPendingOutput() || !outbound.isEmpty()) {
            loop.dirty(this);
        }
    }

    /** The TLS handshake's off-loop work is done: take the next step and read what arrived meanwhile. */
    private void resumeWire() {
        if (closed) {
            return;
        }
        try {
            wire.resume();
        } catch (TlsFailure e) {
            loop.tlsFailure(this, e);
            close(e.reason());
            return;
        } catch (IOException e) {
            close("write error");
            return;
        }
        if (!wire.paused()) {
            key.interestOps(SelectionKey.OP_READ);
            onReadable(loop.readBuffer);
            if (!closed) {
                loop.dirty(this);
            }
        }
    }

    /**
     * Reads the PROXY header from the raw socket (it precedes any TLS); once complete, switches to
     * the real address, checks it against bans and limits, opens the session, and hands the bytes
     * after the header to the wire.
     *
     * @return false when the connection was closed or more header bytes are needed
     */
    private boolean readProxyHeader(ByteBuffer buf) throws IOException {
        while (true) {
            buf.clear();
            buf.limit(Math.min(buf.capacity(), proxy.length - proxyLength));
            int n = channel.read(buf);
            if (n < 0) {
                close("peer closed");
                return false;
            }
            if (n == 0) {
                return false;
            }
            loop.metrics.bytesIn.add(n);
            buf.flip();
            buf.get(proxy, proxyLength, n);
            proxyLength += n;
            ProxyHeader.Result r = ProxyHeader.parse(proxy, proxyLength);
            if (r.error() != null || (!r.complete() && proxyLength == proxy.length)) {
                close("bad PROXY header");
                return false;
            }
            if (!r.complete()) {
                continue;
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
            wire.unread(java.util.Arrays.copyOfRange(proxy, r.consumed(), proxyLength));
            proxy = null;
            startSession();
            return !closed;
        }
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

    /** The port this connection came in on. */
    Listener listener() {
        return listener;
    }

    /** Queues bytes already in their wire form (a Stratum V2 handshake act or encrypted frame). */
    void sendRaw(byte[] bytes) {
        if (closed) {
            return;
        }
        enqueue(ByteBuffer.wrap(bytes));
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
            boolean blocked = !wire.flushPending();
            while (!blocked && !outbound.isEmpty()) {
                if (outbound.size() == 1) {
                    ByteBuffer b = outbound.peek();
                    queued -= wire.write(b);
                    if (b.hasRemaining()) {
                        blocked = true;
                    } else {
                        outbound.poll();
                    }
                    continue;
                }
                // Several queued (a V2 job and its SetNewPrevHash, a difficulty and its job): one gathering write.
                ByteBuffer[] gather = loop.gather;
                int n = 0;
                for (ByteBuffer b : outbound) {
                    gather[n++] = b;
                    if (n == gather.length) {
                        break;
                    }
                }
                queued -= wire.write(gather, n);
                for (int i = 0; i < n; i++) {
                    if (gather[i].hasRemaining()) {
                        blocked = true;
                        break;
                    }
                    outbound.poll();
                }
                java.util.Arrays.fill(gather, 0, n, null);
            }
            if (key.isValid() && !wire.paused()) {
                // A TLS wire waiting for the peer's handshake bytes is not waiting for the socket: OP_WRITE
                // would only spin. The read that finishes the handshake marks the connection dirty again.
                boolean waitForSocket = wire.hasPendingOutput() || (blocked && wire.established());
                key.interestOps(waitForSocket ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
        } catch (TlsFailure e) {
            outbound.clear();
            close(e.reason());
        } catch (IOException e) {
            outbound.clear();
            close("write error");
        }
    }

    @Override
    public void close(String reason) {
        if (closed) {
            return;
        }
        // Best effort: a final answer (an error, a reconnect) should reach the miner before the close.
        if (!reason.startsWith("slow reader") && !reason.endsWith("error") && !reason.startsWith("TLS")) {
            try {
                while (!outbound.isEmpty() && wire.flushPending() && wire.write(outbound.peek()) > 0) {
                    if (!outbound.peek().hasRemaining()) {
                        outbound.poll();
                    }
                }
                wire.closeOutbound();
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
