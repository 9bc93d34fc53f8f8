package org.stratum4j.examples.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.engine.FoundBlock;

/**
 * Turns what the pool knows into {@link Alert}s: a worker that was sending shares and has sent none
 * for the offline time ({@code worker_offline}, once) and its first share after that
 * ({@code worker_back}); the node or the database lost and back (one event per change); each found
 * block with the node's verdict. {@link #check} looks at the sources (every 15 s once
 * {@link #start}ed); {@link #blockFound} is called as blocks are judged. Events go to the sink
 * (a {@link WebhookSender}), which never blocks.
 */
public final class AlertWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertWatch.class);
    static final Duration FORGET_OFFLINE = Duration.ofDays(7);

    private final Clock clock;
    private final Duration offlineAfter;
    private final Supplier<Map<String, Instant>> lastShares;
    private final BooleanSupplier nodeReachable;
    private final BooleanSupplier databaseReachable;
    private final Consumer<Alert> sink;
    private volatile BooleanSupplier leading = () -> true;
    private final AtomicLong ids = new AtomicLong();
    /** Workers reported offline, with the last share they had then. */
    private final Map<String, Instant> offline = new HashMap<>();
    private boolean nodeDown;
    private boolean databaseDown;
    private ScheduledExecutorService timer;

    /**
     * A watch over {@code lastShares} (each worker's last accepted share) and, when not null, the
     * node's and the database's reachability, sending to {@code sink}.
     */
    public AlertWatch(Clock clock, Duration offlineAfter, Supplier<Map<String, Instant>> lastShares, BooleanSupplier nodeReachable,
                      BooleanSupplier databaseReachable, Consumer<Alert> sink) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(offlineAfter, "offlineAfter");
        if (offlineAfter.toSeconds() < 60 || offlineAfter.toDays() > 7) {
            throw new IllegalArgumentException("offline time " + offlineAfter + " is outside 1 minute .. 7 days");
        }
        this.offlineAfter = offlineAfter;
        this.lastShares = Objects.requireNonNull(lastShares, "lastShares");
        this.nodeReachable = nodeReachable;
        this.databaseReachable = databaseReachable;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Worker alerts only while {@code leader} says so (in a cluster, one process sends them; see
     * {@link ClusterWorkers}). Node, database and block alerts are each process's own.
     */
    public AlertWatch leadingWhen(BooleanSupplier leader) {
        this.leading = Objects.requireNonNull(leader, "leader");
        return this;
    }

    /** Checks every {@code period} on a thread of its own ({@code alert-watch}). */
    public synchronized void start(Duration period) {
        if (timer != null) {
            throw new IllegalStateException("already started");
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alert-watch");
            t.setDaemon(true);
            return t;
        });
        long ms = period.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                LOG.error("alert check failed", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Looks at workers, node and database once, and sends what changed. */
    public synchronized void check() {
        Instant now = clock.instant();
        // Not leading, or the workers cannot be read now: no worker alert this time, and none forgotten.
        Map<String, Instant> shares = leading.getAsBoolean() ? lastShares.get() : null;
        for (Map.Entry<String, Instant> e : shares == null ? Map.<String, Instant>of().entrySet() : shares.entrySet()) {
            String worker = e.getKey();
            Instant last = e.getValue();
            if (last == null) {
                continue;
            }
            Instant reported = offline.get(worker);
            if (reported == null) {
                if (!last.plus(offlineAfter).isAfter(now)) {
                    offline.put(worker, last);
                    Map<String, Object> f = workerFields(worker, last);
                    f.put("offline_seconds", Duration.between(last, now).toSeconds());
                    send(Alert.WORKER_OFFLINE, now, f);
                }
            } else if (last.isAfter(reported)) {
                offline.remove(worker);
                Map<String, Object> f = workerFields(worker, last);
                f.put("was_offline_seconds", Duration.between(reported, last).toSeconds());
                send(Alert.WORKER_BACK, now, f);
            }
        }
        // A worker reported offline stays watched while the source still reads it, and for a week after it stops
        // (a cluster's source reads only recent rollups): its return is reported, and memory stays bounded.
        if (shares != null) {
            offline.entrySet().removeIf(e -> !shares.containsKey(e.getKey()) && e.getValue().plus(FORGET_OFFLINE).isBefore(now));
        }
        if (nodeReachable != null) {
            boolean down = !nodeReachable.getAsBoolean();
            if (down != nodeDown) {
                nodeDown = down;
                send(down ? Alert.NODE_UNREACHABLE : Alert.NODE_RECOVERED, now, new LinkedHashMap<>());
            }
        }
        if (databaseReachable != null) {
            boolean down = !databaseReachable.getAsBoolean();
            if (down != databaseDown) {
                databaseDown = down;
                send(down ? Alert.DATABASE_UNREACHABLE : Alert.DATABASE_RECOVERED, now, new LinkedHashMap<>());
            }
        }
    }

    /** A block was found and the node answered {@code verdict} (empty: accepted), or failed to ({@code failure}). */
    public void blockFound(FoundBlock block, Optional<String> verdict, Throwable failure) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("hash", block.hash().toDisplayHex());
        f.put("height", block.height());
        f.put("worker", block.worker());
        f.put("accepted", failure == null && verdict != null && verdict.isEmpty());
        f.put("verdict", failure != null ? "not submitted: " + failure.getMessage() : verdict == null ? null : verdict.orElse("accepted"));
        send(Alert.BLOCK_FOUND, clock.instant(), f);
    }

    private static Map<String, Object> workerFields(String worker, Instant last) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("worker", worker);
        int dot = worker.indexOf('.');
        f.put("address", dot < 0 ? worker : worker.substring(0, dot));
        f.put("last_share", last.toString());
        return f;
    }

    private void send(String event, Instant now, Map<String, Object> fields) {
        sink.accept(new Alert(event, now, ids.incrementAndGet(), fields));
    }

    /** Stops the timer. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
