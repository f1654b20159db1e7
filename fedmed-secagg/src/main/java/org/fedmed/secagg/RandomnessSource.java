package org.fedmed.secagg;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Where each client draws its key pairs, self-mask seed, Shamir coefficients and nonces. In a deployment each
 * site uses {@link #system()}. Simulations and tests may use {@link #seededForSimulation(long)} so that a run
 * repeats byte for byte; the unmasked sum is the same either way, since masks cancel exactly.
 */
@FunctionalInterface
public interface RandomnessSource {

    /** A generator for client {@code clientId}, used by that client alone. */
    SecureRandom forClient(int clientId);

    /** The platform's strong default generator, freshly seeded from the operating system. */
    static RandomnessSource system() {
        return clientId -> new SecureRandom();
    }

    /**
     * Deterministic generators derived from {@code seed} and the client id. Every key is predictable from the
     * seed: for simulations and tests only, never for a real federation.
     */
    static RandomnessSource seededForSimulation(long seed) {
        return clientId -> {
            try {
                SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
                // Seeding before the first draw makes SHA1PRNG a deterministic function of the seed.
                random.setSeed(ByteBuffer.allocate(20).putLong(seed).putInt(clientId).putLong(0x5ECA66L).array());
                return random;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK lacks the SHA1PRNG generator needed for seeded simulation", e);
            }
        };
    }
}
