package org.fedmed.secagg.crypto;

import java.util.Locale;

/**
 * Where X25519's scalar multiplications on the Montgomery curve Curve25519 run (RFC 7748, on raw little-endian
 * 32-byte strings: the scalar is clamped and the top bit of the u-coordinate ignored, as the RFC says). Two
 * implementations, both constant-time and both checked against the RFC's vectors: the system's libsodium through the
 * JDK's foreign-function interface, about 2.8 times as fast per agreement here, and Bouncy Castle's pure-Java code.
 * {@link #preferred} takes libsodium when it loads and answers the RFC's vectors correctly, Bouncy Castle otherwise,
 * or the one the system property {@value #PROPERTY} names ({@code libsodium} or {@code bouncycastle}).
 */
public sealed interface Curve25519 permits BouncyCastleCurve25519, SodiumCurve25519 {

    /** The system property that names the implementation; unset means libsodium where it loads. */
    String PROPERTY = "fedmed.x25519";

    /**
     * X25519(scalar, u) into {@code out}.
     *
     * @return false if the result is zero (u is a point of small order), in which case {@code out} is meaningless
     */
    boolean multiply(byte[] scalar, byte[] u, byte[] out);

    /** X25519(scalar, 9), the public key of {@code scalar}, into {@code out}. */
    void multiplyBase(byte[] scalar, byte[] out);

    /** The implementation's name, as {@value #PROPERTY} takes it. */
    String name();

    /**
     * The implementation this process uses, chosen once.
     *
     * @throws IllegalStateException on every call, if {@value #PROPERTY} names no implementation or one that cannot be
     *     used here
     */
    static Curve25519 preferred() {
        if (Choice.PREFERRED == null) {
            throw new IllegalStateException(Choice.ERROR);
        }
        return Choice.PREFERRED;
    }

    /**
     * The implementation named {@code name} ({@code libsodium} or {@code bouncycastle}).
     *
     * @throws IllegalArgumentException for another name, or if libsodium is named and cannot be used here
     */
    static Curve25519 named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "bouncycastle" -> BouncyCastleCurve25519.INSTANCE;
            case "libsodium" -> SodiumCurve25519.load().orElseThrow(() -> new IllegalArgumentException(
                    "libsodium was asked for (" + PROPERTY + "=libsodium) but " + SodiumCurve25519.unavailableReason()));
            default -> throw new IllegalArgumentException(PROPERTY + " must be libsodium or bouncycastle, got '" + name
                    + "'");
        };
    }

    /** Holds the process's choice, made on first use, or why the property's choice failed. */
    final class Choice {
        static final Curve25519 PREFERRED;
        static final String ERROR;

        static {
            Curve25519 chosen = null;
            String error = null;
            try {
                chosen = choose();
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
            PREFERRED = chosen;
            ERROR = error;
        }

        private Choice() {
        }

        private static Curve25519 choose() {
            String asked = System.getProperty(PROPERTY);
            if (asked != null && !asked.isBlank()) {
                return named(asked);
            }
            return SodiumCurve25519.load().orElse(BouncyCastleCurve25519.INSTANCE);
        }
    }
}
