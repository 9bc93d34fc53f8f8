package org.stratum4j.transport.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.protocol.JsonLineWriter;
import org.stratum4j.core.protocol.PoolCodec;
import org.stratum4j.core.sv2.Sv2Engine;
import org.stratum4j.core.sv2.Sv2Message;

/**
 * One selector thread that owns its connections for their whole lives (Netty's model): reads,
 * engine calls, writes and timers for them all happen here, so session state needs no locks.
 * Other threads talk to it only through {@link #execute}.
 */
final class EventLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    final StratumServer server;
    final PoolEngine engine;
    /** The Stratum V2 front-end, or null when the server has no V2 port. */
    final Sv2Engine sv2Engine;
    final TransportMetrics metrics;
    final PoolCodec codec;
    final JsonLineWriter writer = new JsonLineWriter(4096);
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** In the order they came: a fan-out reaches those who came first first. */
    private final Set<NioConnection> connections = new LinkedHashSet<>();
    private final ArrayDeque<NioConnection> dirty = new ArrayDeque<>();
    /** Jobs not yet delivered to every session here, oldest first; the first one's fan-out is under way. */
    private final ArrayDeque<Announcement> fanOuts = new ArrayDeque<>();
    /** The sessions the current fan-out still has to reach (from {@link #fanOutNext}), or null before it starts. */
    private NioConnection[] fanOutTargets;
    private int fanOutNext;
    private long fanOutStarted;
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(Wire.MIN_READ_BUFFER);
    /** Where the connections' framers cut their lines (one read at a time on this thread). */
    final byte[] lineScratch = new byte[Wire.MIN_READ_BUFFER];
    /** The buffers of one connection's gathering write (the loop flushes one connection at a time). */
    final ByteBuffer[] gather = new ByteBuffer[16];
    final TlsBuffers tlsBuffers = new TlsBuffers();
    private final StratumServer.Settings settings;
    private volatile boolean running = true;

    EventLoop(StratumServer server, StratumServer.Settings settings, int index) throws IOException {
        this.server = server;
        this.settings = settings;
        this.engine = settings.engine;
        this.sv2Engine = settings.sv2Engine;
        this.metrics = server.metrics();
        this.codec = new PoolCodec(settings.maxLineBytes);
        this.selector = Selector.open();
        this.thread = new Thread(this, "stratum-loop-" + index);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code task} on this loop, soon; from any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Takes over an accepted socket. */
    void register(SocketChannel channel, InetSocketAddress remote, Listener listener) {
        InetAddress counted = listener.proxyProtocol() ? null : remote.getAddress();
        execute(() -> {
            if (!running) {
                server.released(counted);
                closeQuietly(channel);
                return;
            }
            NioConnection c = new NioConnection(this, channel, remote, listener, settings.maxLineBytes, settings.maxOutboundBytes);
            c.counted = counted;
            try {
                c.attach(channel.register(selector, SelectionKey.OP_READ, c));
                c.wire.start();
            } catch (IOException e) {
                server.released(counted);
                closeQuietly(channel);
                return;
            }
            connections.add(c);
            metrics.open.increment();
            if (!listener.proxyProtocol()) {
                c.startSession();
            }
        });
    }

    /**
     * Sends a new job to every session of this loop (the notify bytes are shared), a slice at a
     * time between the loop's reads (see {@link #fanOutSlice}). A clean job (a new block) replaces
     * any fan-out still under way: the sessions not reached yet get only the new one.
     */
    void announce(Announcement a) {
        execute(() -> {
            if (a.job().cleanJobs()) {
                fanOuts.clear();
                fanOutTargets = null;
            }
            fanOuts.add(a);
        });
    }

    /**
     * Writes the oldest pending job to the next sessions for about {@link Settings#fanOutSliceNanos},
     * then returns so that the loop serves the reads that came meanwhile: a share that arrives
     * during a fan-out to thousands of sessions waits for one slice, not for the whole fan-out.
     * Sessions are taken from a snapshot of the loop's connections made when the job's fan-out
     * starts; a connection opened later gets the current job when it subscribes.
     */
    private void fanOutSlice() {
        long deadline = System.nanoTime() + settings.fanOutSliceNanos;
        Announcement a;
        while ((a = fanOuts.peek()) != null) {
            if (fanOutTargets == null) {
                fanOutTargets = connections.toArray(NO_CONNECTIONS);
                fanOutNext = 0;
                fanOutStarted = System.nanoTime();
            }
            while (fanOutNext < fanOutTargets.length) {
                NioConnection c = fanOutTargets[fanOutNext];
                fanOutTargets[fanOutNext++] = null;
                if (c.closed) {
                    continue;
                }
                if (c.session != null) {
                    engine.deliver(c.session, a);
                } else if (c.sv2 != null && c.sv2.session != null) {
                    sv2Engine.deliver(c.sv2.session, a);
                }
                // Written now rather than at the end of the iteration: the slice's length is measured in writes done.
                flushDirty();
                if (System.nanoTime() - deadline >= 0) {
                    return;
                }
            }
            fanOuts.poll();
            metrics.fannedOut(a.job().id(), System.nanoTime() - fanOutStarted);
            fanOutTargets = null;
        }
    }

    private static final NioConnection[] NO_CONNECTIONS = new NioConnection[0];

    /**
     * Tells up to {@code count} more of this loop's miners to reconnect with {@code message},
     * subscribed ones first in no particular order.
     */
    void tellToReconnect(int count, org.stratum4j.core.protocol.Reconnect message) {
        execute(() -> {
            int told = 0;
            for (NioConnection c : connections) {
                if (told >= count) {
                    break;
                }
                if (!c.toldToReconnect && c.session != null) {
                    c.toldToReconnect = true;
                    c.send(message);
                    dirty(c);
                    told++;
                } else if (!c.toldToReconnect && c.sv2 != null && c.sv2.established()) {
                    c.toldToReconnect = true;
                    c.sv2.send(new Sv2Message.Reconnect(message.host() == null ? "" : message.host(),
                            message.port() == null ? 0 : message.port()));
                    dirty(c);
                    told++;
                }
            }
        });
    }

    /** Queues {@code c} for one flush at the end of this loop iteration. */
    void dirty(NioConnection c) {
        if (!c.dirty) {
            c.dirty = true;
            dirty.add(c);
        }
    }

    void closed(NioConnection c, String reason) {
        if (connections.remove(c)) {
            metrics.open.decrement();
            metrics.closed(reason.startsWith("banned") ? "banned" : reason.startsWith("slow reader") ? "slow reader" : reason);
            server.released(c.counted);
            if (c.session != null) {
                engine.closed(c.session);
            } else if (c.sv2 != null) {
                c.sv2.closed();
            }
            LOG.debug("closed {}: {}", c.remoteAddress(), reason);
        }
    }

    /** Handshake failures are the peer's doing, so they are logged quietly, with what the peer sent wrong. */
    void tlsFailure(NioConnection c, TlsFailure e) {
        LOG.debug("{} from {}", e.getMessage(), c.remoteAddress());
    }

    int connectionCount() {
        return connections.size();
    }

    void shutdown() {
        running = false;
        selector.wakeup();
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void run() {
        long tickNanos = settings.tickInterval.toNanos();
        long nextTick = System.nanoTime() + tickNanos;
        try {
            while (running) {
                if (fanOuts.isEmpty()) {
                    selector.select(Math.max(1, (nextTick - System.nanoTime()) / 1_000_000));
                } else {
                    selector.selectNow();
                }
                wakeupPending.set(false);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    NioConnection c = (NioConnection) k.attachment();
                    if (!k.isValid()) {
                        continue;
                    }
                    try {
                        if (k.isWritable()) {
                            c.flush();
                        }
                        if (k.isValid() && k.isReadable()) {
                            c.onReadable(readBuffer);
                        }
                    } catch (RuntimeException e) {
                        LOG.error("unexpected error on {}; closing it", c.remoteAddress(), e);
                        c.close("internal error");
                    }
                }
                runTasks();
                if (System.nanoTime() - nextTick >= 0) {
                    tick();
                    nextTick = System.nanoTime() + tickNanos;
                }
                if (!fanOuts.isEmpty()) {
                    fanOutSlice();
                }
                flushDirty();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("event loop {} failed", thread.getName(), e);
        } finally {
            runTasks();
            for (NioConnection c : new ArrayList<>(connections)) {
                c.flush();
                c.close("server stopping");
            }
            try {
                selector.close();
            } catch (IOException e) {
                // stopping anyway
            }
        }
    }

    private void runTasks() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            try {
                t.run();
            } catch (RuntimeException e) {
                LOG.error("task failed on {}", thread.getName(), e);
            }
        }
    }

    private void flushDirty() {
        NioConnection c;
        while ((c = dirty.poll()) != null) {
            c.dirty = false;
            c.flush();
        }
    }

    private void tick() {
        long now = System.nanoTime();
        long idle = settings.subscribeTimeout.toNanos();
        for (NioConnection c : new ArrayList<>(connections)) {
            if (c.sv2 != null) {
                c.sv2.tick(now, idle, settings.subscribeTimeout.toSeconds());
                continue;
            }
            if (c.session == null) {
                if (now - c.openedAtNanos > idle) {
                    c.close("no PROXY header within " + settings.subscribeTimeout.toSeconds() + " s");
                }
                continue;
            }
            if (!c.session.isSubscribed() && now - c.openedAtNanos > idle) {
                c.close("no subscribe within " + settings.subscribeTimeout.toSeconds() + " s");
                continue;
            }
            engine.tick(c.session);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
