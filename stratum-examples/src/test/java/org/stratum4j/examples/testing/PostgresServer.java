package org.stratum4j.examples.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real PostgreSQL server ({@link TestPostgres}) for a test class, started before its tests and
 * stopped after them: {@code @RegisterExtension static final PostgresServer PG = new PostgresServer();}.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

    private TestPostgres server;
    private int databases;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = TestPostgres.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server. */
    public TestPostgres server() {
        if (server == null) {
            throw new IllegalStateException("the PostgreSQL server runs only while the test class does");
        }
        return server;
    }

    /** A new empty database named {@code prefix} and a number, owned by {@code pool}; returns its name. */
    public String newDatabase(String prefix) throws Exception {
        String name = prefix + (++databases);
        server().createDatabase(name);
        return name;
    }
}
