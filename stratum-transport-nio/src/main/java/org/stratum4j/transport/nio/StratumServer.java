package org.stratum4j.transport.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.sv2.Sv2Engine;
import org.stratum4j.core.protocol.Reconnect;

/**
 * A Stratum server on plain {@code java.nio}: one acceptor thread and N event loops (default: one
 * per core). Each accepted connection is handed to one loop for its whole life. Limits are
 * enforced at accept (total, per address, bans) and per connection (line length, queued output,
 * time to subscribe).
 *
 * <pre>
 * StratumServer server = StratumServer.builder(engine).listen(new InetSocketAddress(3333)).build();
 * server.start();
 * templateSource.start(t -&gt; server.announce(engine.newTemplate(t)));
 * </pre>
 */
public final class StratumServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StratumServer.class);

    private final Settings settings;
    private final TransportMetrics metrics = new TransportMetrics();
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Long> bannedUntil = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private java.util.concurrent.ExecutorService handshakeExecutor;
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    private Selector acceptSelector;
    private Thread acceptor;
    private volatile boolean running;
    private int nextLoop;

    private StratumServer(Settings settings) {
        this.settings = settings;
    }

    /** A builder for a server in front of {@code engine}. */
    public static Builder builder(PoolEngine engine) {
        return new Builder(engine);
    }

    /**
     * Binds every listener and starts the threads.
     *
     * @throws IOException when a port cannot be bound (the message names it)
     */
    public synchronized void start() throws IOException {
        if (running) {
            throw new IllegalStateException("already started");
        }
        acceptSelector = Selector.open();
        for (Listener listener : settings.listeners) {
            ServerSocketChannel ch = ServerSocketChannel.open();
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(listener.address(), settings.backlog);
            } catch (IOException e) {
                ch.close();
                close();
                throw new IOException("cannot listen on " + listener.address() + ": " + e.getMessage(), e);
            }
            ch.configureBlocking(false);
            ch.register(acceptSelector, SelectionKey.OP_ACCEPT, listener);
            servers.add(ch);
            if (listener.tls() != null) {
                listener.tls().certificate().ifPresent(c -> warnIfExpiring(listener, c));
            }
        }
        if (settings.tlsHandshakeThreads > 0 && settings.listeners.stream().anyMatch(l -> l.tls() != null || l.stratumV2() != null)) {
            AtomicInteger n = new AtomicInteger();
            handshakeExecutor = java.util.concurrent.Executors.newFixedThreadPool(settings.tlsHandshakeThreads, r -> {
                Thread t = new Thread(r, "stratum-tls-" + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
        }
        for (int i = 0; i < settings.eventLoops; i++) {
            EventLoop loop = new EventLoop(this, settings, i);
            loops.add(loop);
            loop.start();
        }
        running = true;
        acceptor = new Thread(this::acceptLoop, "stratum-acceptor");
        acceptor.start();
        LOG.info("listening on {} with {} event loops", boundAddresses(), loops.size());
    }

    /** Miners that verify certificates drop off the day it expires; say so while there is time. */
    private static void warnIfExpiring(Listener listener, java.security.cert.X509Certificate certificate) {
        java.time.Duration left = java.time.Duration.between(java.time.Instant.now(), certificate.getNotAfter().toInstant());
        if (left.isNegative()) {
            LOG.warn("TLS certificate of {} expired on {}: verifying miners will refuse it", listener.address(),
                    certificate.getNotAfter().toInstant());
        } else if (left.toDays() < 14) {
            LOG.warn("TLS certificate of {} expires in {} days ({})", listener.address(), left.toDays(),
                    certificate.getNotAfter().toInstant());
        }
    }

    /** The addresses actually bound (with the ports chosen for port 0). */
    public List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (ServerSocketChannel ch : servers) {
            try {
                out.add((InetSocketAddress) ch.getLocalAddress());
            } catch (IOException e) {
                // closed: skip
            }
        }
        return out;
    }

    /** Sends a new job to every session on every loop; the notify bytes are encoded once. */
    public void announce(Announcement announcement) {
        Objects.requireNonNull(announcement, "announcement");
        for (EventLoop loop : loops) {
            loop.announce(announcement);
        }
    }

    /**
     * Drains the server, for a rolling restart or a removal behind a balancer: stops accepting at
     * once, tells every miner to reconnect ({@code client.reconnect} without arguments, so the
     * miner dials the same address and the balancer sends it to another process), a steady share
     * of them at a time over {@code window} so that the other processes are not hit by all of them
     * at once, then closes whoever is still connected (as {@link #close}). Blocks until done.
     */
    public void drain(Duration window) {
        drain(window, new Reconnect(null, null, null));
    }

    /**
     * {@link #drain(Duration)} with the {@code client.reconnect} to send, for instance one that
     * names the balancer's public address: some miners (cpuminer) act only on a message with a
     * host and a port, while most reconnect to the address they used when it has none.
     */
    public void drain(Duration window, Reconnect message) {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(message, "message");
        if (window.isNegative()) {
            throw new IllegalArgumentException("drain window " + window + " is negative");
        }
        synchronized (this) {
            for (ServerSocketChannel ch : servers) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // not accepting either way
                }
            }
        }
        int total = 0;
        int[] atStart = new int[loops.size()];
        for (int i = 0; i < loops.size(); i++) {
            atStart[i] = loops.get(i).connectionCount();
            total += atStart[i];
        }
        LOG.info("draining: {} miners told to reconnect over {} s", total, window.toSeconds());
        long steps = Math.max(1, window.toMillis() / DRAIN_STEP_MILLIS);
        long start = System.nanoTime();
        for (long step = 1; step <= steps; step++) {
            if (loops.stream().mapToInt(EventLoop::connectionCount).sum() == 0) {
                break; // every miner has gone: nothing to wait for
            }
            for (int i = 0; i < loops.size(); i++) {
                // Step k tells the k-th equal part of what the loop had at the start; the last step tells the rest.
                long upTo = (atStart[i] * step + steps - 1) / steps;
                long before = (atStart[i] * (step - 1) + steps - 1) / steps;
                loops.get(i).tellToReconnect(step == steps ? Integer.MAX_VALUE : (int) (upTo - before), message);
            }
            long wait = start + TimeUnit.MILLISECONDS.toNanos(step * DRAIN_STEP_MILLIS) - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        close();
    }

    private static final long DRAIN_STEP_MILLIS = 100;

    /** Loop {@code index} (for tests that need a loop held still). */
    EventLoop loop(int index) {
        return loops.get(index);
    }

    /** The counters. */
    public TransportMetrics metrics() {
        return metrics;
    }

    /** Refuses {@code address} for {@code duration} (the engine's bans come here). */
    void ban(InetAddress address, Duration duration) {
        bannedUntil.put(address, System.nanoTime() + duration.toNanos());
    }

    /** A connection ended; {@code counted} is the address it was counted under, or null. */
    void released(InetAddress counted) {
        total.decrementAndGet();
        if (counted == null) {
            return;
        }
        AtomicInteger n = perAddress.get(counted);
        if (n != null && n.decrementAndGet() <= 0) {
            perAddress.remove(counted, n);
        }
    }

    private void acceptLoop() {
        while (running) {
            try {
                acceptSelector.select(1000);
                Iterator<SelectionKey> it = acceptSelector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isValid() && k.isAcceptable()) {
                        acceptAll((ServerSocketChannel) k.channel(), (Listener) k.attachment());
                    }
                }
            } catch (java.nio.channels.ClosedChannelException e) {
                // A drain closed the listening sockets while this loop was accepting: nothing more to accept.
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.error("acceptor error", e);
                }
            }
        }
    }

    private void acceptAll(ServerSocketChannel server, Listener listener) throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
            // Behind a PROXY listener the peer is the balancer: the real address is checked after the header.
            String refusal = admitTotal();
            if (refusal == null && !listener.proxyProtocol()) {
                refusal = admitAddress(remote.getAddress());
                if (refusal != null) {
                    total.decrementAndGet();
                }
            }
            if (refusal != null) {
                metrics.refused.increment();
                metrics.closed(refusal);
                ch.close();
                continue;
            }
            metrics.accepted.increment();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (settings.socketSendBuffer > 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, settings.socketSendBuffer);
            }
            loops.get(nextLoop++ % loops.size()).register(ch, remote, listener);
        }
    }

    private String admitTotal() {
        if (total.incrementAndGet() > settings.maxConnections) {
            total.decrementAndGet();
            return "refused: server full";
        }
        return null;
    }

    /** Counts a connection under {@code address} (bans, per-address limit), or says why not. */
    String admitAddress(InetAddress address) {
        Long until = bannedUntil.get(address);
        if (until != null) {
            if (System.nanoTime() - until < 0) {
                return "refused: banned";
            }
            bannedUntil.remove(address, until);
        }
        AtomicInteger n = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (n.incrementAndGet() > settings.maxConnectionsPerAddress) {
            n.decrementAndGet();
            return "refused: too many connections from one address";
        }
        return null;
    }

    /**
     * Stops accepting, lets each loop flush and close its connections, and waits for every thread
     * (up to 10 s); no thread is left behind.
     */
    @Override
    public synchronized void close() {
        running = false;
        for (ServerSocketChannel ch : servers) {
            try {
                ch.close();
            } catch (IOException e) {
                // stopping anyway
            }
        }
        if (acceptSelector != null) {
            acceptSelector.wakeup();
        }
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
        try {
            if (acceptor != null) {
                acceptor.join(10_000);
            }
            for (EventLoop loop : loops) {
                loop.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (handshakeExecutor != null) {
            handshakeExecutor.shutdownNow();
            try {
                handshakeExecutor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (acceptSelector != null) {
            try {
                acceptSelector.close();
            } catch (IOException e) {
                // stopping anyway
            }
        }
    }

    /** Randomness for Stratum V2 handshakes (thread-safe). */
    java.security.SecureRandom random() {
        return random;
    }

    /**
     * The Stratum V2 front-end sharing this server's engine core, or null when no listener speaks
     * V2: its {@link Sv2Engine#stats()} count V2 connections, channels and shares.
     */
    public Sv2Engine sv2Engine() {
        return settings.sv2Engine;
    }

    /** Where TLS and Stratum V2 handshake computations run: a small pool, or null for inline on the loops. */
    java.util.concurrent.Executor handshakeExecutor() {
        return handshakeExecutor;
    }

    /** Checked settings, shared with the loops. */
    static final class Settings {
        PoolEngine engine;
        Sv2Engine sv2Engine;
        List<Listener> listeners = new ArrayList<>();
        int eventLoops = Runtime.getRuntime().availableProcessors();
        int maxConnections = 100_000;
        int maxConnectionsPerAddress = 1_000;
        int maxLineBytes = 16 * 1024;
        long maxOutboundBytes = 1 << 20;
        Duration subscribeTimeout = Duration.ofSeconds(30);
        Duration tickInterval = Duration.ofSeconds(5);
        int backlog = 4096;
        int socketSendBuffer;
        int tlsHandshakeThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        /** How long a loop writes a new job before it serves reads again ({@link Builder#fanOutSlice}). */
        long fanOutSliceNanos = 300_000;
    }

    /** Server settings, each checked when set. */
    public static final class Builder {
        private final Settings s = new Settings();

        private Builder(PoolEngine engine) {
            s.engine = Objects.requireNonNull(engine, "engine");
        }

        /** Adds a plain listening address (at least one listener is required; port 0 picks a free port). */
        public Builder listen(InetSocketAddress address) {
            return listen(Listener.on(address));
        }

        /** Adds a listener with its own settings (starting difficulty, PROXY protocol). */
        public Builder listen(Listener listener) {
            s.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Threads for TLS handshake computations (key exchange and signatures, milliseconds each),
         * 0..64; default half the cores, at least 1. They keep a burst of TLS handshakes (every miner
         * reconnecting after a restart) from stalling the event loops and the miners already mining;
         * 0 runs them on the loops.
         */
        public Builder tlsHandshakeThreads(int n) {
            s.tlsHandshakeThreads = range(n, 0, 64, "tlsHandshakeThreads");
            return this;
        }

        /**
         * How long an event loop writes a new job to its sessions before it serves the reads that
         * came meanwhile, then goes on, 0..100 ms (default 300 µs; 0: one session at a time). A share
         * that arrives during a fan-out waits about this long instead of the whole fan-out (tens of
         * milliseconds for thousands of sessions); longer slices spend fewer system calls on looking
         * for reads, so the last session gets its job a little sooner.
         */
        public Builder fanOutSlice(Duration d) {
            Objects.requireNonNull(d, "fanOutSlice");
            if (d.isNegative() || d.compareTo(Duration.ofMillis(100)) > 0) {
                throw new IllegalArgumentException("fanOutSlice " + d + " is outside 0..100 ms");
            }
            s.fanOutSliceNanos = d.toNanos();
            return this;
        }

        /** Number of event loops, 1..256 (default: the number of cores). */
        public Builder eventLoops(int n) {
            s.eventLoops = range(n, 1, 256, "eventLoops");
            return this;
        }

        /** Most connections at once, 1..10,000,000 (default 100,000). */
        public Builder maxConnections(int n) {
            s.maxConnections = range(n, 1, 10_000_000, "maxConnections");
            return this;
        }

        /** Most connections from one address, 1..10,000,000 (default 1,000; raise it behind NAT or a proxy). */
        public Builder maxConnectionsPerAddress(int n) {
            s.maxConnectionsPerAddress = range(n, 1, 10_000_000, "maxConnectionsPerAddress");
            return this;
        }

        /** Longest line accepted, 1 KiB..1 MiB (default 16 KiB); a longer one closes the connection. */
        public Builder maxLineBytes(int n) {
            s.maxLineBytes = range(n, 1024, 1 << 20, "maxLineBytes");
            return this;
        }

        /** Most bytes queued for a miner that does not read, 4 KiB..64 MiB (default 1 MiB); more closes it. */
        public Builder maxOutboundBytes(int n) {
            s.maxOutboundBytes = range(n, 4096, 64 << 20, "maxOutboundBytes");
            return this;
        }

        /**
         * The kernel send buffer per connection (SO_SNDBUF), 4 KiB..16 MiB, or 0 for the OS default.
         * Together with {@link #maxOutboundBytes} it bounds the memory a miner that stops reading can hold.
         */
        public Builder socketSendBuffer(int bytes) {
            s.socketSendBuffer = bytes == 0 ? 0 : range(bytes, 4096, 16 << 20, "socketSendBuffer");
            return this;
        }

        /** How long a connection may stay without {@code mining.subscribe}, 1 s..1 h (default 30 s). */
        public Builder subscribeTimeout(Duration d) {
            s.subscribeTimeout = duration(d, "subscribeTimeout");
            return this;
        }

        /** How often each session gets the engine's tick (vardiff, idle checks), 100 ms..1 h (default 5 s). */
        public Builder tickInterval(Duration d) {
            Objects.requireNonNull(d, "tickInterval");
            if (d.toMillis() < 100 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("tickInterval " + d + " is outside 100 ms..1 hour");
            }
            s.tickInterval = d;
            return this;
        }

        /** The server (not started). */
        public StratumServer build() {
            if (s.listeners.isEmpty()) {
                throw new IllegalArgumentException("the server needs at least one listen address");
            }
            if (s.listeners.stream().anyMatch(l -> l.stratumV2() != null)) {
                s.sv2Engine = Sv2Engine.on(s.engine);
            }
            return new StratumServer(s);
        }

        private static int range(int v, int min, int max, String name) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " " + v + " is outside " + min + ".." + max);
            }
            return v;
        }

        private static Duration duration(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(name + " " + d + " is outside 1 second..1 hour");
            }
            return d;
        }
    }
}
