package org.stratum4j.transport.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.protocol.Authorize;
import org.stratum4j.core.protocol.Configure;
import org.stratum4j.core.protocol.JsonValue;
import org.stratum4j.core.protocol.MinerMessage;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.Reconnect;
import org.stratum4j.core.protocol.RequestId;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.core.protocol.SetDifficulty;
import org.stratum4j.core.protocol.SetExtranonce;
import org.stratum4j.core.protocol.SetVersionMask;
import org.stratum4j.core.protocol.Submit;
import org.stratum4j.core.protocol.Subscribe;
import org.stratum4j.core.protocol.SuggestDifficulty;

/**
 * A Stratum V1 miner connection (for the CPU miner, the load generator, a proxy): requests return
 * futures of the pool's response, and the pool's notifications go to a {@link Listener}. Made by
 * {@link ClientGroup#connect}, plain or TLS. Methods may be called from any thread; futures and callbacks
 * complete on the group's loop thread.
 */
public final class StratumClient extends ClientSocket {

    /** What the pool pushes; every method runs on the client's loop thread and must not block. */
    public interface Listener {
        /** A new job. */
        default void onNotify(StratumClient client, Notify notify) {
        }

        /** A new share difficulty. */
        default void onSetDifficulty(StratumClient client, Difficulty difficulty) {
        }

        /** A new extranonce (after {@code mining.extranonce.subscribe}). */
        default void onSetExtranonce(StratumClient client, SetExtranonce extranonce) {
        }

        /** A new version-rolling mask. */
        default void onSetVersionMask(StratumClient client, int mask) {
        }

        /** The pool asks the miner to reconnect. */
        default void onReconnect(StratumClient client, Reconnect reconnect) {
        }

        /** The connection ended. */
        default void onClosed(StratumClient client, String reason) {
        }
    }

    /** What {@code mining.subscribe} returned. */
    public record Subscription(byte[] extranonce1, int extranonce2Size) {
        /** Copies the array. */
        public Subscription {
            extranonce1 = extranonce1.clone();
        }

        /** The extranonce1 (a copy). */
        @Override
        public byte[] extranonce1() {
            return extranonce1.clone();
        }
    }

    private final Listener listener;
    private final CompletableFuture<StratumClient> connecting;
    private final LineFramer framer = new LineFramer(64 * 1024, new byte[8 * 1024]);
    private final Map<Long, CompletableFuture<Response>> pending = new HashMap<>();
    private long nextId = 1;

    StratumClient(ClientGroup.Loop loop, SocketChannel channel, Wire wire, InetSocketAddress address, Listener listener,
                  CompletableFuture<StratumClient> connecting) {
        super(loop, channel, wire, address);
        this.listener = listener;
        this.connecting = connecting;
    }

    /** The pool's address. */
    public InetSocketAddress address() {
        return address;
    }

    /** {@code mining.subscribe}. */
    public CompletableFuture<Subscription> subscribe(String userAgent) {
        return request(id -> new Subscribe(id, userAgent, null)).thenApply(r -> {
            if (r.error() != null) {
                throw new IllegalStateException("subscribe refused: " + r.error());
            }
            List<JsonValue> items = ((JsonValue.Array) r.result()).items();
            byte[] en1 = Hex.decode(((JsonValue.Str) items.get(1)).value());
            int en2 = Integer.parseInt(((JsonValue.Num) items.get(2)).text());
            return new Subscription(en1, en2);
        });
    }

    /** {@code mining.authorize}; the response says true or why not. */
    public CompletableFuture<Response> authorize(String worker, String password) {
        return request(id -> new Authorize(id, worker, password));
    }

    /** {@code mining.configure} with version rolling (and nothing else). */
    public CompletableFuture<Response> configureVersionRolling(int mask, int minBitCount) {
        return request(id -> new Configure(id, List.of(Configure.VERSION_ROLLING), mask, minBitCount, null));
    }

    /** {@code mining.suggest_difficulty}. */
    public CompletableFuture<Response> suggestDifficulty(Difficulty difficulty) {
        return request(id -> new SuggestDifficulty(id, difficulty));
    }

    /** {@code mining.submit} without version bits. */
    public CompletableFuture<Response> submit(String worker, String jobId, byte[] extranonce2, int ntime, int nonce) {
        return request(id -> Submit.of(id, worker, jobId, extranonce2, ntime, nonce));
    }

    /** {@code mining.submit} with version bits (BIP310). */
    public CompletableFuture<Response> submit(String worker, String jobId, byte[] extranonce2, int ntime, int nonce,
                                              int versionBits) {
        return request(id -> Submit.of(id, worker, jobId, extranonce2, ntime, nonce, versionBits));
    }

    /** Any request; {@code message} gets a fresh id, unique on this connection. */
    public CompletableFuture<Response> request(java.util.function.Function<RequestId, MinerMessage> message) {
        CompletableFuture<Response> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                f.completeExceptionally(new IOException("connection to " + address + " is closed"));
                return;
            }
            long id = nextId++;
            pending.put(id, f);
            loop.writer.reset();
            loop.codec.encode(message.apply(RequestId.of(id)), loop.writer);
            enqueue(ByteBuffer.wrap(loop.writer.toByteArray()));
        });
        return f;
    }

    /** Sends raw bytes as they are (tests of hostile input, replays). */
    public void sendRaw(byte[] bytes) {
        byte[] copy = bytes.clone();
        loop.execute(() -> enqueue(ByteBuffer.wrap(copy)));
    }

    /** Closes the connection; pending requests fail. */
    public void close() {
        loop.execute(() -> close("closed by client"));
    }

    @Override
    void connected() {
        key.interestOps(SelectionKey.OP_READ);
        try {
            wire.start();
        } catch (TlsFailure e) {
            close(e.getMessage());
            return;
        } catch (IOException e) {
            close("connect failed: " + e.getMessage());
            return;
        }
        afterIo();
    }

    @Override
    void connectFailed(IOException e) {
        connecting.completeExceptionally(e);
    }

    /** Completes the connect future once the wire carries data, and sends what waited for it. */
    @Override
    void afterRead() {
        afterIo();
    }

    private void afterIo() {
        if (closed) {
            return;
        }
        if (!connecting.isDone() && wire.established()) {
            connecting.complete(this);
        }
        if (hasOutbound()) {
            flush();
        }
    }

    @Override
    boolean consume(ByteBuffer buf) {
        if (!framer.feed(buf, this::line) && !closed) {
            close("line from pool too long");
        }
        return !closed;
    }

    private boolean line(byte[] b, int off, int len) {
        PoolMessage m = loop.codec.decode(b, off, len);
        if (m instanceof Response r) {
            CompletableFuture<Response> f = r.id().isNull() ? null : pending.remove(idOf(r.id()));
            if (f != null) {
                f.complete(r);
            }
        } else if (m instanceof Notify n) {
            listener.onNotify(this, n);
        } else if (m instanceof SetDifficulty sd) {
            listener.onSetDifficulty(this, sd.difficulty());
        } else if (m instanceof SetExtranonce se) {
            listener.onSetExtranonce(this, se);
        } else if (m instanceof SetVersionMask vm) {
            listener.onSetVersionMask(this, vm.mask());
        } else if (m instanceof Reconnect rc) {
            listener.onReconnect(this, rc);
        }
        return !closed;
    }

    private static long idOf(RequestId id) {
        try {
            return Long.parseLong(id.toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    void closedBecause(IOException cause, String reason) {
        for (CompletableFuture<Response> f : pending.values()) {
            f.completeExceptionally(cause);
        }
        pending.clear();
        connecting.completeExceptionally(cause);
        listener.onClosed(this, reason);
    }

    @Override
    public String toString() {
        return "StratumClient[" + address + "]";
    }
}
