package org.stratum4j.examples.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code shares} table's daily partitions ({@code shares_pYYYYMMDD}, UTC days): made ahead of
 * need, and dropped whole once older than the retention, so that no share is ever removed by a
 * slow {@code DELETE}. Every change runs under an advisory lock, so pool processes sharing the
 * database do not race to make or drop the same day.
 */
final class Partitions {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final long LOCK = 0x5374726174756d50L; // "StratumP"

    private Partitions() {
    }

    static String name(LocalDate day) {
        return "shares_p" + DAY.format(day);
    }

    /** Makes the partitions for every day from {@code from} to {@code to} (inclusive) that do not exist yet. */
    static int ensure(Connection c, LocalDate from, LocalDate to) throws SQLException {
        List<LocalDate> existing = days(c);
        List<LocalDate> missing = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (!existing.contains(d)) {
                missing.add(d);
            }
        }
        if (missing.isEmpty()) {
            return 0;
        }
        return inLockedTransaction(c, s -> {
            for (LocalDate d : missing) {
                s.execute("CREATE TABLE IF NOT EXISTS " + name(d) + " PARTITION OF shares FOR VALUES FROM ('" + d
                        + " 00:00:00+00') TO ('" + d.plusDays(1) + " 00:00:00+00')");
            }
            return missing.size();
        });
    }

    /** Drops the partitions of days before {@code firstKept}; returns how many. */
    static int dropBefore(Connection c, LocalDate firstKept) throws SQLException {
        List<LocalDate> old = new ArrayList<>();
        for (LocalDate d : days(c)) {
            if (d.isBefore(firstKept)) {
                old.add(d);
            }
        }
        if (old.isEmpty()) {
            return 0;
        }
        return inLockedTransaction(c, s -> {
            for (LocalDate d : old) {
                s.execute("DROP TABLE IF EXISTS " + name(d));
            }
            return old.size();
        });
    }

    /** The days that have a partition, oldest first. */
    static List<LocalDate> days(Connection c) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT child.relname FROM pg_inherits i JOIN pg_class child ON child.oid = i.inhrelid"
                     + " JOIN pg_class parent ON parent.oid = i.inhparent WHERE parent.relname = 'shares' ORDER BY 1")) {
            while (r.next()) {
                String n = r.getString(1);
                if (n.matches("shares_p\\d{8}")) {
                    days.add(LocalDate.parse(n.substring(8), DAY));
                }
            }
        }
        return days;
    }

    private interface Work {
        int run(Statement s) throws SQLException;
    }

    private static int inLockedTransaction(Connection c, Work work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            int n = work.run(s);
            c.commit();
            return n;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
