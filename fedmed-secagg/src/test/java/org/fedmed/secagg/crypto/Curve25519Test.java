package org.fedmed.secagg.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both Curve25519 implementations against RFC 7748's vectors and against each other on random inputs, their handling
 * of low-order points, and the choice between them. libsodium is required here, as chromium is for the browser tests:
 * a machine without it would otherwise leave the native path untested. {@code .ci/run} installs it.
 */
class Curve25519Test {

    private static final HexFormat HEX = HexFormat.of();

    private static Curve25519 sodium() {
        return SodiumCurve25519.load().orElseThrow(() -> new AssertionError(
                "libsodium is needed for this test (Debian: apt-get install libsodium23): "
                        + SodiumCurve25519.unavailableReason()));
    }

    private static List<Curve25519> both() {
        return List.of(sodium(), BouncyCastleCurve25519.INSTANCE);
    }

    @Test
    void bothImplementationsReproduceRfc7748Vectors() {
        for (Curve25519 curve : both()) {
            byte[] out = new byte[32];
            curve.multiplyBase(HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"), out);
            assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", HEX.formatHex(out),
                    curve.name());
            // section 5.2's second vector: the u-coordinate's top bit is set and must be ignored
            assertTrue(curve.multiply(HEX.parseHex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                    HEX.parseHex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"), out));
            assertEquals("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957", HEX.formatHex(out),
                    curve.name());
        }
    }

    @Test
    void libsodiumAndBouncyCastleAgreeOnRandomScalarsAndPoints() {
        Curve25519 sodium = sodium();
        SplittableRandom random = new SplittableRandom(7748);
        byte[] scalar = new byte[32];
        byte[] u = new byte[32];
        byte[] fromSodium = new byte[32];
        byte[] fromBc = new byte[32];
        for (int i = 0; i < 200; i++) {
            random.nextBytes(scalar);
            random.nextBytes(u);
            sodium.multiplyBase(scalar, fromSodium);
            BouncyCastleCurve25519.INSTANCE.multiplyBase(scalar, fromBc);
            assertArrayEquals(fromBc, fromSodium, "public key of scalar " + i);
            boolean okSodium = sodium.multiply(scalar, u, fromSodium);
            boolean okBc = BouncyCastleCurve25519.INSTANCE.multiply(scalar, u, fromBc);
            assertEquals(okBc, okSodium, "point " + i);
            assertArrayEquals(fromBc, fromSodium, "shared secret " + i);
        }
    }

    @Test
    void lowOrderPointsAreRefusedByBoth() {
        byte[] scalar = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        for (Curve25519 curve : both()) {
            assertFalse(curve.multiply(scalar, zero, new byte[32]), curve.name() + " on u = 0");
            assertFalse(curve.multiply(scalar, one, new byte[32]), curve.name() + " on u = 1");
        }
    }

    @Test
    void libsodiumRefusesArraysThatAreNot32BytesRatherThanReadPastThem() {
        Curve25519 sodium = sodium();
        assertThrows(IllegalArgumentException.class, () -> sodium.multiply(new byte[31], new byte[32], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> sodium.multiply(new byte[32], new byte[16], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> sodium.multiply(new byte[32], new byte[32], new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> sodium.multiplyBase(new byte[32], new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> sodium.multiplyBase(null, new byte[32]));
    }

    @Test
    void implementationsAreChosenByNameAndAnUnknownNameIsRefusedNamingTheProperty() {
        assertEquals("bouncycastle", Curve25519.named(" BouncyCastle ").name());
        assertEquals("libsodium", Curve25519.named("libsodium").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Curve25519.named("openssl"));
        assertTrue(e.getMessage().contains(Curve25519.PROPERTY) && e.getMessage().contains("openssl"),
                e.getMessage());
    }

    @Test
    void whereLibsodiumLoadsItIsTheProcesssChoice() {
        sodium();
        assertEquals(System.getProperty(Curve25519.PROPERTY, "libsodium").trim().toLowerCase(),
                X25519.implementation());
    }
}
