package org.stratum4j.transport.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.protocol.ClientCodec;
import org.stratum4j.core.protocol.JsonLineWriter;
import org.stratum4j.core.sv2.noise.XOnlyPublicKey;

/**
 * Event loops for {@link StratumClient}s: one thread can drive thousands of miner connections (the
 * load generator), or a single one (the CPU miner). Callbacks and futures complete on the owning
 * loop's thread; they must not block it.
 */
public final class ClientGroup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientGroup.class);

    private final List<Loop> loops = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    private ClientGroup(int threads) throws IOException {
        for (int i = 0; i < threads; i++) {
            Loop l = new Loop(i);
            loops.add(l);
            l.thread.start();
        }
    }

    /** Starts {@code threads} loops (1..64). */
    public static ClientGroup start(int threads) throws IOException {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("client threads " + threads + " is outside 1..64");
        }
        return new ClientGroup(threads);
    }

    /** Connects to a pool over plain TCP; the future completes once the connection is up (or fails). */
    public CompletableFuture<StratumClient> connect(InetSocketAddress address, StratumClient.Listener listener) {
        return connect(address, null, listener);
    }

    /**
     * Connects to a pool over TLS when {@code tls} is not null; the future completes once the
     * handshake is done, or fails with the reason (an untrusted certificate, a wrong name).
     */
    public CompletableFuture<StratumClient> connect(InetSocketAddress address, ClientTls tls, StratumClient.Listener listener) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(listener, "listener");
        Loop loop = loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
        CompletableFuture<StratumClient> f = new CompletableFuture<>();
        loop.execute(() -> loop.connect(address, tls, listener, f));
        return f;
    }

    /**
     * Connects to a Stratum V2 pool ({@code stratum2+tcp://HOST:PORT/KEY}): the future completes once
     * the Noise handshake is done and the server's certificate verified under {@code authority}, or
     * fails with the reason (a wrong authority, an expired certificate, a closed connection).
     */
    public CompletableFuture<Sv2Client> connectV2(InetSocketAddress address, XOnlyPublicKey authority, Sv2Client.Listener listener) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(listener, "listener");
        Loop loop = loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
        CompletableFuture<Sv2Client> f = new CompletableFuture<>();
        loop.execute(() -> loop.connectV2(address, authority, listener, f));
        return f;
    }

    /** Closes every connection and stops the threads. */
    @Override
    public void close() {
        for (Loop l : loops) {
            l.running = false;
            l.selector.wakeup();
        }
        for (Loop l : loops) {
            try {
                l.thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One client event loop. */
    static final class Loop implements Runnable {
        final Selector selector;
        final Thread thread;
        final ClientCodec codec = new ClientCodec();
        final JsonLineWriter writer = new JsonLineWriter(1024);
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(Math.max(64 * 1024, Wire.MIN_READ_BUFFER));
        final TlsBuffers tlsBuffers = new TlsBuffers();
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean wakeupPending = new AtomicBoolean();
        private final Set<LoopClient> clients = new HashSet<>();
        volatile boolean running = true;

        Loop(int index) throws IOException {
            this.selector = Selector.open();
            this.thread = new Thread(this, "stratum-client-" + index);
            this.thread.setDaemon(true);
        }

        void execute(Runnable task) {
            tasks.add(task);
            if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) {
                selector.wakeup();
            }
        }

        boolean inLoop() {
            return Thread.currentThread() == thread;
        }

        void connect(InetSocketAddress address, ClientTls tls, StratumClient.Listener listener, CompletableFuture<StratumClient> f) {
            try {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Wire wire = tls == null ? new PlainWire(ch, null) : new TlsWire(ch, tls.newEngine(address), tlsBuffers, null);
                StratumClient c = new StratumClient(this, ch, wire, address, listener, f);
                c.key = ch.register(selector, SelectionKey.OP_CONNECT, c.io);
                clients.add(c.io);
                if (ch.connect(address)) {
                    c.connected();
                }
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        }

        void connectV2(InetSocketAddress address, XOnlyPublicKey authority, Sv2Client.Listener listener,
                       CompletableFuture<Sv2Client> f) {
            try {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Sv2Client c = new Sv2Client(this, ch, address, authority, listener, f);
                c.key = ch.register(selector, SelectionKey.OP_CONNECT, c.io);
                clients.add(c.io);
                if (ch.connect(address)) {
                    c.connected();
                }
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        }

        void removed(LoopClient c) {
            clients.remove(c);
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select(1000);
                    wakeupPending.set(false);
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        LoopClient c = (LoopClient) k.attachment();
                        try {
                            if (k.isValid() && k.isConnectable()) {
                                c.finishConnect();
                            }
                            if (k.isValid() && k.isWritable()) {
                                c.flush();
                            }
                            if (k.isValid() && k.isReadable()) {
                                c.onReadable(readBuffer);
                            }
                        } catch (RuntimeException e) {
                            LOG.error("client {} failed; closing it", c, e);
                            c.close("internal error");
                        }
                    }
                    Runnable t;
                    while ((t = tasks.poll()) != null) {
                        t.run();
                    }
                }
            } catch (IOException e) {
                LOG.error("client loop failed", e);
            } finally {
                for (LoopClient c : new ArrayList<>(clients)) {
                    c.close("client group closed");
                }
                try {
                    selector.close();
                } catch (IOException e) {
                    // stopping anyway
                }
            }
        }
    }
}
