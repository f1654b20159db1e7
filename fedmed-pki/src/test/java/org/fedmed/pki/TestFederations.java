package org.fedmed.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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

    /**
     * Every file under {@code root} (relative path to its SHA-256), but the CA folder's lock file, so tests can tell
     * which files an operation changed.
     */
    static Map<Path, String> snapshot(Path root) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Path rel = root.relativize(p);
                if (!rel.equals(Path.of("ca", FederationDirectory.LOCK))) {
                    files.put(rel, sha256(Files.readAllBytes(p)));
                }
            }
        }
        return files;
    }

    /** {@code before} without the entries of {@code changed}: what should be left untouched. */
    static Map<Path, String> without(Map<Path, String> before, String... changed) {
        Map<Path, String> kept = new TreeMap<>(before);
        for (String c : changed) {
            kept.keySet().removeIf(p -> p.startsWith(Path.of(c)));
        }
        return kept;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Federation {@code demo} with sites a, b and c and server {@code fl.example.org:8443}, provisioned at
     * {@code at}; the CA lasts {@code caValidity}, the other certificates {@code certificateValidity}.
     */
    static ProvisionedFederation provisionAt(Path dir, Instant at, Duration caValidity, Duration certificateValidity,
                                             long seed) {
        FederationSpec spec = new FederationSpec("demo", new ServerAddress("fl.example.org", 8443),
                List.of("a", "b", "c"), caValidity, certificateValidity, false);
        return new Provisioner(fixed(at), seeded(seed)).provision(spec, dir, false);
    }

    /** Federation {@code name} with sites a, b and c, server on {@code host:8443}, provisioned now. */
    static ProvisionedFederation provision(Path dir, String name, String host, long seed) {
        FederationSpec spec = FederationSpec.of(name, new ServerAddress(host, 8443), List.of("a", "b", "c"));
        return new Provisioner(Clock.systemUTC(), seeded(seed)).provision(spec, dir, false);
    }
}
