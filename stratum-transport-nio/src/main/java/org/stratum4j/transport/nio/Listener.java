package org.stratum4j.transport.nio;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * One listening port and its own settings: the difficulty its sessions start at (a port for small
 * miners, one for farms) and whether every connection starts with a PROXY protocol header (behind
 * HAProxy, nginx or a cloud load balancer). Immutable; the {@code with…} methods return a copy.
 */
public final class Listener {

    private final InetSocketAddress address;
    private final Difficulty startingDifficulty;
    private final boolean proxyProtocol;

    private Listener(InetSocketAddress address, Difficulty startingDifficulty, boolean proxyProtocol) {
        this.address = address;
        this.startingDifficulty = startingDifficulty;
        this.proxyProtocol = proxyProtocol;
    }

    /** A plain listener on {@code address} using the engine's initial difficulty. */
    public static Listener on(InetSocketAddress address) {
        return new Listener(Objects.requireNonNull(address, "address"), null, false);
    }

    /** Sessions on this port start at {@code difficulty}. */
    public Listener withStartingDifficulty(Difficulty difficulty) {
        return new Listener(address, Objects.requireNonNull(difficulty, "difficulty"), proxyProtocol);
    }

    /**
     * Every connection must begin with a PROXY v1 or v2 header; its source address becomes the
     * connection's address (a LOCAL/UNKNOWN header keeps the socket's). A missing or malformed
     * header closes the connection.
     */
    public Listener withProxyProtocol(boolean required) {
        return new Listener(address, startingDifficulty, required);
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
        return address + (startingDifficulty == null ? "" : " difficulty " + startingDifficulty) + (proxyProtocol ? " PROXY" : "");
    }
}
