package org.stratum4j.examples.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;

/** For tests in other packages: a database at the latest schema, with share partitions for some days. */
public final class TestSchema {

    private TestSchema() {
    }

    /** Migrates {@code c}'s database to the latest version and makes the partitions {@code from} to {@code to}. */
    public static void prepare(Connection c, LocalDate from, LocalDate to) throws SQLException {
        Migrations.apply(c);
        Partitions.ensure(c, from, to);
    }
}
