package org.stratum4j.examples.bitcoind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/**
 * How the pool proves itself to Bitcoin Core: {@code rpcuser}/{@code rpcpassword}
 * ({@code -rpcauth}), or the {@code .cookie} file the node writes at start
 * ({@code __cookie__:<hex>}). The cookie is re-read when the node answers 401, because a
 * restarted node writes a new one.
 */
public abstract sealed class RpcAuth {

    private RpcAuth() {
    }

    /** User and password. */
    public static RpcAuth password(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("RPC user \"" + user + "\" must be non-empty and contain no ':'");
        }
        return new Password(user, password);
    }

    /** The node's cookie file, e.g. {@code ~/.bitcoin/.cookie} or {@code ~/.bitcoin/regtest/.cookie}. */
    public static RpcAuth cookie(Path file) {
        return new Cookie(Objects.requireNonNull(file, "file"));
    }

    /** The {@code Authorization} header value; a cookie file is read the first time and after {@link #refresh()}. */
    abstract String header() throws RpcException;

    /** Forgets cached credentials so that the next call reads them again; true when that could help. */
    abstract boolean refresh();

    static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    static final class Password extends RpcAuth {
        private final String header;
        private final String user;

        Password(String user, String password) {
            this.user = user;
            this.header = basic(user + ":" + password);
        }

        @Override
        String header() {
            return header;
        }

        @Override
        boolean refresh() {
            return false;
        }

        @Override
        public String toString() {
            return "user " + user;
        }
    }

    static final class Cookie extends RpcAuth {
        private final Path file;
        private volatile String header;

        Cookie(Path file) {
            this.file = file;
        }

        @Override
        String header() throws RpcException {
            String h = header;
            if (h == null) {
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    throw new RpcException(RpcException.Kind.UNAUTHORIZED, "cannot read the node's cookie file " + file
                            + " (" + e + "); is the node running, and is this its data directory?", e);
                }
                if (text.indexOf(':') <= 0 || text.length() > 1024) {
                    throw new RpcException(RpcException.Kind.UNAUTHORIZED, "cookie file " + file
                            + " does not hold user:password", null);
                }
                h = basic(text);
                header = h;
            }
            return h;
        }

        @Override
        boolean refresh() {
            header = null;
            return true;
        }

        @Override
        public String toString() {
            return "cookie " + file;
        }
    }
}
