package org.stratum4j.examples.loadgen;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.stratum4j.core.protocol.Authorize;
import org.stratum4j.core.protocol.ClientCodec;
import org.stratum4j.core.protocol.JsonLineWriter;
import org.stratum4j.core.protocol.JsonValue;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.Reconnect;
import org.stratum4j.core.protocol.RequestId;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.core.protocol.Submit;
import org.stratum4j.core.protocol.Subscribe;
import org.stratum4j.core.sv2.Sv2DecodeException;
import org.stratum4j.core.sv2.Sv2Message;
import org.stratum4j.core.sv2.noise.NoiseException;
import org.stratum4j.core.sv2.noise.XOnlyPublicKey;

/**
 * One process's share of a load test: opens connections to a pool on a loopback address (each
 * from its own loopback source address unless told otherwise), subscribes and authorizes them,
 * then, from a common start time, submits shares with random nonces at a fixed total rate, spread
 * over the connections, for a warm-up (while both JVMs compile the submit path; its round trips are
 * not recorded) and then a fixed time; then waits a little for the last answers and reports.
 * Each loop thread owns its connections; a connection has at most one submit in flight, so the
 * round trip of every submit is measured from the moment it was written.
 *
 * <p>With {@code reconnectWithin}, a connection the pool closes, or that is told
 * {@code client.reconnect}, connects again after a random delay up to that long (as miners do, and
 * spread so that they do not all arrive at once), until the submitting ends; the time each one was
 * without work (from the loss to a job on its new connection) is reported.
 */
public final class LoadGenerator {

    /**
     * What to do. With {@code sv2Authority} the connections speak Stratum V2 (Noise handshake pinned
     * to that key, SetupConnection, one standard channel each, SubmitSharesStandard); null: V1.
     */
    public record Settings(InetSocketAddress pool, int connections, int firstIndex, boolean distinctSources, String user,
                           double submitsPerSecond, Duration warmup, Duration duration, long startAtMillis,
                           int connectsPerSecond, Duration drain, int threads, Duration reconnectWithin,
                           XOnlyPublicKey sv2Authority) {
        /** Checks every value. */
        public Settings {
            Objects.requireNonNull(pool, "pool");
            if (!pool.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("the load generator targets loopback addresses only, not " + pool);
            }
            if (connections < 1 || connections > 60_000) {
                throw new IllegalArgumentException("connections " + connections + " is outside 1..60000 per process");
            }
            if (firstIndex < 0) {
                throw new IllegalArgumentException("firstIndex " + firstIndex + " is negative");
            }
            Objects.requireNonNull(user, "user");
            if (!(submitsPerSecond >= 0 && submitsPerSecond <= 1_000_000)) {
                throw new IllegalArgumentException("submits per second " + submitsPerSecond + " is outside 0..1000000");
            }
            Objects.requireNonNull(warmup, "warmup");
            if (warmup.isNegative() || warmup.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("warm-up " + warmup + " is outside 0..1 hour");
            }
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("duration " + duration + " is outside 0..24 hours");
            }
            if (connectsPerSecond < 1) {
                throw new IllegalArgumentException("connects per second " + connectsPerSecond + " must be at least 1");
            }
            Objects.requireNonNull(drain, "drain");
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("threads " + threads + " is outside 1..64");
            }
            if (reconnectWithin != null && (reconnectWithin.isNegative() || reconnectWithin.compareTo(Duration.ofMinutes(10)) > 0)) {
                throw new IllegalArgumentException("reconnect delay " + reconnectWithin + " is outside 0..10 minutes (null: never reconnect)");
            }
        }
    }

    private final Settings settings;

    /** A generator for {@code settings}; {@link #run()} does the work. */
    public LoadGenerator(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The loopback source address of the connection with global index {@code i} (127.10.0.1 onwards). */
    static InetAddress sourceAddress(int i) throws IOException {
        int a = 10 + i / (250 * 250);
        int b = (i / 250) % 250;
        int c = i % 250 + 1;
        return InetAddress.getByAddress(new byte[] {127, (byte) a, (byte) b, (byte) c});
    }

    /**
     * Runs the test: connect, wait for the start time, submit for the duration, drain, close.
     *
     * @throws IOException when a selector cannot be opened
     * @throws InterruptedException when interrupted
     */
    public LoadReport run() throws IOException, InterruptedException {
        List<Loop> loops = new ArrayList<>();
        for (int t = 0; t < settings.threads(); t++) {
            loops.add(new Loop(t));
        }
        List<Thread> threads = new ArrayList<>();
        for (Loop l : loops) {
            Thread th = new Thread(l, "loadgen-" + l.index);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        LoadReport total = new LoadReport();
        for (Loop l : loops) {
            if (l.failure != null) {
                throw new IOException("load generator thread failed: " + l.failure, l.failure);
            }
            total.merge(l.report);
        }
        total.connectionsWanted = settings.connections();
        return total;
    }

    /** One connection's state, owned by its loop. */
    private static final class Conn {
        final int index;
        SocketChannel channel;
        SelectionKey key;
        boolean connected;
        boolean authorized;
        boolean closed;
        String jobId;
        int ntime;
        int extranonce2Size = -1;
        long pendingId;
        long pendingSince;
        boolean pendingMeasured;
        long nextId = 3;
        byte[] partial;
        ByteBuffer unsent;
        /** The Stratum V2 side, in V2 runs. */
        Sv2Conn sv2;
        /** When it lost its pool (nanoTime), until it has a job again; 0 while working. */
        long lostAt;
        /** When to connect again (nanoTime); 0 when not waiting to. */
        long reopenAt;
        int failedAttempts;

        Conn(int index) {
            this.index = index;
        }

        /** Forgets the last connection, to make a new one. */
        void reset() {
            channel = null;
            key = null;
            connected = false;
            authorized = false;
            closed = false;
            jobId = null;
            extranonce2Size = -1;
            pendingId = 0;
            partial = null;
            unsent = null;
            reopenAt = 0;
            sv2 = null;
        }

        boolean ready() {
            return !closed && authorized && jobId != null && extranonce2Size >= 0 && pendingId == 0 && unsent == null;
        }
    }

    private final class Loop implements Runnable {
        final int index;
        final LoadReport report = new LoadReport();
        final List<Conn> conns = new ArrayList<>();
        final ClientCodec codec = new ClientCodec();
        final NotifyScanner scanner = new NotifyScanner();
        final JsonLineWriter writer = new JsonLineWriter(512);
        final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
        final SplittableRandom random;
        Selector selector;
        /** Connections this loop holds, and the newest block's fan-out to them: when it began and ended (0: not yet). */
        int heldHere;
        String fanOutBlock;
        int fanOutReached;
        long fanOutBegan;
        long fanOutEnded;
        Throwable failure;
        int cursor;
        boolean submitting;
        /** Whether lost connections are made again (until the submitting ends). */
        boolean reconnecting = settings.reconnectWithin() != null;
        final List<Conn> reopening = new ArrayList<>();
        long recordFrom = Long.MAX_VALUE;

        Loop(int index) {
            this.index = index;
            this.random = new SplittableRandom(System.nanoTime() ^ ((long) settings.firstIndex() << 20) ^ index);
        }

        @Override
        public void run() {
            try {
                selector = Selector.open();
                try {
                    work();
                } finally {
                    for (Conn c : conns) {
                        if (c.channel != null) {
                            try {
                                c.channel.close();
                            } catch (IOException e) {
                                // closing anyway
                            }
                        }
                    }
                    selector.close();
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        private void work() throws IOException {
            int mine = 0;
            for (int i = index; i < settings.connections(); i += settings.threads()) {
                conns.add(new Conn(settings.firstIndex() + i));
                mine++;
            }
            double connectRate = (double) settings.connectsPerSecond() / settings.threads();
            long begin = System.nanoTime();
            int opened = 0;
            long startAt = settings.startAtMillis();
            // Connect phase: open at the set rate, until the start time.
            while (System.currentTimeMillis() < startAt) {
                long elapsed = System.nanoTime() - begin;
                long due = Math.min(mine, (long) (elapsed / 1e9 * connectRate) + 1);
                while (opened < due) {
                    open(conns.get(opened++));
                }
                selector.select(opened < mine ? 1 : 10);
                handle(selector.selectedKeys().iterator());
                reopenDue();
            }
            while (opened < mine) {
                // Late: count them as not held, but open them so every connection is accounted for.
                open(conns.get(opened++));
            }
            int held = 0;
            for (Conn c : conns) {
                if (c.ready()) {
                    held++;
                }
            }
            report.connectionsHeld = held;
            heldHere = held;
            // Submit phase.
            submitting = true;
            double perNano = settings.submitsPerSecond() / settings.threads() / 1e9;
            long start = System.nanoTime();
            recordFrom = start + settings.warmup().toNanos();
            long end = recordFrom + settings.duration().toNanos();
            long sent = 0;
            long now;
            while ((now = System.nanoTime()) < end) {
                long due = (long) ((now - start) * perNano);
                while (sent < due) {
                    if (!submitOne(now)) {
                        sent = due; // nobody ready: skip rather than burst later
                        break;
                    }
                    sent++;
                }
                selector.select(1);
                handle(selector.selectedKeys().iterator());
                reopenDue();
            }
            report.submitSeconds = (System.nanoTime() - recordFrom) / 1e9;
            submitting = false;
            reconnecting = false;
            for (Conn c : conns) {
                if (c.lostAt != 0) {
                    // Still without work at the end: counted up to now.
                    report.outOfWork(System.nanoTime() - c.lostAt, false);
                    c.lostAt = 0;
                }
            }
            // Drain: wait for answers still in flight.
            long drainEnd = System.nanoTime() + settings.drain().toNanos();
            while (System.nanoTime() < drainEnd && anyPending()) {
                selector.select(5);
                handle(selector.selectedKeys().iterator());
            }
            for (Conn c : conns) {
                if (c.pendingId != 0) {
                    report.unanswered++;
                    c.pendingId = 0;
                }
            }
        }

        /** Connects again the connections whose delay is over. */
        private void reopenDue() {
            if (reopening.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            for (Iterator<Conn> it = reopening.iterator(); it.hasNext(); ) {
                Conn c = it.next();
                if (c.reopenAt <= now) {
                    it.remove();
                    c.reset();
                    report.reconnects++;
                    open(c);
                }
            }
        }

        /** A lost connection has a job again on its new one. */
        private void backAtWork(Conn c, long now) {
            if (c.lostAt != 0 && c.authorized && c.jobId != null && c.extranonce2Size >= 0) {
                report.outOfWork(now - c.lostAt, true);
                c.lostAt = 0;
                c.failedAttempts = 0;
            }
        }

        private boolean anyPending() {
            for (Conn c : conns) {
                if (c.pendingId != 0 && !c.closed) {
                    return true;
                }
            }
            return false;
        }

        private void open(Conn c) {
            try {
                SocketChannel ch = SocketChannel.open();
                c.channel = ch;
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (settings.distinctSources()) {
                    ch.bind(new InetSocketAddress(sourceAddress(c.index), 0));
                }
                c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
                if (ch.connect(settings.pool())) {
                    connected(c);
                }
            } catch (IOException e) {
                report.connectFailures++;
                close(c, "connect failed: " + e.getClass().getSimpleName());
            }
        }

        private void connected(Conn c) throws IOException {
            c.connected = true;
            c.key.interestOps(SelectionKey.OP_READ);
            if (settings.sv2Authority() != null) {
                c.sv2 = new Sv2Conn(settings.sv2Authority());
                byte[] act1 = c.sv2.act1();
                send(c, act1, act1.length);
                return;
            }
            writer.reset();
            codec.encode(new Subscribe(RequestId.of(1), "stratum4j-loadgen/1", null), writer);
            codec.encode(new Authorize(RequestId.of(2), settings.user(), "x"), writer);
            send(c);
        }

        private void handle(Iterator<SelectionKey> it) {
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                try {
                    if (k.isValid() && k.isConnectable()) {
                        if (c.channel.finishConnect()) {
                            connected(c);
                        }
                    }
                    if (k.isValid() && k.isWritable()) {
                        flush(c);
                    }
                    if (k.isValid() && k.isReadable()) {
                        read(c);
                    }
                } catch (IOException e) {
                    if (!c.connected) {
                        report.connectFailures++;
                    }
                    close(c, c.connected ? "I/O error: " + e.getMessage() : "connect failed: " + e.getMessage());
                }
            }
        }

        private boolean submitOne(long now) throws IOException {
            int n = conns.size();
            for (int tries = 0; tries < n; tries++) {
                Conn c = conns.get(cursor);
                cursor = cursor + 1 == n ? 0 : cursor + 1;
                if (!c.ready()) {
                    continue;
                }
                if (c.sv2 != null) {
                    byte[] frame = c.sv2.submit(random.nextInt());
                    c.pendingId = c.sv2.sequence;
                    c.pendingSince = System.nanoTime();
                    c.pendingMeasured = c.pendingSince >= recordFrom;
                    if (c.pendingMeasured) {
                        report.submitsSent++;
                    } else {
                        report.warmupSubmits++;
                    }
                    send(c, frame, frame.length);
                    return true;
                }
                byte[] en2 = new byte[c.extranonce2Size];
                for (int i = 0; i < en2.length; i++) {
                    en2[i] = (byte) random.nextInt(256);
                }
                long id = c.nextId++;
                writer.reset();
                codec.encode(Submit.of(RequestId.of(id), settings.user(), c.jobId, en2, c.ntime, random.nextInt()), writer);
                c.pendingId = id;
                c.pendingSince = System.nanoTime();
                c.pendingMeasured = c.pendingSince >= recordFrom;
                if (c.pendingMeasured) {
                    report.submitsSent++;
                } else {
                    report.warmupSubmits++;
                }
                send(c);
                return true;
            }
            report.busySkips++;
            return false;
        }

        /** Writes the writer's bytes, keeping what the socket does not take. */
        private void send(Conn c) throws IOException {
            send(c, writer.buffer(), writer.size());
        }

        /** Writes {@code length} bytes of {@code bytes}, keeping what the socket does not take. */
        private void send(Conn c, byte[] bytes, int length) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
            if (c.unsent == null) {
                c.channel.write(b);
            }
            if (b.hasRemaining()) {
                ByteBuffer rest = ByteBuffer.allocate((c.unsent == null ? 0 : c.unsent.remaining()) + b.remaining());
                if (c.unsent != null) {
                    rest.put(c.unsent);
                }
                rest.put(b).flip();
                c.unsent = rest;
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        }

        private void flush(Conn c) throws IOException {
            if (c.unsent != null) {
                c.channel.write(c.unsent);
                if (!c.unsent.hasRemaining()) {
                    c.unsent = null;
                    c.key.interestOps(SelectionKey.OP_READ);
                }
            }
        }

        private void read(Conn c) throws IOException {
            while (!c.closed) {
                readBuffer.clear();
                int n = c.channel.read(readBuffer);
                if (n < 0) {
                    close(c, "closed by pool");
                    return;
                }
                if (n == 0) {
                    return;
                }
                long now = System.nanoTime();
                if (c.sv2 != null) {
                    readBuffer.flip();
                    frames(c, now);
                } else {
                    lines(c, n, now);
                }
            }
        }

        /** The {@code n} bytes just read, cut into lines (a partial one is kept for the next read). */
        private void lines(Conn c, int n, long now) {
            byte[] data;
            int len;
            if (c.partial != null) {
                data = new byte[c.partial.length + n];
                System.arraycopy(c.partial, 0, data, 0, c.partial.length);
                System.arraycopy(readBuffer.array(), 0, data, c.partial.length, n);
                len = data.length;
                c.partial = null;
            } else {
                data = readBuffer.array();
                len = n;
            }
            int lineStart = 0;
            for (int i = 0; i < len; i++) {
                if (data[i] == '\n') {
                    line(c, data, lineStart, i - lineStart, now);
                    lineStart = i + 1;
                    if (c.closed) {
                        return;
                    }
                }
            }
            if (lineStart < len) {
                if (len - lineStart > 64 * 1024) {
                    close(c, "line from pool too long");
                    return;
                }
                c.partial = java.util.Arrays.copyOfRange(data, lineStart, len);
            }
        }

        private void line(Conn c, byte[] b, int off, int len, long now) {
            if (scanner.scan(b, off, len)) {
                notified(c, scanner.jobId, scanner.ntime, scanner.clean, scanner.jobId, now);
                return;
            }
            PoolMessage m = codec.decode(b, off, len);
            if (m instanceof Response r) {
                long id = idOf(r.id());
                if (id == 1) {
                    subscribed(c, r);
                } else if (id == 2) {
                    c.authorized = r.isTrue();
                    if (!c.authorized) {
                        report.authorizeFailures++;
                        close(c, "authorize refused: " + r.error());
                        return;
                    }
                    backAtWork(c, now);
                } else if (id == c.pendingId) {
                    c.pendingId = 0;
                    if (!c.pendingMeasured) {
                        return;
                    }
                    recordRoundTrip(c, now);
                    report.answered++;
                    if (r.isTrue()) {
                        report.accepted++;
                    } else {
                        report.rejectedByCode.merge(r.error() == null ? 0 : r.error().code(), 1L, Long::sum);
                    }
                }
            } else if (m instanceof Notify n) {
                notified(c, n.jobId(), n.ntime(), n.cleanJobs(), n.jobId(), now);
            } else if (m instanceof Reconnect) {
                close(c, "told to reconnect");
            }
        }

        /** The bytes in the read buffer, through the connection's V2 handshake and framing. */
        private void frames(Conn c, long now) throws IOException {
            try {
                byte[] opening = c.sv2.read(readBuffer, settings.user(), m -> sv2Message(c, m, now));
                if (opening != null) {
                    send(c, opening, opening.length);
                }
            } catch (NoiseException e) {
                close(c, "Stratum V2 handshake or decryption failed");
            } catch (Sv2DecodeException e) {
                close(c, "bad Stratum V2 frame from pool");
            }
        }

        private boolean sv2Message(Conn c, Sv2Message m, long now) {
            if (m instanceof Sv2Message.OpenStandardMiningChannelSuccess) {
                c.authorized = true;
                c.extranonce2Size = 0;
                backAtWork(c, now);
            } else if (m instanceof Sv2Message.OpenMiningChannelError || m instanceof Sv2Message.SetupConnectionError) {
                report.authorizeFailures++;
                close(c, "channel refused: " + m);
            } else if (m instanceof Sv2Message.NewMiningJob j) {
                if (j.minNtime().isPresent()) {
                    notified(c, Integer.toUnsignedString(j.jobId()), j.minNtime().getAsInt(), false, null, now);
                }
            } else if (m instanceof Sv2Message.SetNewPrevHash p) {
                // V2 job ids are per channel: a block's arrivals are matched across connections by its previous hash.
                notified(c, Integer.toUnsignedString(p.jobId()), p.minNtime(), true, p.prevHash().toInternalHex(), now);
            } else if (m instanceof Sv2Message.SubmitSharesSuccess || m instanceof Sv2Message.SubmitSharesError) {
                int seq = m instanceof Sv2Message.SubmitSharesSuccess ok ? ok.lastSequenceNumber()
                        : ((Sv2Message.SubmitSharesError) m).sequenceNumber();
                if (c.pendingId == 0 || seq != (int) c.pendingId) {
                    return !c.closed;
                }
                c.pendingId = 0;
                if (!c.pendingMeasured) {
                    return !c.closed;
                }
                recordRoundTrip(c, now);
                report.answered++;
                if (m instanceof Sv2Message.SubmitSharesError e) {
                    report.rejectedByCode.merge(Sv2Conn.v1Code(e.errorCode()), 1L, Long::sum);
                } else {
                    report.accepted++;
                }
            } else if (m instanceof Sv2Message.Reconnect) {
                close(c, "told to reconnect");
            }
            return !c.closed;
        }

        private void recordRoundTrip(Conn c, long now) {
            long micros = (now - c.pendingSince) / 1000;
            report.roundTrip.record(micros);
            boolean fanOutUnderWay = fanOutBegan != 0 && now >= fanOutBegan && (fanOutEnded == 0 || c.pendingSince <= fanOutEnded);
            if (fanOutUnderWay) {
                report.roundTripDuringFanOut.record(micros);
            }
        }

        private void notified(Conn c, String jobId, int ntime, boolean clean, String block, long now) {
            if (c.sv2 != null) {
                c.sv2.job(Integer.parseUnsignedInt(jobId), ntime);
            }
            boolean first = c.jobId == null;
            c.jobId = jobId;
            c.ntime = ntime;
            backAtWork(c, now);
            // New blocks in the warm-up are not counted: their fan-out is the JIT's, not the pool's.
            if (!first && clean && now >= recordFrom) {
                report.jobs.computeIfAbsent(block, k -> new LoadReport.JobArrival()).arrived(now);
                if (!block.equals(fanOutBlock)) {
                    fanOutBlock = block;
                    fanOutReached = 0;
                    fanOutBegan = now;
                    fanOutEnded = 0;
                }
                if (++fanOutReached == heldHere) {
                    fanOutEnded = now;
                }
            }
        }

        private void subscribed(Conn c, Response r) {
            if (r.error() != null || !(r.result() instanceof JsonValue.Array a) || a.items().size() < 3
                    || !(a.items().get(2) instanceof JsonValue.Num size)) {
                close(c, "subscribe refused: " + r);
                return;
            }
            c.extranonce2Size = Integer.parseInt(size.text());
        }

        private long idOf(RequestId id) {
            try {
                return Long.parseLong(id.toString());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private void close(Conn c, String reason) {
            if (c.closed) {
                return;
            }
            c.closed = true;
            if (c.pendingId != 0) {
                report.unanswered++;
                c.pendingId = 0;
            }
            if (c.connected && (reason.equals("closed by pool") || reason.startsWith("I/O error"))) {
                report.closedByPool++;
            }
            report.closeReasons.merge(reason, 1L, Long::sum);
            if (c.key != null) {
                c.key.cancel();
            }
            try {
                c.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
            if (reconnecting) {
                long now = System.nanoTime();
                if (c.lostAt == 0) {
                    c.lostAt = now;
                }
                // A random delay spreads the returns; each failed attempt doubles the longest wait (to 8 times).
                long within = Math.max(1, settings.reconnectWithin().toNanos() << Math.min(3, c.failedAttempts++));
                c.reopenAt = now + random.nextLong(within);
                reopening.add(c);
            }
        }
    }
}
