package org.stratum4j.core.engine;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.stratum4j.core.protocol.ClientCodec;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.core.protocol.SetDifficulty;

/** A connection that records what the engine sends; SPI completions run when the test says so. */
public final class FakeConnection implements Connection {

    private final ClientCodec codec = new ClientCodec();
    final List<PoolMessage> sent = new ArrayList<>();
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    final SocketAddress remote;
    String closedReason;
    Duration bannedFor;

    public FakeConnection(int port) {
        this.remote = new InetSocketAddress("192.0.2.1", port);
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public void send(PoolMessage message) {
        sent.add(message);
    }

    @Override
    public void sendLine(byte[] line) {
        // Decode what a miner would read, so tests see the bytes that went out, not the object.
        sent.add(codec.decode(line, 0, line.length - 1));
    }

    @Override
    public void close(String reason) {
        closedReason = reason;
    }

    @Override
    public void ban(Duration duration, String reason) {
        bannedFor = duration;
        closedReason = reason;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    void runTasks() {
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
    }

    /** Removes and returns what was sent so far. */
    List<PoolMessage> take() {
        List<PoolMessage> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    /** The responses sent so far (removing everything sent). */
    List<Response> responses() {
        return take().stream().filter(Response.class::isInstance).map(Response.class::cast).toList();
    }

    static Response last(List<PoolMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof Response r) {
                return r;
            }
        }
        throw new AssertionError("no response in " + messages);
    }

    static Notify lastNotify(List<PoolMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof Notify n) {
                return n;
            }
        }
        throw new AssertionError("no notify in " + messages);
    }

    static SetDifficulty lastSetDifficulty(List<PoolMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof SetDifficulty n) {
                return n;
            }
        }
        throw new AssertionError("no set_difficulty in " + messages);
    }
}
