package org.stratum4j.core.sv2.noise;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * What a Stratum V2 server proves itself with: a static key pair and the authority's certificate
 * for it. Servers use a fresh static key per identity and issue a new identity before the
 * certificate runs out; the authority key (which miners pin) stays the same.
 *
 * @param staticKey   the server's static key pair
 * @param certificate the authority's certificate for {@code staticKey}'s public key
 * @param authority   the authority's public key, for logs and URLs
 */
public record ServerIdentity(Secp256k1KeyPair staticKey, Certificate certificate, XOnlyPublicKey authority) {

    /** Checks the components. */
    public ServerIdentity {
        Objects.requireNonNull(staticKey, "staticKey");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(authority, "authority");
    }

    /**
     * A fresh static key certified by {@code authority} from {@code validFrom} for {@code validitySeconds}.
     *
     * @throws IllegalArgumentException when the window does not fit U32 Unix time or is not positive
     */
    public static ServerIdentity issue(Secp256k1KeyPair authority, long validFrom, long validitySeconds, SecureRandom random) {
        Objects.requireNonNull(authority, "authority");
        if (validitySeconds <= 0) {
            throw new IllegalArgumentException("validitySeconds must be positive, got " + validitySeconds);
        }
        Secp256k1KeyPair key = Secp256k1KeyPair.generate(random);
        Certificate certificate = Certificate.issue(authority, key.publicKey(), validFrom, validFrom + validitySeconds, random);
        return new ServerIdentity(key, certificate, authority.publicKey());
    }
}
