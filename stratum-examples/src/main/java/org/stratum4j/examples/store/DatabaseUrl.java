package org.stratum4j.examples.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the share store lives: a JDBC URL, a user and a password. Made from what an operator
 * writes: {@code postgresql://user:password@host:port/dbname} (libpq's form) or a
 * {@code jdbc:postgresql:} URL, with the password from the URL, a file, or {@code PGPASSWORD}, in
 * that order. {@link #toString()} never shows the password, so the value can be logged.
 */
public final class DatabaseUrl {

    private final String jdbcUrl;
    private final String user;
    private final String password;

    private DatabaseUrl(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * Parses {@code url}; a password missing from it is read from {@code passwordFile} (its first
     * line) when given, else taken from {@code pgPassword} (the environment's {@code PGPASSWORD}).
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong and what is expected
     */
    public static DatabaseUrl parse(String url, Path passwordFile, String pgPassword) {
        Objects.requireNonNull(url, "url");
        String user = null;
        String password = null;
        String jdbc;
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            URI u;
            try {
                u = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("database URL " + redact(url) + " is not a URL: " + e.getReason());
            }
            if (u.getHost() == null || u.getPath() == null || u.getPath().length() < 2) {
                throw new IllegalArgumentException("database URL " + redact(url)
                        + " must look like postgresql://user:password@host:port/dbname");
            }
            if (u.getRawUserInfo() != null) {
                String info = u.getRawUserInfo();
                int colon = info.indexOf(':');
                user = decode(colon < 0 ? info : info.substring(0, colon));
                password = colon < 0 ? null : decode(info.substring(colon + 1));
            }
            int port = u.getPort() < 0 ? 5432 : u.getPort();
            String host = u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost();
            jdbc = "jdbc:postgresql://" + host + ":" + port + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        } else if (url.startsWith("jdbc:postgresql:")) {
            jdbc = url;
        } else {
            throw new IllegalArgumentException("database URL " + redact(url)
                    + " must start with postgresql:// (postgresql://user:password@host:port/dbname) or jdbc:postgresql:");
        }
        if (password == null && passwordFile != null) {
            try {
                String first = Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                if (first.isEmpty()) {
                    throw new IllegalArgumentException("database password file " + passwordFile + " is empty");
                }
                password = first;
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the database password file " + passwordFile + ": " + e.getMessage());
            }
        }
        if (password == null && pgPassword != null && !pgPassword.isEmpty()) {
            password = pgPassword;
        }
        return new DatabaseUrl(jdbc, user, password);
    }

    /** The JDBC URL (credentials in it, if the operator put them there, stay as given). */
    String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user, or null to let the URL or the driver decide. */
    String user() {
        return user;
    }

    /** The password, or null. */
    String password() {
        return password;
    }

    /** The JDBC URL with any password in it hidden: what logs and errors show. */
    @Override
    public String toString() {
        return redact(jdbcUrl) + (user == null ? "" : " as " + user);
    }

    /** {@code url} with the password of {@code user:password@} and of a {@code password=} parameter replaced by ***. */
    static String redact(String url) {
        String s = url.replaceAll("(://[^/:@]*:)[^@/]*@", "$1***@");
        return s.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * A new connection, with the timeouts a pool wants (5 s to connect, 60 s per statement's
     * socket read, TCP keep-alive) and {@code applicationName} in {@code pg_stat_activity}.
     */
    public java.sql.Connection connect(String applicationName) throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        if (user() != null) {
            p.setProperty("user", user());
        }
        if (password() != null) {
            p.setProperty("password", password());
        }
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "60");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", applicationName);
        return java.sql.DriverManager.getConnection(jdbcUrl(), p);
    }
}
