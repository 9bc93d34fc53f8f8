package org.stratum4j.examples.alerts;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.examples.store.DatabaseUrl;
import org.stratum4j.examples.store.LazyConnection;

/**
 * Worker alerts for a cluster: every worker's last share wherever it mined (the share store's
 * rollups), and one process that sends them: the holder of a PostgreSQL advisory lock on this
 * reader's connection. A process that dies loses the lock with its connection, and another takes
 * it at its next check; so a miner that moves between processes is not reported offline, and no
 * event is sent by two processes.
 */
public final class ClusterWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkers.class);
    /** The advisory lock's key: "S4JALERT". */
    static final long LOCK = 0x53344a414c455254L;

    private final LazyConnection connection;
    private final Clock clock;
    private final Duration lookBack;
    private boolean leading;

    /** Reads workers whose last share is at most {@code lookBack} old. */
    public ClusterWorkers(DatabaseUrl url, Clock clock, Duration lookBack) {
        this.connection = new LazyConnection(url, "stratum4j-alerts", false);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lookBack = Objects.requireNonNull(lookBack, "lookBack");
    }

    /** Whether this process sends the cluster's worker alerts (taking the lock when it is free); false without the database. */
    public synchronized boolean leading() {
        try {
            if (!leading) {
                try (PreparedStatement p = connection.get().prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    p.setLong(1, LOCK);
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        leading = r.getBoolean(1);
                    }
                }
                if (leading) {
                    LOG.info("this process sends the cluster's worker alerts");
                }
            }
            return leading;
        } catch (SQLException e) {
            LOG.debug("alerts: the database cannot be asked who leads: {}", e.getMessage());
            drop();
            return false;
        }
    }

    /** Each worker's last accepted share on any process, over the look-back; empty when the database cannot be read. */
    public synchronized Map<String, Instant> lastShares() {
        Map<String, Instant> out = new HashMap<>();
        Instant now = clock.instant();
        try (PreparedStatement p = connection.get().prepareStatement("SELECT worker, max(last_share) FROM worker_stats WHERE bucket >= ?"
                + " AND last_share IS NOT NULL GROUP BY worker")) {
            p.setTimestamp(1, Timestamp.from(now.minus(lookBack).minusSeconds(600)));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getTimestamp(2).toInstant());
                }
            }
            return out;
        } catch (SQLException e) {
            LOG.debug("alerts: workers cannot be read: {}", e.getMessage());
            drop();
            return null;
        }
    }

    private void drop() {
        connection.drop();
        if (leading) {
            leading = false;
            LOG.info("this process no longer sends the cluster's worker alerts (its database connection was lost)");
        }
    }

    /** Gives up the lock (with the connection). */
    @Override
    public synchronized void close() {
        drop();
    }
}
