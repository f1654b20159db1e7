package org.fedmed.secagg.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * X25519 Diffie-Hellman (RFC 7748), with keys as raw 32-byte strings: a public key is the little-endian
 * u-coordinate, a private key the 32-byte scalar. Raw keys are what travel in messages and what a private key's
 * Shamir shares rebuild. The scalar multiplications, which a SecAgg+ client runs twice per neighbour and a server
 * once per neighbour of each dropped client, run on the raw bytes, without building key objects, on the process's
 * {@link Curve25519#preferred() Curve25519} implementation (libsodium where it loads, Bouncy Castle otherwise).
 */
public final class X25519 {

    /** Length of a raw public key, private key and shared secret. */
    public static final int KEY_BYTES = 32;

    private X25519() {
    }

    /**
     * A raw key pair: the private scalar and its public key X25519(secret, 9).
     *
     * @param secret    the 32-byte private scalar, unclamped (RFC 7748 clamps it at every use)
     * @param publicKey the 32-byte public u-coordinate
     */
    public record KeyPair(byte[] secret, byte[] publicKey) {
        public KeyPair {
            checkLength(secret, "private key");
            checkLength(publicKey, "public key");
        }

        /** Overwrites the private scalar with zeros. */
        public void destroy() {
            Arrays.fill(secret, (byte) 0);
        }

        @Override
        public String toString() {
            return "X25519.KeyPair[public=" + java.util.HexFormat.of().formatHex(publicKey) + "]";
        }
    }

    /**
     * A fresh key pair: 32 bytes from {@code random} as the private scalar, and its public key. It draws exactly what
     * the JDK's X25519 key-pair generator draws, so a seeded source gives the same keys as that generator would.
     */
    public static KeyPair generate(SecureRandom random) {
        byte[] secret = new byte[KEY_BYTES];
        random.nextBytes(secret);
        return new KeyPair(secret, publicKeyOf(secret));
    }

    /**
     * The shared secret X25519(scalar, theirs) for a raw private scalar (RFC 7748: the scalar is clamped and the
     * top bit of the u-coordinate ignored).
     *
     * @throws IllegalArgumentException if {@code theirPublic} is a low-order point (the secret would be zero)
     */
    public static byte[] agree(byte[] scalar, byte[] theirPublic) {
        checkLength(scalar, "private key");
        checkLength(theirPublic, "public key");
        byte[] shared = new byte[KEY_BYTES];
        if (!Curve25519.preferred().multiply(scalar, theirPublic, shared)) {
            throw new IllegalArgumentException("X25519 key agreement failed: the public key is a low-order point"
                    + " (the shared secret would be zero)");
        }
        return shared;
    }

    /** The raw public key that belongs to the raw private scalar {@code scalar}: X25519(scalar, 9). */
    public static byte[] publicKeyOf(byte[] scalar) {
        checkLength(scalar, "private key");
        byte[] out = new byte[KEY_BYTES];
        Curve25519.preferred().multiplyBase(scalar, out);
        return out;
    }

    /**
     * The name of the Curve25519 implementation this process runs ({@code libsodium} or {@code bouncycastle}).
     *
     * @throws IllegalStateException if {@value Curve25519#PROPERTY} names no usable implementation
     */
    public static String implementation() {
        return Curve25519.preferred().name();
    }

    /** Refuses anything but a 32-byte key, secret or point, naming {@code what} it is. */
    static void checkLength(byte[] key, String what) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 " + what + " must be " + KEY_BYTES + " bytes, got "
                    + (key == null ? "none" : key.length));
        }
    }
}
