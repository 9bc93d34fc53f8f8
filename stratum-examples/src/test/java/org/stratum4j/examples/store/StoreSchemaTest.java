package org.stratum4j.examples.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stratum4j.examples.testing.PostgresServer;

/** Migrations and partitions against a real PostgreSQL server. */
class StoreSchemaTest {

    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    private static Connection fresh(String db) throws Exception {
        PG.server().createDatabase(db);
        return PG.server().connect("pool", db);
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }

    @Test
    void anEmptyDatabaseIsMigratedToTheLatestVersionOnceEvenWhenTwoPoolsStartTogether() throws Exception {
        try (Connection a = fresh("migrate_empty"); Connection b = PG.server().connect("pool", "migrate_empty")) {
            Thread other = new Thread(() -> {
                try {
                    Migrations.apply(b);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            other.start();
            Migrations.apply(a);
            other.join();
            assertThat(Migrations.version(a)).isEqualTo(Migrations.latest());
            assertThat(tables(a)).contains("shares", "blocks", "worker_stats", "journal_progress", "stratum4j_schema");
            try (Statement s = a.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM stratum4j_schema")) {
                r.next();
                assertThat(r.getInt(1)).as("each script recorded once").isEqualTo(Migrations.latest());
            }
            assertThat(Migrations.apply(a)).as("the version found on a second start").isEqualTo(Migrations.latest());
        }
    }

    @Test
    void aDatabaseOfThePreviousVersionIsUpgradedWithItsData() throws Exception {
        try (Connection c = fresh("migrate_previous")) {
            assertThat(Migrations.apply(c, Migrations.latest() - 1)).isZero();
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO blocks (hash, height, worker, instance_id, created_at, status, updated_at)"
                        + " VALUES ('00ab', 7, 'w', 0, now(), 'pending', now())");
            }
            assertThat(Migrations.apply(c)).as("found the previous version").isEqualTo(Migrations.latest() - 1);
            assertThat(Migrations.version(c)).isEqualTo(Migrations.latest());
            try (Statement s = c.createStatement()) {
                // Version 2: a block may be recorded before its height is known.
                s.execute("INSERT INTO blocks (hash, height, worker, instance_id, created_at, status, updated_at)"
                        + " VALUES ('00cd', null, 'w', 0, now(), 'submitted', now())");
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM blocks")) {
                    r.next();
                    assertThat(r.getInt(1)).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void aDatabaseFromANewerVersionIsRefusedWithASentence() throws Exception {
        try (Connection c = fresh("migrate_newer")) {
            Migrations.apply(c);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO stratum4j_schema (version, description) VALUES (" + (Migrations.latest() + 1) + ", 'from the future')");
            }
            assertThatThrownBy(() -> Migrations.apply(c)).isInstanceOf(StoreException.class)
                    .hasMessage("the database has share-store schema version " + (Migrations.latest() + 1) + ", newer than this pool's "
                            + Migrations.latest() + ": run a pool at least as new as the one that upgraded it, or use another database");
        }
    }

    @Test
    void dailyPartitionsAreMadeAheadAndDroppedWhole() throws Exception {
        try (Connection c = fresh("partitions")) {
            Migrations.apply(c);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            assertThat(Partitions.ensure(c, today.minusDays(3), today.plusDays(2))).isEqualTo(6);
            assertThat(Partitions.ensure(c, today.minusDays(3), today.plusDays(2))).as("nothing to make twice").isZero();
            assertThat(Partitions.days(c)).hasSize(6).first().isEqualTo(today.minusDays(3));
            try (Statement s = c.createStatement()) {
                for (int back = 0; back <= 3; back++) {
                    s.execute("INSERT INTO shares VALUES (0, " + back + ", now() - interval '" + back + " days', 'w', 'j', '00', '00', 0, 0, 0,"
                            + " 1, 1.5, 'ab', false, null)");
                }
            }
            assertThat(Partitions.dropBefore(c, today.minusDays(1))).isEqualTo(2);
            assertThat(Partitions.days(c)).hasSize(4).first().isEqualTo(today.minusDays(1));
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM shares")) {
                r.next();
                assertThat(r.getInt(1)).as("shares of the two kept days").isEqualTo(2);
            }
        }
    }
}
