package org.stratum4j.examples.pool;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.stratum4j.core.sv2.noise.Secp256k1KeyPair;
import org.stratum4j.core.sv2.noise.XOnlyPublicKey;
import org.stratum4j.examples.sv2.AuthorityKeyFile;
import org.stratum4j.examples.sv2.RenewingIdentity;
import org.stratum4j.transport.nio.Listener;
import org.stratum4j.transport.nio.StratumServer;

/**
 * The pool's Stratum V2 ports ({@code --sv2-port}): the authority key from
 * {@code --sv2-authority-key} (created when missing), a renewing server identity, the listeners, and
 * the {@code stratum2+tcp://HOST:PORT/KEY} URLs for the banner. Nothing when no V2 port is asked for.
 */
final class PoolSv2 {

    private final List<PoolConfig.Port> ports;
    private final Secp256k1KeyPair authority;
    private final RenewingIdentity identity;

    private PoolSv2(List<PoolConfig.Port> ports, Secp256k1KeyPair authority, RenewingIdentity identity) {
        this.ports = ports;
        this.authority = authority;
        this.identity = identity;
    }

    static PoolSv2 open(PoolConfig c, Clock clock) throws ConfigException {
        if (c.sv2Ports.isEmpty()) {
            return new PoolSv2(List.of(), null, null);
        }
        SecureRandom random = new SecureRandom();
        Secp256k1KeyPair key;
        try {
            key = AuthorityKeyFile.loadOrCreate(c.sv2AuthorityKey, clock.instant(), random);
        } catch (IOException e) {
            throw new ConfigException("--sv2-authority-key " + c.sv2AuthorityKey + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--sv2-authority-key: " + e.getMessage());
        }
        double hours = c.sv2CertificateHours == null ? 24 : c.sv2CertificateHours;
        RenewingIdentity identity = new RenewingIdentity(key, clock, Duration.ofSeconds(Math.round(hours * 3600)), random);
        identity.get(); // the first certificate now, so a bad clock or key shows at start
        return new PoolSv2(c.sv2Ports, key, identity);
    }

    /** Adds the V2 listeners to {@code sb}, after the V1 and TLS ones. */
    void listen(StratumServer.Builder sb, InetAddress bind, boolean proxy) {
        for (PoolConfig.Port p : ports) {
            InetSocketAddress at = bind == null ? new InetSocketAddress(p.port()) : new InetSocketAddress(bind, p.port());
            Listener l = Listener.on(at).withProxyProtocol(proxy).withStratumV2(identity);
            sb.listen(p.difficulty() == null ? l : l.withStartingDifficulty(p.difficulty()));
        }
    }

    /** How many V2 ports there are (the last of the server's bound addresses). */
    int portCount() {
        return ports.size();
    }

    /** The authority's public key, when there are V2 ports. */
    XOnlyPublicKey authority() {
        return authority == null ? null : authority.publicKey();
    }

    /** The URLs miners paste, one per bound V2 address. */
    List<String> urls(List<InetSocketAddress> bound) {
        List<String> out = new ArrayList<>();
        for (InetSocketAddress a : bound) {
            String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
            out.add("stratum2+tcp://" + host + ":" + a.getPort() + "/" + authority.publicKey().toBase58Check());
        }
        return out;
    }

    /**
     * {@code /stats}' {@code protocols} object: sessions and shares of each protocol (V1 is the
     * engine's totals less V2's).
     */
    static org.stratum4j.examples.stats.StatsServer.Section statsSection(org.stratum4j.core.engine.PoolEngine engine,
                                                                        StratumServer server) {
        return new org.stratum4j.examples.stats.StatsServer.Section() {
            @Override
            public String name() {
                return "protocols";
            }

            @Override
            public void write(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
                org.stratum4j.core.engine.PoolEngine.Stats e = engine.stats();
                org.stratum4j.core.sv2.Sv2Engine.Stats v2 = server.sv2Engine() == null
                        ? new org.stratum4j.core.sv2.Sv2Engine.Stats(0, 0, 0, 0) : server.sv2Engine().stats();
                long rejected = 0;
                for (long r : e.rejected()) {
                    rejected += r;
                }
                g.writeObjectFieldStart("v1");
                g.writeNumberField("sessions", e.sessions());
                g.writeNumberField("accepted", e.accepted() - v2.accepted());
                g.writeNumberField("rejected", rejected - v2.rejected());
                g.writeEndObject();
                g.writeObjectFieldStart("v2");
                g.writeNumberField("connections", v2.connections());
                g.writeNumberField("channels", v2.channels());
                g.writeNumberField("accepted", v2.accepted());
                g.writeNumberField("rejected", v2.rejected());
                g.writeEndObject();
            }
        };
    }

    void describe(Logger log, List<InetSocketAddress> bound) {
        if (authority != null) {
            log.info("Stratum V2 miners: {} (the key is the pool's authority, base58check)", String.join(" or ", urls(bound)));
        }
    }
}
