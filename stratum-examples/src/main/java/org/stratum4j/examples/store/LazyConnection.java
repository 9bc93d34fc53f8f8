package org.stratum4j.examples.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * A database connection of one's own, opened when first needed and dropped after a failure (the
 * next {@link #get} opens a new one). Not thread-safe: its owner uses it from one thread, or
 * under its own lock.
 */
public final class LazyConnection implements AutoCloseable {

    private final DatabaseUrl url;
    private final String applicationName;
    private final boolean readOnly;
    private Connection connection;

    /** A connection to {@code url} that the server lists as {@code applicationName}. */
    public LazyConnection(DatabaseUrl url, String applicationName, boolean readOnly) {
        this.url = Objects.requireNonNull(url, "url");
        this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
        this.readOnly = readOnly;
    }

    /** The open connection, opening one when there is none. */
    public Connection get() throws SQLException {
        if (connection == null) {
            Connection c = url.connect(applicationName);
            if (readOnly) {
                c.setReadOnly(true);
            }
            connection = c;
        }
        return connection;
    }

    /** Whether a connection is open. */
    public boolean isOpen() {
        return connection != null;
    }

    /** Closes the connection, if any, ignoring how (it may be broken already). */
    public void drop() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // broken or gone: closed either way
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        drop();
    }
}
