package org.stratum4j.examples.miner;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.stratum4j.transport.nio.ClientGroup;

/** What the V1 and V2 CPU miners share: counters, hashing threads, and the way they stop. */
abstract class MinerBase implements Miner {

    final InetSocketAddress pool;
    final String user;
    final int threads;
    final LongAdder hashes = new LongAdder();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final List<Thread> workers = new ArrayList<>();
    volatile boolean running;
    ClientGroup group;

    /** A miner for {@code pool} as {@code user}, hashing on {@code threads} threads (1..256). */
    MinerBase(InetSocketAddress pool, String user, int threads) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.user = Objects.requireNonNull(user, "user");
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("miner threads " + threads + " is outside 1..256");
        }
        this.threads = threads;
    }

    /** Starts the daemon threads, named {@code name-i}, each running {@code hashLoop} with its index. */
    final void startThreads(String name, IntConsumer hashLoop) {
        running = true;
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread t = new Thread(() -> hashLoop.accept(index), name + "-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** The pool connection ended: complete {@link #closedFuture()}, and say so when it was not our doing. */
    final void connectionClosed(String reason, Logger log) {
        closed.complete(reason);
        if (running) {
            log.warn("pool connection closed: {}", reason);
        }
    }

    /** Closes the pool connection (after the threads have stopped). */
    abstract void disconnect();

    @Override
    public final long hashes() {
        return hashes.sum();
    }

    @Override
    public final long accepted() {
        return accepted.get();
    }

    @Override
    public final long rejected() {
        return rejected.get();
    }

    @Override
    public final CompletableFuture<String> closedFuture() {
        return closed;
    }

    @Override
    public final void close() {
        running = false;
        for (Thread t : workers) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        disconnect();
        if (group != null) {
            group.close();
        }
    }
}
