package org.stratum4j.transport.nio;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * One listening port and its own settings: the difficulty its sessions start at (a port for small
 * miners, one for farms), whether it speaks TLS ({@code stratum+ssl://}), and whether every
 * connection starts with a PROXY protocol header (behind HAProxy, nginx or a cloud load balancer;
 * the header comes before any TLS). Immutable; the {@code with…} methods return a copy.
 */
public final class Listener {

    private final InetSocketAddress address;
    private final Difficulty startingDifficulty;
    private final boolean proxyProtocol;
    private final TlsConfig tls;

    private Listener(InetSocketAddress address, Difficulty startingDifficulty, boolean proxyProtocol, TlsConfig tls) {
        this.address = address;
        this.startingDifficulty = startingDifficulty;
        this.proxyProtocol = proxyProtocol;
        this.tls = tls;
    }

    /** A plain listener on {@code address} using the engine's initial difficulty. */
    public static Listener on(InetSocketAddress address) {
        return new Listener(Objects.requireNonNull(address, "address"), null, false, null);
    }

    /** Sessions on this port start at {@code difficulty}. */
    public Listener withStartingDifficulty(Difficulty difficulty) {
        return new Listener(address, Objects.requireNonNull(difficulty, "difficulty"), proxyProtocol, tls);
    }

    /**
     * Every connection must begin with a PROXY v1 or v2 header; its source address becomes the
     * connection's address (a LOCAL/UNKNOWN header keeps the socket's). A missing or malformed
     * header closes the connection.
     */
    public Listener withProxyProtocol(boolean required) {
        return new Listener(address, startingDifficulty, required, tls);
    }

    /**
     * Connections on this port speak TLS with {@code config}; a peer that does not (plain Stratum,
     * garbage, a failed handshake) is closed, counted under {@code "plain text on TLS port"} or
     * {@code "TLS handshake failed"}. Handshakes must finish within the server's subscribe timeout.
     */
    public Listener withTls(TlsConfig config) {
        return new Listener(address, startingDifficulty, proxyProtocol, Objects.requireNonNull(config, "config"));
    }

    /** The TLS settings, or null for plain TCP. */
    public TlsConfig tls() {
        return tls;
    }

    /** The address to bind. */
    public InetSocketAddress address() {
        return address;
    }

    /** The starting difficulty, or null for the engine's. */
    public Difficulty startingDifficulty() {
        return startingDifficulty;
    }

    /** Whether connections start with a PROXY header. */
    public boolean proxyProtocol() {
        return proxyProtocol;
    }

    @Override
    public String toString() {
        return address + (startingDifficulty == null ? "" : " difficulty " + startingDifficulty) + (proxyProtocol ? " PROXY" : "")
                + (tls == null ? "" : " " + tls);
    }
}
