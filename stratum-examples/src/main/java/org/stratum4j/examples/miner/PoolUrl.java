package org.stratum4j.examples.miner;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import org.stratum4j.core.sv2.noise.XOnlyPublicKey;

/**
 * A pool's URL as miners write it: {@code stratum+tcp://host:port}, {@code stratum+ssl://host:port}
 * (Stratum V1 over TLS) or {@code stratum2+tcp://host:port/KEY} (Stratum V2, pinned to the pool's
 * authority key). Immutable; the host is resolved at each {@link #address()}, so a pool that moves
 * is found again on the next connection.
 *
 * @param text      the URL as given
 * @param host      the host name or address
 * @param port      the port
 * @param tls       whether Stratum V1 runs over TLS
 * @param authority the Stratum V2 authority key, or null for V1
 */
public record PoolUrl(String text, String host, int port, boolean tls, XOnlyPublicKey authority) {

    /** Checks the parts. */
    public PoolUrl {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(text + ": port " + port + " is outside 1..65535");
        }
        if (tls && authority != null) {
            throw new IllegalArgumentException(text + ": Stratum V2 has its own encryption; TLS does not apply");
        }
    }

    /**
     * Parses a URL.
     *
     * @throws IllegalArgumentException with the forms allowed, when it is none of them (or a V2
     *     URL's key is missing or not a valid authority key)
     */
    public static PoolUrl parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(url + " is not a URL; use stratum+tcp://host:port, stratum+ssl://host:port"
                    + " or stratum2+tcp://host:port/KEY");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("stratum+tcp") && !scheme.equals("stratum+ssl") && !scheme.equals("stratum2+tcp")
                || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException(url + " must look like stratum+tcp://host:port, stratum+ssl://host:port"
                    + " or stratum2+tcp://host:port/KEY");
        }
        XOnlyPublicKey key = null;
        if (scheme.equals("stratum2+tcp")) {
            String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (path.isEmpty()) {
                throw new IllegalArgumentException(url + ": a stratum2+tcp URL ends with the pool's authority key"
                        + " (stratum2+tcp://host:port/KEY)");
            }
            key = XOnlyPublicKey.fromBase58Check(path);
        }
        return new PoolUrl(url.strip(), uri.getHost(), uri.getPort(), scheme.equals("stratum+ssl"), key);
    }

    /** Whether this is a Stratum V2 pool. */
    public boolean v2() {
        return authority != null;
    }

    /** The pool's address, resolved now. */
    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return text;
    }
}
