package org.stratum4j.examples.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's schema, created and upgraded at start by numbered SQL scripts
 * ({@code V<n>__<what>.sql} beside this class), each in its own transaction, under an advisory lock
 * so that pool processes starting together apply each script once. The version lives in
 * {@code stratum4j_schema}; a database from a newer version is refused with a sentence rather than
 * written with assumptions it does not meet.
 *
 * <p>Why not Flyway: five tables and a handful of scripts need forty lines, and the one rule that
 * matters here (refuse a newer schema, say so in a sentence) would be configuration there.
 */
final class Migrations {

    /** The scripts, oldest first; the last one's number is the version this code writes. */
    static final List<String> SCRIPTS = List.of("V1__share_store.sql", "V2__block_following.sql", "V3__payouts.sql",
            "V4__dashboard.sql");
    private static final long LOCK = 0x5374726174756d4aL; // "StratumJ"

    private Migrations() {
    }

    /** The schema version this code expects. */
    static int latest() {
        return SCRIPTS.size();
    }

    /**
     * Brings the database to {@link #latest()}.
     *
     * @return the version found before (0 for an empty database)
     * @throws StoreException when the database is newer than this code, or a script fails
     */
    static int apply(Connection c) throws SQLException {
        return apply(c, latest());
    }

    /** Brings the database to version {@code target} (tests start from an older version this way). */
    static int apply(Connection c, int target) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                s.execute("CREATE TABLE IF NOT EXISTS stratum4j_schema (version integer PRIMARY KEY, description text NOT NULL,"
                        + " applied_at timestamptz NOT NULL DEFAULT now())");
            }
            int found = version(c);
            if (found > latest()) {
                c.rollback();
                throw new StoreException("the database has share-store schema version " + found + ", newer than this pool's "
                        + latest() + ": run a pool at least as new as the one that upgraded it, or use another database");
            }
            for (int v = found + 1; v <= target; v++) {
                String name = SCRIPTS.get(v - 1);
                try (Statement s = c.createStatement()) {
                    s.execute(script(name));
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO stratum4j_schema (version, description) VALUES (?, ?)")) {
                    p.setInt(1, v);
                    p.setString(2, name);
                    p.executeUpdate();
                }
            }
            c.commit();
            return found;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The version recorded in the database (0 when none). */
    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM stratum4j_schema")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static String script(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + name, e);
        }
    }
}
