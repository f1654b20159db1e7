package org.fedmed.pki;

import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Small federations for tests, provisioned with seeded randomness. */
final class TestFederations {

    private TestFederations() {
    }

    /** A deterministic SecureRandom: SHA1PRNG seeded before first use does not mix in system entropy. */
    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Clock fixed(Instant at) {
        return Clock.fixed(at, ZoneOffset.UTC);
    }

    /** Federation {@code name} with sites a, b and c, server on {@code host:8443}, provisioned now. */
    static ProvisionedFederation provision(Path dir, String name, String host, long seed) {
        FederationSpec spec = FederationSpec.of(name, new ServerAddress(host, 8443), List.of("a", "b", "c"));
        return new Provisioner(Clock.systemUTC(), seeded(seed)).provision(spec, dir, false);
    }
}
