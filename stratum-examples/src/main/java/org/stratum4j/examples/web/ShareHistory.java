package org.stratum4j.examples.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.share.RejectReason;

/**
 * What the dashboard shows, kept in memory from the pool's share events: per worker, hashrate
 * series at three resolutions (a minute over the last hour, ten minutes over a day, an hour over a
 * week), shares by result and reason, the difficulty of its last share, its best share all-time
 * and since the pool's last block; for the pool, the same series and the best shares. Memory is
 * bounded: about 1.6 KB per worker, at most {@link #MAX_WORKERS} workers (the longest idle goes
 * first), none idle for more than a week. Thread-safe: every event loop records here.
 */
public final class ShareHistory {

    /** Most workers kept; beyond it the longest idle is forgotten. */
    public static final int MAX_WORKERS = 100_000;
    /** A worker with no accepted share for this long is not counted online. */
    public static final Duration ONLINE = Duration.ofMinutes(5);
    static final Duration FORGET = Duration.ofDays(7);
    static final int BEST_SHARES = 10;
    static final double HASHES_PER_DIFFICULTY = 4294967296.0;

    /** A chart's resolution and reach. */
    public enum View {
        /** One point a minute over an hour. */
        HOUR(60, 60),
        /** One point every ten minutes over a day. */
        DAY(600, 144),
        /** One point an hour over a week. */
        WEEK(3600, 168);

        final int seconds;
        final int points;

        View(int seconds, int points) {
            this.seconds = seconds;
            this.points = points;
        }

        /** Seconds per point. */
        public int intervalSeconds() {
            return seconds;
        }

        /** The view named {@code 1h}, {@code 24h} or {@code 7d}, else DAY. */
        public static View named(String name) {
            return switch (name == null ? "" : name) {
                case "1h" -> HOUR;
                case "7d" -> WEEK;
                default -> DAY;
            };
        }
    }

    /** Accepted difficulty per interval, in a ring; a slot belongs to the interval its start says. */
    static final class Series {
        final View view;
        final float[] difficulty;
        final long[] start;

        Series(View view) {
            this.view = view;
            this.difficulty = new float[view.points];
            this.start = new long[view.points];
        }

        void add(long epochSecond, double d) {
            long slot = epochSecond / view.seconds;
            int i = (int) (slot % view.points);
            if (start[i] != slot) {
                start[i] = slot;
                difficulty[i] = 0;
            }
            difficulty[i] += (float) d;
        }

        /**
         * Hashrate points, oldest first, up to {@code now} (the current interval included); an
         * interval is counted from {@code since} when it began before that (the process's start).
         */
        double[][] points(long now, long since) {
            long current = now / view.seconds;
            double[][] out = new double[view.points][];
            for (int k = 0; k < view.points; k++) {
                long slot = current - view.points + 1 + k;
                int i = (int) (Math.floorMod(slot, (long) view.points));
                double d = start[i] == slot ? difficulty[i] : 0;
                // The current interval is partial: its rate is over the seconds it has had.
                long from = Math.max(slot * view.seconds, since);
                long to = slot == current ? now : (slot + 1) * view.seconds;
                long seconds = Math.max(1, to - from);
                out[k] = new double[] {slot * view.seconds, d * HASHES_PER_DIFFICULTY / seconds};
            }
            return out;
        }

        /** Accepted difficulty in the last {@code seconds}, from the minute series (HOUR view). */
        double sumSince(long from) {
            double sum = 0;
            for (int i = 0; i < view.points; i++) {
                if ((start[i] + 1) * view.seconds > from) {
                    sum += difficulty[i];
                }
            }
            return sum;
        }
    }

    /** One worker's figures. Guarded by itself. */
    static final class Worker {
        final String name;
        final Series hour = new Series(View.HOUR);
        final Series day = new Series(View.DAY);
        final Series week = new Series(View.WEEK);
        final long[] rejected = new long[RejectReason.values().length];
        long accepted;
        double lastDifficulty;
        double best;
        double bestSinceBlock;
        Instant lastShare;
        Instant firstSeen;

        Worker(String name, Instant now) {
            this.name = name;
            this.firstSeen = now;
        }

        Series series(View v) {
            return switch (v) {
                case HOUR -> hour;
                case DAY -> day;
                case WEEK -> week;
            };
        }
    }

    /** A share among the pool's best. */
    public record BestShare(String worker, double difficulty, Instant time) {
    }

    /**
     * One worker as the pages show it.
     *
     * @param stale    shares refused as stale (job not found: work from before a block change)
     * @param rejected the other refused shares, by reason ({@code low_difficulty}, {@code duplicate}, …)
     */
    public record WorkerView(String worker, double hashrate, Instant lastShare, double difficulty, long accepted, long stale,
                             Map<String, Long> rejected, double bestDifficulty, double bestDifficultySinceBlock, boolean online) {
    }

    private final Clock clock;
    private final Instant started;
    private final ConcurrentHashMap<String, Worker> workers = new ConcurrentHashMap<>();
    private final Series poolHour = new Series(View.HOUR);
    private final Series poolDay = new Series(View.DAY);
    private final Series poolWeek = new Series(View.WEEK);
    private final List<BestShare> best = new ArrayList<>();

    /** History from now on. */
    public ShareHistory(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.started = clock.instant();
    }

    /** Takes one share event (accepted or not). */
    public void record(ShareEvent e) {
        String name = e.worker();
        if (name == null) {
            return;
        }
        Worker w = workers.get(name);
        if (w == null) {
            if (!e.accepted()) {
                return; // a name that never had a share accepted is not kept: junk names cost nothing
            }
            if (workers.size() >= MAX_WORKERS) {
                evictIdlest();
            }
            w = workers.computeIfAbsent(name, k -> new Worker(k, e.time()));
        }
        long now = e.time().getEpochSecond();
        synchronized (w) {
            if (!e.accepted()) {
                w.rejected[e.rejectReason().ordinal()]++;
                return;
            }
            double d = e.difficulty().toDouble();
            w.hour.add(now, d);
            w.day.add(now, d);
            w.week.add(now, d);
            w.accepted++;
            w.lastDifficulty = d;
            w.lastShare = e.time();
            w.best = Math.max(w.best, e.shareDifficulty());
            w.bestSinceBlock = Math.max(w.bestSinceBlock, e.shareDifficulty());
        }
        synchronized (this) {
            poolHour.add(now, e.difficulty().toDouble());
            poolDay.add(now, e.difficulty().toDouble());
            poolWeek.add(now, e.difficulty().toDouble());
            if (best.size() < BEST_SHARES || e.shareDifficulty() > best.get(best.size() - 1).difficulty()) {
                best.add(new BestShare(name, e.shareDifficulty(), e.time()));
                best.sort(Comparator.comparingDouble(BestShare::difficulty).reversed());
                if (best.size() > BEST_SHARES) {
                    best.remove(best.size() - 1);
                }
            }
        }
        if (e.block()) {
            blockFound();
        }
    }

    /** The pool found a block: every worker's "best since the last block" starts again. */
    public void blockFound() {
        for (Worker w : workers.values()) {
            synchronized (w) {
                w.bestSinceBlock = 0;
            }
        }
    }

    private void evictIdlest() {
        Worker idlest = null;
        Instant oldest = Instant.MAX;
        for (Worker w : workers.values()) {
            synchronized (w) {
                Instant last = w.lastShare == null ? w.firstSeen : w.lastShare;
                if (last.isBefore(oldest)) {
                    oldest = last;
                    idlest = w;
                }
            }
        }
        if (idlest != null) {
            workers.remove(idlest.name, idlest);
        }
    }

    /** Forgets workers idle for a week (the page shows a week at most). */
    public void forgetIdle() {
        Instant cutoff = clock.instant().minus(FORGET);
        workers.values().removeIf(w -> {
            synchronized (w) {
                return w.lastShare != null && w.lastShare.isBefore(cutoff);
            }
        });
    }

    /** The pool's hashrate (H/s) over the last ten minutes (less while the pool is younger). */
    public double hashrate() {
        long now = clock.instant().getEpochSecond();
        synchronized (this) {
            return rate(poolHour, now);
        }
    }

    private double rate(Series minutes, long now) {
        long window = Math.min(600, Math.max(1, now - started.getEpochSecond()));
        return minutes.sumSince(now - window) * HASHES_PER_DIFFICULTY / window;
    }

    /** The pool's hashrate points for {@code view}: [epoch second, H/s], oldest first. */
    public double[][] poolSeries(View view) {
        long now = clock.instant().getEpochSecond();
        synchronized (this) {
            return (view == View.HOUR ? poolHour : view == View.DAY ? poolDay : poolWeek).points(now, started.getEpochSecond());
        }
    }

    /** The pool's best shares, best first. */
    public synchronized List<BestShare> bestShares() {
        return List.copyOf(best);
    }

    /** Every worker kept, by name. */
    public List<WorkerView> workers() {
        return select(null);
    }

    /** The workers of {@code address} (the part of a worker name before its first dot). */
    public List<WorkerView> workersOf(String address) {
        return select(Objects.requireNonNull(address, "address"));
    }

    private List<WorkerView> select(String address) {
        Instant now = clock.instant();
        List<WorkerView> out = new ArrayList<>();
        for (Worker w : workers.values()) {
            if (address != null && !addressOf(w.name).equals(address)) {
                continue;
            }
            synchronized (w) {
                Map<String, Long> rejected = new java.util.TreeMap<>();
                for (RejectReason r : RejectReason.values()) {
                    if (w.rejected[r.ordinal()] > 0 && r != RejectReason.JOB_NOT_FOUND) {
                        rejected.put(r.name().toLowerCase(java.util.Locale.ROOT), w.rejected[r.ordinal()]);
                    }
                }
                out.add(new WorkerView(w.name, rate(w.hour, now.getEpochSecond()), w.lastShare, w.lastDifficulty, w.accepted,
                        w.rejected[RejectReason.JOB_NOT_FOUND.ordinal()], rejected, w.best, w.bestSinceBlock,
                        w.lastShare != null && w.lastShare.plus(ONLINE).isAfter(now)));
            }
        }
        out.sort(Comparator.comparing(WorkerView::worker));
        return out;
    }

    /** One worker's hashrate points for {@code view}, or null when it is not kept. */
    public double[][] workerSeries(String worker, View view) {
        Worker w = workers.get(worker);
        if (w == null) {
            return null;
        }
        long now = clock.instant().getEpochSecond();
        synchronized (w) {
            return w.series(view).points(now, started.getEpochSecond());
        }
    }

    /** The address part of a worker name: before its first dot. */
    public static String addressOf(String worker) {
        int dot = worker.indexOf('.');
        return dot < 0 ? worker : worker.substring(0, dot);
    }
}
