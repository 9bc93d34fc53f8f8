package org.stratum4j.transport.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over a non-blocking socket with an {@link SSLEngine}. Records are decrypted straight into the
 * caller's plaintext buffer; ciphertext goes through the loop's shared {@link TlsBuffers}, and only
 * a partial record (in or out) is copied aside. Handshake steps run when the bytes that need them
 * arrive. The handshake's delegated tasks (key exchange, signatures: milliseconds of CPU each) run
 * on {@code handshakeExecutor} when one is given, so a storm of reconnecting TLS miners does not
 * stall the plain miners of the same loop; meanwhile the wire is {@link #paused} and
 * {@code resumer} is told when the owner must call {@link #resume}.
 */
final class TlsWire implements Wire {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final TlsBuffers buffers;
    private final TransportMetrics metrics;
    /** Received bytes of a record not yet complete (or not yet decrypted). */
    private ByteBuffer savedIn;
    /** Encrypted bytes the socket did not take yet. */
    private ByteBuffer pendingOut;
    private final java.util.concurrent.Executor handshakeExecutor;
    private final Runnable resumer;
    private boolean established;
    private boolean firstByteSeen;
    /** Delegated tasks are running on the handshake executor: the engine must not be touched. */
    private volatile boolean paused;

    /** A wire whose delegated tasks run inline. */
    TlsWire(SocketChannel channel, SSLEngine engine, TlsBuffers buffers, TransportMetrics metrics) {
        this(channel, engine, buffers, metrics, null, null);
    }

    /**
     * A wire whose delegated tasks run on {@code handshakeExecutor}; {@code resumer} runs on that
     * executor's thread when they are done, and must get {@link #resume} called on the loop.
     */
    TlsWire(SocketChannel channel, SSLEngine engine, TlsBuffers buffers, TransportMetrics metrics,
            java.util.concurrent.Executor handshakeExecutor, Runnable resumer) {
        this.channel = channel;
        this.engine = engine;
        this.buffers = buffers;
        this.metrics = metrics;
        this.handshakeExecutor = handshakeExecutor;
        this.resumer = resumer;
        buffers.fit(engine);
    }

    @Override
    public boolean paused() {
        return paused;
    }

    @Override
    public void resume() throws IOException {
        try {
            handshakeSteps(engine.getHandshakeStatus());
        } catch (SSLException e) {
            throw failure(e);
        }
    }

    @Override
    public void start() throws IOException {
        try {
            engine.beginHandshake();
            handshakeSteps(engine.getHandshakeStatus());
        } catch (SSLException e) {
            throw failure(e);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (paused) {
            return 0;
        }
        ByteBuffer in = buffers.netIn();
        in.clear();
        boolean needBytes = savedIn == null;
        if (savedIn != null) {
            in.put(savedIn);
            savedIn = null;
        }
        try {
            while (true) {
                if (needBytes) {
                    if (!in.hasRemaining()) {
                        throw new TlsFailure(reasonPrefix(), "a record larger than " + in.capacity() + " bytes", null);
                    }
                    int n = channel.read(in);
                    if (n <= 0) {
                        return n;
                    }
                    if (metrics != null) {
                        metrics.bytesIn.add(n);
                    }
                    checkFirstByte(in);
                }
                in.flip();
                SSLEngineResult r;
                try {
                    r = engine.unwrap(in, dst);
                } finally {
                    in.compact();
                }
                noteFinished(r);
                handshakeSteps(r.getHandshakeStatus());
                if (paused) {
                    return r.bytesProduced();
                }
                switch (r.getStatus()) {
                    case OK -> {
                        if (r.bytesProduced() > 0) {
                            return r.bytesProduced();
                        }
                        needBytes = in.position() == 0;
                    }
                    case BUFFER_UNDERFLOW -> needBytes = true;
                    case CLOSED -> {
                        return -1;
                    }
                    case BUFFER_OVERFLOW -> throw new IllegalStateException(
                            "plaintext buffer of " + dst.remaining() + " bytes is smaller than a TLS record");
                    default -> throw new IllegalStateException(r.getStatus().toString());
                }
            }
        } catch (SSLException e) {
            throw failure(e);
        } finally {
            if (in.position() > 0) {
                in.flip();
                savedIn = ByteBuffer.allocate(in.remaining()).put(in).flip();
            }
        }
    }

    /** A peer speaking plain Stratum to a TLS port is a configuration slip worth its own count. */
    private void checkFirstByte(ByteBuffer in) throws TlsFailure {
        if (!firstByteSeen) {
            firstByteSeen = true;
            if (!engine.getUseClientMode() && in.get(0) == '{') {
                throw new TlsFailure("plain text on TLS port", "the first byte is '{', not a TLS handshake", null);
            }
        }
    }

    @Override
    public boolean mayHaveMore() {
        return true;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (paused || !flushPending()) {
            return 0;
        }
        try {
            if (!established) {
                handshakeSteps(engine.getHandshakeStatus());
                if (!established) {
                    return 0;
                }
            }
            ByteBuffer out = buffers.netOut();
            out.clear();
            int consumed = 0;
            while (src.hasRemaining()) {
                SSLEngineResult r = engine.wrap(src, out);
                consumed += r.bytesConsumed();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new TlsFailure("TLS error", "the session is closed", null);
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW || r.bytesConsumed() == 0) {
                    break;
                }
            }
            send(out);
            handshakeSteps(engine.getHandshakeStatus());
            return consumed;
        } catch (SSLException e) {
            throw failure(e);
        }
    }

    @Override
    public boolean hasPendingOutput() {
        return pendingOut != null;
    }

    @Override
    public boolean flushPending() throws IOException {
        if (pendingOut == null) {
            return true;
        }
        int n = channel.write(pendingOut);
        if (metrics != null) {
            metrics.bytesOut.add(n);
        }
        if (pendingOut.hasRemaining()) {
            return false;
        }
        pendingOut = null;
        return true;
    }

    @Override
    public boolean established() {
        return established;
    }

    @Override
    public void unread(byte[] bytes) {
        if (bytes.length > 0) {
            savedIn = ByteBuffer.wrap(bytes.clone());
        }
    }

    @Override
    public void closeOutbound() {
        if (paused) {
            return; // a delegated task holds the engine; the peer just sees the socket close
        }
        engine.closeOutbound();
        try {
            ByteBuffer out = buffers.netOut();
            out.clear();
            engine.wrap(EMPTY, out);
            if (flushPending()) {
                out.flip();
                channel.write(out);
            }
        } catch (IOException e) {
            // the socket closes anyway
        }
    }

    /** Runs delegated tasks and sends handshake messages until the engine waits for the peer. */
    private void handshakeSteps(HandshakeStatus status) throws IOException {
        HandshakeStatus hs = status;
        while (true) {
            switch (hs) {
                case NEED_TASK -> {
                    if (handshakeExecutor != null) {
                        paused = true;
                        handshakeExecutor.execute(() -> {
                            runDelegatedTasks();
                            paused = false;
                            resumer.run();
                        });
                        return;
                    }
                    runDelegatedTasks();
                    hs = engine.getHandshakeStatus();
                }
                case NEED_WRAP -> hs = wrapHandshake();
                default -> {
                    return;
                }
            }
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private HandshakeStatus wrapHandshake() throws IOException {
        ByteBuffer out = buffers.netOut();
        out.clear();
        while (true) {
            SSLEngineResult r = engine.wrap(EMPTY, out);
            noteFinished(r);
            HandshakeStatus hs = r.getHandshakeStatus();
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                send(out);
                out.clear();
                continue;
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED || hs != HandshakeStatus.NEED_WRAP) {
                send(out);
                return r.getStatus() == SSLEngineResult.Status.CLOSED ? HandshakeStatus.NOT_HANDSHAKING : hs;
            }
        }
    }

    private void noteFinished(SSLEngineResult r) {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            established = true;
        }
    }

    /** Writes {@code out} (in write mode) after anything already pending; keeps what the socket refuses. */
    private void send(ByteBuffer out) throws IOException {
        out.flip();
        if (!out.hasRemaining()) {
            return;
        }
        if (pendingOut == null) {
            int n = channel.write(out);
            if (metrics != null) {
                metrics.bytesOut.add(n);
            }
            if (out.hasRemaining()) {
                pendingOut = ByteBuffer.allocate(out.remaining()).put(out).flip();
            }
        } else {
            pendingOut = ByteBuffer.allocate(pendingOut.remaining() + out.remaining()).put(pendingOut).put(out).flip();
        }
    }

    private String reasonPrefix() {
        return established ? "TLS error" : "TLS handshake failed";
    }

    private TlsFailure failure(SSLException e) {
        return new TlsFailure(reasonPrefix(), String.valueOf(e.getMessage()), e);
    }
}
