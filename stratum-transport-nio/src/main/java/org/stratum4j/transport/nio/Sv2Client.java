package org.stratum4j.transport.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.sv2.Sv2DecodeException;
import org.stratum4j.core.sv2.Sv2Framing;
import org.stratum4j.core.sv2.Sv2Message;
import org.stratum4j.core.sv2.Sv2Message.OpenExtendedMiningChannel;
import org.stratum4j.core.sv2.Sv2Message.OpenExtendedMiningChannelSuccess;
import org.stratum4j.core.sv2.Sv2Message.OpenMiningChannelError;
import org.stratum4j.core.sv2.Sv2Message.OpenStandardMiningChannel;
import org.stratum4j.core.sv2.Sv2Message.OpenStandardMiningChannelSuccess;
import org.stratum4j.core.sv2.Sv2Message.SetupConnection;
import org.stratum4j.core.sv2.Sv2Message.SetupConnectionError;
import org.stratum4j.core.sv2.Sv2Message.SetupConnectionSuccess;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesError;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesExtended;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesStandard;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesSuccess;
import org.stratum4j.core.sv2.noise.NoiseException;
import org.stratum4j.core.sv2.noise.NoiseInitiator;
import org.stratum4j.core.sv2.noise.NoiseResponder;
import org.stratum4j.core.sv2.noise.XOnlyPublicKey;

/**
 * A Stratum V2 miner connection (the CPU miner, the load generator, a proxy's upstream): the Noise
 * handshake as initiator, pinned to the pool's authority key, then requests whose futures complete
 * with the pool's answers — {@link #setup}, {@link #openStandardChannel},
 * {@link #openExtendedChannel}, {@link #submit} — and everything else the pool sends (jobs, new
 * previous blocks, targets, reconnects) to a {@link Listener}. Made by {@link ClientGroup#connectV2}.
 * Methods may be called from any thread; futures and callbacks complete on the group's loop thread.
 */
public final class Sv2Client extends ClientSocket {

    /** What the pool pushes; every method runs on the client's loop thread and must not block. */
    public interface Listener {
        /** A message that answers no request: a job, a new previous block, a target, a reconnect, … */
        default void onMessage(Sv2Client client, Sv2Message message) {
        }

        /** The connection ended. */
        default void onClosed(Sv2Client client, String reason) {
        }
    }

    /** The pool refused a request; {@link #code()} is its error code. */
    public static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;

        RefusedException(String what, String code) {
            super(what + " refused: " + code);
            this.code = code;
        }

        /** The pool's error code, e.g. {@code unknown-user}. */
        public String code() {
            return code;
        }
    }

    /** Largest payload accepted from the pool: a job with a 64 KiB coinbase on each side fits. */
    private static final int MAX_PAYLOAD = 1 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Listener listener;
    private final CompletableFuture<Sv2Client> connecting;
    private final NoiseInitiator initiator;
    private final byte[] act2 = new byte[NoiseResponder.ACT2_LENGTH];
    private int act2Length;
    private Sv2Framing framing;
    private CompletableFuture<SetupConnectionSuccess> setup;
    private final Map<Integer, CompletableFuture<? extends Sv2Message>> opening = new HashMap<>();
    /** Unanswered shares by channel and sequence number. */
    private final Map<Long, CompletableFuture<Sv2Message>> submits = new HashMap<>();
    private int nextRequestId = 1;

    Sv2Client(ClientGroup.Loop loop, SocketChannel channel, InetSocketAddress address, XOnlyPublicKey authority, Listener listener,
              CompletableFuture<Sv2Client> connecting) {
        super(loop, channel, new PlainWire(channel, null), address);
        this.listener = listener;
        this.connecting = connecting;
        this.initiator = new NoiseInitiator(authority, RANDOM);
    }

    /** The pool's address. */
    public InetSocketAddress address() {
        return address;
    }

    /** The pool's static key, as its certificate names it (known once connected). */
    public XOnlyPublicKey serverKey() {
        return initiator.serverKey();
    }

    /** Sends {@code SetupConnection}; completes with the pool's success, or fails with its error code. */
    public CompletableFuture<SetupConnectionSuccess> setup(SetupConnection message) {
        Objects.requireNonNull(message, "message");
        CompletableFuture<SetupConnectionSuccess> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (fail(f)) {
                return;
            }
            setup = f;
            write(message);
        });
        return f;
    }

    /** Opens a standard (header-only) channel for {@code user}. */
    public CompletableFuture<OpenStandardMiningChannelSuccess> openStandardChannel(String user, float nominalHashRate, Target maxTarget) {
        CompletableFuture<OpenStandardMiningChannelSuccess> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (fail(f)) {
                return;
            }
            int id = nextRequestId++;
            opening.put(id, f);
            write(new OpenStandardMiningChannel(id, user, nominalHashRate, maxTarget));
        });
        return f;
    }

    /** Opens an extended channel for {@code user} with at least {@code minExtranonceSize} bytes to roll. */
    public CompletableFuture<OpenExtendedMiningChannelSuccess> openExtendedChannel(String user, float nominalHashRate, Target maxTarget,
                                                                                   int minExtranonceSize) {
        CompletableFuture<OpenExtendedMiningChannelSuccess> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (fail(f)) {
                return;
            }
            int id = nextRequestId++;
            opening.put(id, f);
            write(new OpenExtendedMiningChannel(id, user, nominalHashRate, maxTarget, minExtranonceSize));
        });
        return f;
    }

    /**
     * Submits a share ({@link SubmitSharesStandard} or {@link SubmitSharesExtended}); completes with
     * the pool's {@link SubmitSharesSuccess} or {@link SubmitSharesError} for its sequence number.
     */
    public CompletableFuture<Sv2Message> submit(Sv2Message share) {
        int channelId;
        int sequence;
        if (share instanceof SubmitSharesStandard s) {
            channelId = s.channelId();
            sequence = s.sequenceNumber();
        } else if (share instanceof SubmitSharesExtended s) {
            channelId = s.channelId();
            sequence = s.sequenceNumber();
        } else {
            throw new IllegalArgumentException("submit takes SubmitSharesStandard or SubmitSharesExtended, got "
                    + share.getClass().getSimpleName());
        }
        CompletableFuture<Sv2Message> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (fail(f)) {
                return;
            }
            submits.put(key(channelId, sequence), f);
            write(share);
        });
        return f;
    }

    /** Sends any message as it is (tests, proxies). */
    public void send(Sv2Message message) {
        loop.execute(() -> {
            if (!closed) {
                write(message);
            }
        });
    }

    /** Closes the connection; pending requests fail. */
    public void close() {
        loop.execute(() -> close("closed by client"));
    }

    private boolean fail(CompletableFuture<?> f) {
        if (closed || framing == null) {
            f.completeExceptionally(new IOException(closed ? "connection to " + address + " is closed" : "handshake not finished"));
            return true;
        }
        return false;
    }

    private static long key(int channelId, int sequence) {
        return (long) channelId << 32 | (sequence & 0xFFFF_FFFFL);
    }

    private void write(Sv2Message message) {
        enqueue(ByteBuffer.wrap(framing.encode(message)));
    }

    @Override
    void connected() {
        key.interestOps(SelectionKey.OP_READ);
        enqueue(ByteBuffer.wrap(initiator.writeAct1()));
    }

    @Override
    void connectFailed(IOException e) {
        connecting.completeExceptionally(e);
    }

    @Override
    boolean consume(ByteBuffer buf) {
        try {
            if (framing == null) {
                readAct2(buf);
            }
            if (framing != null && buf.hasRemaining()) {
                framing.feed(buf, this::message);
            }
        } catch (NoiseException e) {
            close("decryption failed: " + e.getMessage());
        } catch (Sv2DecodeException e) {
            close("bad frame from pool: " + e.getMessage());
        }
        return !closed;
    }

    private void readAct2(ByteBuffer buf) {
        int take = Math.min(buf.remaining(), act2.length - act2Length);
        buf.get(act2, act2Length, take);
        act2Length += take;
        if (act2Length < act2.length) {
            return;
        }
        try {
            framing = new Sv2Framing(initiator.readAct2(act2, System.currentTimeMillis() / 1000), MAX_PAYLOAD);
        } catch (NoiseException e) {
            connecting.completeExceptionally(new IOException("handshake with " + address + " failed: " + e.getMessage()));
            close("handshake failed: " + e.getMessage());
            return;
        }
        connecting.complete(this);
    }

    @SuppressWarnings("unchecked")
    private boolean message(Sv2Message m) {
        if (m instanceof SetupConnectionSuccess ok && setup != null) {
            setup.complete(ok);
            setup = null;
        } else if (m instanceof SetupConnectionError e && setup != null) {
            setup.completeExceptionally(new RefusedException("SetupConnection", e.errorCode()));
            setup = null;
        } else if (m instanceof OpenStandardMiningChannelSuccess ok && opening.containsKey(ok.requestId())) {
            ((CompletableFuture<OpenStandardMiningChannelSuccess>) opening.remove(ok.requestId())).complete(ok);
        } else if (m instanceof OpenExtendedMiningChannelSuccess ok && opening.containsKey(ok.requestId())) {
            ((CompletableFuture<OpenExtendedMiningChannelSuccess>) opening.remove(ok.requestId())).complete(ok);
        } else if (m instanceof OpenMiningChannelError e && opening.containsKey(e.requestId())) {
            opening.remove(e.requestId()).completeExceptionally(new RefusedException("OpenMiningChannel", e.errorCode()));
        } else if (m instanceof SubmitSharesError e && submits.containsKey(key(e.channelId(), e.sequenceNumber()))) {
            submits.remove(key(e.channelId(), e.sequenceNumber())).complete(e);
        } else if (m instanceof SubmitSharesSuccess ok) {
            answered(ok);
        } else {
            listener.onMessage(this, m);
        }
        return !closed;
    }

    /** A success may acknowledge a batch: every pending share of the channel up to its last sequence number. */
    private void answered(SubmitSharesSuccess ok) {
        long last = ok.lastSequenceNumber() & 0xFFFF_FFFFL;
        for (Iterator<Map.Entry<Long, CompletableFuture<Sv2Message>>> it = submits.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, CompletableFuture<Sv2Message>> e = it.next();
            if ((int) (e.getKey() >>> 32) == ok.channelId() && (e.getKey() & 0xFFFF_FFFFL) <= last) {
                it.remove();
                e.getValue().complete(ok);
            }
        }
    }

    @Override
    void closedBecause(IOException cause, String reason) {
        connecting.completeExceptionally(cause);
        if (setup != null) {
            setup.completeExceptionally(cause);
        }
        opening.values().forEach(f -> f.completeExceptionally(cause));
        opening.clear();
        submits.values().forEach(f -> f.completeExceptionally(cause));
        submits.clear();
        listener.onClosed(this, reason);
    }

    @Override
    public String toString() {
        return "Sv2Client[" + address + "]";
    }
}
