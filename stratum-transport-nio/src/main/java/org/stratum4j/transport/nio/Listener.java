package org.stratum4j.transport.nio;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.sv2.noise.ServerIdentity;

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
    private final Supplier<ServerIdentity> sv2Identity;

    private Listener(InetSocketAddress address, Difficulty startingDifficulty, boolean proxyProtocol, TlsConfig tls,
                     Supplier<ServerIdentity> sv2Identity) {
        this.address = address;
        this.startingDifficulty = startingDifficulty;
        this.proxyProtocol = proxyProtocol;
        this.tls = tls;
        this.sv2Identity = sv2Identity;
    }

    /** A plain listener on {@code address} using the engine's initial difficulty. */
    public static Listener on(InetSocketAddress address) {
        return new Listener(Objects.requireNonNull(address, "address"), null, false, null, null);
    }

    /** Sessions on this port start at {@code difficulty}. */
    public Listener withStartingDifficulty(Difficulty difficulty) {
        return new Listener(address, Objects.requireNonNull(difficulty, "difficulty"), proxyProtocol, tls, sv2Identity);
    }

    /**
     * Every connection must begin with a PROXY v1 or v2 header; its source address becomes the
     * connection's address (a LOCAL/UNKNOWN header keeps the socket's). A missing or malformed
     * header closes the connection.
     */
    public Listener withProxyProtocol(boolean required) {
        return new Listener(address, startingDifficulty, required, tls, sv2Identity);
    }

    /**
     * Connections on this port speak TLS with {@code config}; a peer that does not (plain Stratum,
     * garbage, a failed handshake) is closed, counted under {@code "plain text on TLS port"} or
     * {@code "TLS handshake failed"}. Handshakes must finish within the server's subscribe timeout.
     */
    public Listener withTls(TlsConfig config) {
        Objects.requireNonNull(config, "config");
        if (sv2Identity != null) {
            throw new IllegalArgumentException("a Stratum V2 port is encrypted by its Noise handshake; TLS cannot be added to " + address);
        }
        return new Listener(address, startingDifficulty, proxyProtocol, config, null);
    }

    /**
     * Connections on this port speak Stratum V2 ({@code stratum2+tcp://}): a Noise NX handshake in
     * which the server proves {@code identity.get()} (asked once per handshake, so a renewed
     * certificate takes effect at once), then encrypted binary frames to the server's
     * {@code Sv2Engine}. Frames are checked against the server's line limit before anything is
     * allocated; a handshake not finished within the subscribe timeout closes the connection.
     */
    public Listener withStratumV2(Supplier<ServerIdentity> identity) {
        Objects.requireNonNull(identity, "identity");
        if (tls != null) {
            throw new IllegalArgumentException("a Stratum V2 port is encrypted by its Noise handshake; " + address + " already has TLS");
        }
        return new Listener(address, startingDifficulty, proxyProtocol, null, identity);
    }

    /** The Stratum V2 server identity, or null for a Stratum V1 port. */
    public Supplier<ServerIdentity> stratumV2() {
        return sv2Identity;
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
                + (tls == null ? "" : " " + tls) + (sv2Identity == null ? "" : " Stratum V2");
    }
}
