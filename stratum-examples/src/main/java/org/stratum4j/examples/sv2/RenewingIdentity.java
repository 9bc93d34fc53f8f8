package org.stratum4j.examples.sv2;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.sv2.noise.Secp256k1KeyPair;
import org.stratum4j.core.sv2.noise.ServerIdentity;

/**
 * The server identity a Stratum V2 port proves, renewed as it ages: a fresh static key and
 * certificate at start, and a new pair once half of the validity has passed, so a pool that runs
 * for months never presents an expired certificate and a leaked static key is useful for hours,
 * not forever. The certificate starts an hour in the past: miners whose clocks run behind still
 * accept it. Thread-safe; asked once per handshake.
 */
public final class RenewingIdentity implements Supplier<ServerIdentity> {

    private static final Logger LOG = LoggerFactory.getLogger(RenewingIdentity.class);
    static final Duration BACKDATE = Duration.ofHours(1);

    private final Secp256k1KeyPair authority;
    private final Clock clock;
    private final Duration validity;
    private final SecureRandom random;
    private ServerIdentity current;
    private long renewAt;

    /** Identities signed by {@code authority}, each valid for {@code validity} (at least a minute). */
    public RenewingIdentity(Secp256k1KeyPair authority, Clock clock, Duration validity, SecureRandom random) {
        this.authority = Objects.requireNonNull(authority, "authority");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (validity.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("certificate validity " + validity + " is under a minute");
        }
        this.validity = validity;
    }

    @Override
    public synchronized ServerIdentity get() {
        long now = clock.instant().getEpochSecond();
        if (current == null || now >= renewAt) {
            long from = now - BACKDATE.toSeconds();
            current = ServerIdentity.issue(authority, from, BACKDATE.toSeconds() + validity.toSeconds(), random);
            renewAt = now + validity.toSeconds() / 2;
            LOG.info("Stratum V2 server certificate issued: static key {}, valid until {}", current.staticKey().publicKey(),
                    java.time.Instant.ofEpochSecond(current.certificate().notValidAfter()));
        }
        return current;
    }
}
