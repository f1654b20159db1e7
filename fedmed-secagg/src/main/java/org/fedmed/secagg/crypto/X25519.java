package org.fedmed.secagg.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;

/**
 * X25519 Diffie-Hellman (RFC 7748), with keys as raw 32-byte strings: a public key is the little-endian
 * u-coordinate, a private key the 32-byte scalar. Raw keys are what travel in messages and what a private key's
 * Shamir shares rebuild. Key pairs come from the JDK's XDH provider (so a seeded source gives the same keys as
 * before); the scalar multiplications, which a SecAgg+ client runs twice per neighbour and a server once per
 * neighbour of each dropped client, run on Bouncy Castle's constant-time RFC 7748 implementation on the raw
 * bytes, several times faster than the JDK's and without building key objects.
 */
public final class X25519 {

    /** Length of a raw public key, private key and shared secret. */
    public static final int KEY_BYTES = 32;

    private X25519() {
    }

    /** A fresh key pair drawn from {@code random}. */
    public static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
            generator.initialize(NamedParameterSpec.X25519, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate X25519 keys", e);
        }
    }

    /** The raw 32-byte encoding of a public key. */
    public static byte[] publicKeyBytes(PublicKey key) {
        BigInteger u = ((XECPublicKey) key).getU();
        byte[] out = new byte[KEY_BYTES];
        byte[] big = u.toByteArray();
        for (int i = 0; i < big.length && i < KEY_BYTES; i++) {
            out[i] = big[big.length - 1 - i];
        }
        return out;
    }

    /** The raw 32-byte scalar of a private key. */
    public static byte[] privateKeyBytes(PrivateKey key) {
        return ((XECPrivateKey) key).getScalar()
                .orElseThrow(() -> new IllegalStateException("X25519 private key does not expose its scalar"));
    }

    /** The private key with raw scalar {@code scalar}. */
    public static PrivateKey privateKey(byte[] scalar) {
        checkLength(scalar, "private key");
        try {
            return KeyFactory.getInstance("X25519")
                    .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a valid X25519 private key: " + e.getMessage(), e);
        }
    }

    /**
     * The shared secret X25519(mine, theirs).
     *
     * @throws IllegalArgumentException if {@code theirPublic} is a low-order point (the secret would be zero)
     */
    public static byte[] agree(PrivateKey mine, byte[] theirPublic) {
        return agree(privateKeyBytes(mine), theirPublic);
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
        if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(scalar, 0, theirPublic, 0, shared, 0)) {
            throw new IllegalArgumentException("X25519 key agreement failed: the public key is a low-order point"
                    + " (the shared secret would be zero)");
        }
        return shared;
    }

    /** The raw public key that belongs to the raw private scalar {@code scalar}: X25519(scalar, 9). */
    public static byte[] publicKeyOf(byte[] scalar) {
        checkLength(scalar, "private key");
        byte[] out = new byte[KEY_BYTES];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(scalar, 0, out, 0);
        return out;
    }

    private static void checkLength(byte[] key, String what) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 " + what + " must be " + KEY_BYTES + " bytes, got "
                    + (key == null ? "none" : key.length));
        }
    }
}
