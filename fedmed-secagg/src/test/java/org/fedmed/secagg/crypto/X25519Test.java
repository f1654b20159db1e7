package org.fedmed.secagg.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.fedmed.secagg.RandomnessSource;
import org.junit.jupiter.api.Test;

/** X25519 against RFC 7748's test vectors, and the raw-key round trips secure aggregation relies on. */
class X25519Test {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void scalarMultiplicationMatchesRfc7748Section52() {
        assertArrayEquals(hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"), X25519.agree(
                hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")));
        // this u-coordinate has its top bit set, which RFC 7748 decoding ignores
        assertArrayEquals(hex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"), X25519.agree(
                hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")));
    }

    @Test
    void diffieHellmanMatchesRfc7748Section61() {
        byte[] alice = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bob = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePublic = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        byte[] bobPublic = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assertArrayEquals(alicePublic, X25519.publicKeyOf(alice));
        assertArrayEquals(bobPublic, X25519.publicKeyOf(bob));
        byte[] shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertArrayEquals(shared, X25519.agree(alice, bobPublic));
        assertArrayEquals(shared, X25519.agree(X25519.privateKey(bob), alicePublic));
    }

    @Test
    void keysOfTheWrongLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> X25519.agree(new byte[31], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> X25519.agree(new byte[32], new byte[33]));
    }

    final SecureRandom random = RandomnessSource.seededForSimulation(5).forClient(2);

    @Test
    void bothSidesAgreeOnTheSameSecretAndRawKeysRoundTrip() {
        KeyPair a = X25519.generate(random);
        KeyPair b = X25519.generate(random);
        byte[] ab = X25519.agree(a.getPrivate(), X25519.publicKeyBytes(b.getPublic()));
        byte[] ba = X25519.agree(b.getPrivate(), X25519.publicKeyBytes(a.getPublic()));
        assertArrayEquals(ab, ba);
        byte[] rebuilt = X25519.agree(X25519.privateKey(X25519.privateKeyBytes(a.getPrivate())),
                X25519.publicKeyBytes(b.getPublic()));
        assertArrayEquals(ab, rebuilt);
    }

    @Test
    void publicKeyIsDerivedFromTheRawPrivateScalar() {
        KeyPair a = X25519.generate(random);
        assertArrayEquals(X25519.publicKeyBytes(a.getPublic()), X25519.publicKeyOf(X25519.privateKeyBytes(a.getPrivate())));
    }

    @Test
    void lowOrderPublicKeyIsRejected() {
        KeyPair a = X25519.generate(random);
        byte[] zero = new byte[32];
        assertThrows(IllegalArgumentException.class, () -> X25519.agree(a.getPrivate(), zero));
    }
}
