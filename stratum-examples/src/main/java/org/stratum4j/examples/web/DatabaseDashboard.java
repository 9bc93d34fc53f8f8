package org.stratum4j.examples.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.examples.store.DatabaseUrl;
import org.stratum4j.examples.store.LazyConnection;

/**
 * The dashboard's figures for a whole cluster, from the share store every process writes to: the
 * 10-minute worker rollups ({@code worker_stats}, with each worker's last share) and the
 * {@code blocks} table (status and confirmations as the store follows them on the chain). One
 * connection of its own: the pool's figures are read every 15 s on its thread, an address's when
 * its page is asked for (kept 30 s, at most 1,000 addresses). What only this process knows comes
 * from {@code local}: the chain's height and difficulty, the connected miners' software, earnings.
 *
 * <p>Rollups are 10 minutes wide: the hour view has six points, and "accepted" counts the last
 * seven days.
 */
public final class DatabaseDashboard implements DashboardSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseDashboard.class);
    static final long BUCKET = 600;
    static final Duration KEEP_ADDRESS = Duration.ofSeconds(30);
    static final int KEPT_ADDRESSES = 1_000;
    private static final Duration WEEK = Duration.ofDays(7);

    /** One address's rows, read at once. */
    private record AddressFigures(Instant readAt, List<ShareHistory.WorkerView> workers, Map<String, Map<Long, Double>> buckets) {
    }

    /** The pool's figures as of the last refresh. */
    private record PoolFigures(double hashrate, int workersOnline, int minersOnline, long blocksFound, Map<Long, Double> buckets,
                               List<ShareHistory.BestShare> best, List<BlockView> blocks, Instant lastBlock) {
    }

    private final LazyConnection connection;
    private final Clock clock;
    private final MemoryDashboard local;
    private final ScheduledExecutorService thread;
    private final Map<String, AddressFigures> addresses = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AddressFigures> eldest) {
            return size() > KEPT_ADDRESSES;
        }
    };
    private volatile PoolFigures pool = new PoolFigures(0, 0, 0, 0, Map.of(), List.of(), List.of(), null);

    /** Figures from the database at {@code url}; {@link #start} reads them. */
    public DatabaseDashboard(DatabaseUrl url, Clock clock, MemoryDashboard local) {
        this.connection = new LazyConnection(url, "stratum4j-dashboard", true);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.local = Objects.requireNonNull(local, "local");
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-db");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads the pool's figures now and then every {@code period}. */
    public void start(Duration period) {
        thread.scheduleWithFixedDelay(this::refresh, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the pool's figures once (on the caller's thread). */
    public void refresh() {
        try {
            pool = readPool();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("dashboard: the pool's figures could not be read: {}", e.getMessage());
            drop();
        }
    }

    private synchronized void drop() {
        connection.drop();
    }

    private synchronized PoolFigures readPool() throws SQLException {
        Connection c = connection.get();
        Instant now = clock.instant();
        long nowSecond = now.getEpochSecond();
        Map<Long, Double> buckets = new TreeMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT extract(epoch FROM bucket)::bigint, sum(difficulty) FROM worker_stats"
                + " WHERE bucket >= ? GROUP BY bucket")) {
            p.setTimestamp(1, Timestamp.from(now.minus(WEEK)));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    buckets.put(r.getLong(1), r.getDouble(2));
                }
            }
        }
        int online = 0;
        Set<String> miners = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT worker FROM worker_stats WHERE bucket >= ? AND last_share > ?")) {
            p.setTimestamp(1, Timestamp.from(now.minus(ShareHistory.ONLINE).minusSeconds(BUCKET)));
            p.setTimestamp(2, Timestamp.from(now.minus(ShareHistory.ONLINE)));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    online++;
                    miners.add(ShareHistory.addressOf(r.getString(1)));
                }
            }
        }
        List<ShareHistory.BestShare> best = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT worker, best_difficulty, bucket FROM worker_stats WHERE bucket >= ?"
                + " AND best_difficulty > 0 ORDER BY best_difficulty DESC LIMIT " + ShareHistory.BEST_SHARES)) {
            p.setTimestamp(1, Timestamp.from(now.minus(WEEK)));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    best.add(new ShareHistory.BestShare(r.getString(1), r.getDouble(2), r.getTimestamp(3).toInstant()));
                }
            }
        }
        List<BlockView> blocks = new ArrayList<>();
        Instant lastBlock = null;
        try (PreparedStatement p = c.prepareStatement("SELECT height, hash, worker, created_at, status, confirmations FROM blocks"
                + " ORDER BY created_at DESC, hash LIMIT 100")) {
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    Instant at = r.getTimestamp(4).toInstant();
                    String status = r.getString(5);
                    blocks.add(new BlockView(r.getLong(1), r.getString(2), r.getString(3), at, status, r.getLong(6)));
                    if (lastBlock == null && !status.equals("rejected") && !status.equals("orphaned")) {
                        lastBlock = at;
                    }
                }
            }
        }
        long found;
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM blocks WHERE status NOT IN ('rejected', 'orphaned')");
             ResultSet r = p.executeQuery()) {
            r.next();
            found = r.getLong(1);
        }
        return new PoolFigures(rate(buckets, nowSecond), online, miners.size(), found, buckets, List.copyOf(best), List.copyOf(blocks),
                lastBlock);
    }

    /** H/s over the current 10-minute bucket and the one before it. */
    static double rate(Map<Long, Double> buckets, long nowSecond) {
        long current = Math.floorDiv(nowSecond, BUCKET) * BUCKET;
        double d = buckets.getOrDefault(current, 0.0) + buckets.getOrDefault(current - BUCKET, 0.0);
        long seconds = Math.max(1, nowSecond - (current - BUCKET));
        return d * ShareHistory.HASHES_PER_DIFFICULTY / seconds;
    }

    /** Points for {@code view} from 10-minute buckets: 6 of them for an hour, 144 for a day, hourly sums for a week. */
    static double[][] series(Map<Long, Double> buckets, ShareHistory.View view, long nowSecond) {
        long current = Math.floorDiv(nowSecond, BUCKET) * BUCKET;
        int width = view == ShareHistory.View.WEEK ? 3600 : (int) BUCKET;
        int points = view == ShareHistory.View.HOUR ? 6 : view == ShareHistory.View.DAY ? 144 : 168;
        long last = Math.floorDiv(current, width) * width;
        double[][] out = new double[points][];
        for (int k = 0; k < points; k++) {
            long start = last - (long) (points - 1 - k) * width;
            double d = 0;
            for (long b = start; b < start + width; b += BUCKET) {
                d += buckets.getOrDefault(b, 0.0);
            }
            long seconds = start == last ? Math.max(1, nowSecond - start) : width;
            out[k] = new double[] {start, d * ShareHistory.HASHES_PER_DIFFICULTY / seconds};
        }
        return out;
    }

    @Override
    public PoolSummary pool() {
        PoolFigures f = pool;
        return new PoolSummary(f.hashrate(), f.workersOnline(), f.minersOnline(), local.height(), local.networkDifficulty(),
                f.blocksFound());
    }

    @Override
    public double[][] poolSeries(ShareHistory.View view) {
        return series(pool.buckets(), view, clock.instant().getEpochSecond());
    }

    @Override
    public List<ShareHistory.BestShare> bestShares() {
        return pool.best();
    }

    @Override
    public List<BlockView> blocks(int limit) {
        List<BlockView> b = pool.blocks();
        return b.size() <= limit ? b : b.subList(0, limit);
    }

    @Override
    public Map<String, Long> minerSoftware() {
        return local.minerSoftware();
    }

    @Override
    public List<EarningView> earnings(String address) {
        return local.earnings(address);
    }

    @Override
    public List<ShareHistory.WorkerView> workersOf(String address) {
        AddressFigures f = address(address);
        return f == null ? List.of() : f.workers();
    }

    @Override
    public double[][] workerSeries(String worker, ShareHistory.View view) {
        AddressFigures f = address(ShareHistory.addressOf(worker));
        Map<Long, Double> b = f == null ? null : f.buckets().get(worker);
        return b == null ? null : series(b, view, clock.instant().getEpochSecond());
    }

    private synchronized AddressFigures address(String address) {
        Instant now = clock.instant();
        AddressFigures f = addresses.get(address);
        if (f != null && f.readAt().plus(KEEP_ADDRESS).isAfter(now)) {
            return f;
        }
        try {
            f = readAddress(address, now);
            addresses.put(address, f);
            return f;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("dashboard: the figures of {} could not be read: {}", address, e.getMessage());
            drop();
            return f;
        }
    }

    private AddressFigures readAddress(String address, Instant now) throws SQLException {
        Map<String, Map<Long, Double>> buckets = new TreeMap<>();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, double[]> best = new TreeMap<>();
        Map<String, Instant> last = new TreeMap<>();
        Instant sinceBlock = pool.lastBlock();
        try (PreparedStatement p = connection.get().prepareStatement("SELECT worker, extract(epoch FROM bucket)::bigint, shares, difficulty,"
                + " rejected_stale, rejected_duplicate, rejected_low_difficulty, rejected_invalid, best_difficulty, last_share"
                + " FROM worker_stats WHERE split_part(worker, '.', 1) = ? AND bucket >= ?")) {
            p.setString(1, address);
            p.setTimestamp(2, Timestamp.from(now.minus(WEEK)));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String w = r.getString(1);
                    long bucket = r.getLong(2);
                    buckets.computeIfAbsent(w, k -> new TreeMap<>()).merge(bucket, r.getDouble(4), Double::sum);
                    long[] c = counts.computeIfAbsent(w, k -> new long[5]);
                    c[0] += r.getLong(3);
                    c[1] += r.getLong(5);
                    c[2] += r.getLong(6);
                    c[3] += r.getLong(7);
                    c[4] += r.getLong(8);
                    double[] b = best.computeIfAbsent(w, k -> new double[3]);
                    b[0] = Math.max(b[0], r.getDouble(9));
                    if (sinceBlock == null || bucket + BUCKET > sinceBlock.getEpochSecond()) {
                        b[1] = Math.max(b[1], r.getDouble(9));
                    }
                    Timestamp t = r.getTimestamp(10);
                    if (t != null && (last.get(w) == null || t.toInstant().isAfter(last.get(w)))) {
                        last.put(w, t.toInstant());
                        // The average share difficulty of its newest bucket stands for "its difficulty".
                        b[2] = r.getLong(3) > 0 ? r.getDouble(4) / r.getLong(3) : b[2];
                    }
                }
            }
        }
        List<ShareHistory.WorkerView> workers = new ArrayList<>();
        long nowSecond = now.getEpochSecond();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            String w = e.getKey();
            long[] c = e.getValue();
            Map<String, Long> rejected = new TreeMap<>();
            if (c[2] > 0) {
                rejected.put("duplicate", c[2]);
            }
            if (c[3] > 0) {
                rejected.put("low_difficulty", c[3]);
            }
            if (c[4] > 0) {
                rejected.put("invalid", c[4]);
            }
            Instant l = last.get(w);
            double[] b = best.get(w);
            workers.add(new ShareHistory.WorkerView(w, rate(buckets.get(w), nowSecond), l, b[2], c[0], c[1], rejected, b[0], b[1],
                    l != null && l.plus(ShareHistory.ONLINE).isAfter(now)));
        }
        return new AddressFigures(now, List.copyOf(workers), buckets);
    }

    /** Stops reading and closes the connection. */
    @Override
    public void close() {
        thread.shutdownNow();
        drop();
    }
}
