package org.fedmed.secagg.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;
import java.util.HexFormat;
import org.fedmed.secagg.RandomnessSource;
import org.junit.jupiter.api.Test;

/**
 * X25519 against RFC 7748's test vectors and against the JDK's own XDH provider (an independent implementation), and the
 * raw-key round trips secure aggregation relies on.
 */
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
        assertArrayEquals(shared, X25519.agree(bob, alicePublic));
    }

    @Test
    void keysOfTheWrongLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> X25519.agree(new byte[31], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> X25519.agree(new byte[32], new byte[33]));
    }

    final SecureRandom random = RandomnessSource.seededForSimulation(5).forClient(2);

    @Test
    void bothSidesAgreeOnTheSameSecret() {
        X25519.KeyPair a = X25519.generate(random);
        X25519.KeyPair b = X25519.generate(random);
        assertArrayEquals(X25519.agree(a.secret(), b.publicKey()), X25519.agree(b.secret(), a.publicKey()));
        assertFalse(java.util.Arrays.equals(a.publicKey(), b.publicKey()));
    }

    @Test
    void generatedKeysAreTheJdkGeneratorsKeysFromTheSameSeededSource() throws Exception {
        SecureRandom ours = RandomnessSource.seededForSimulation(11).forClient(3);
        SecureRandom jdks = RandomnessSource.seededForSimulation(11).forClient(3);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
        generator.initialize(NamedParameterSpec.X25519, jdks);
        for (int i = 0; i < 4; i++) {
            X25519.KeyPair mine = X25519.generate(ours);
            java.security.KeyPair theirs = generator.generateKeyPair();
            assertArrayEquals(((XECPrivateKey) theirs.getPrivate()).getScalar().orElseThrow(), mine.secret());
            assertArrayEquals(littleEndian(((XECPublicKey) theirs.getPublic()).getU()), mine.publicKey());
        }
    }

    @Test
    void agreementMatchesTheJdkXdhProviderOnRandomKeys() throws Exception {
        KeyFactory factory = KeyFactory.getInstance("X25519");
        for (int i = 0; i < 16; i++) {
            X25519.KeyPair a = X25519.generate(random);
            X25519.KeyPair b = X25519.generate(random);
            KeyAgreement jdk = KeyAgreement.getInstance("X25519");
            jdk.init(factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, a.secret())));
            jdk.doPhase(factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                    new BigInteger(1, reversed(b.publicKey())))), true);
            assertArrayEquals(jdk.generateSecret(), X25519.agree(a.secret(), b.publicKey()));
        }
    }

    @Test
    void aKeyPairPrintsNoSecretAndDestroyingItZeroesTheSecretOnly() {
        X25519.KeyPair a = X25519.generate(random);
        assertFalse(a.toString().contains(java.util.HexFormat.of().formatHex(a.secret())));
        assertTrue(a.toString().contains(java.util.HexFormat.of().formatHex(a.publicKey())));
        byte[] pub = a.publicKey().clone();
        a.destroy();
        assertArrayEquals(new byte[X25519.KEY_BYTES], a.secret());
        assertArrayEquals(pub, a.publicKey());
    }

    @Test
    void lowOrderPublicKeyIsRejected() {
        X25519.KeyPair a = X25519.generate(random);
        byte[] zero = new byte[32];
        assertThrows(IllegalArgumentException.class, () -> X25519.agree(a.secret(), zero));
    }

    private static byte[] reversed(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[b.length - 1 - i];
        }
        return out;
    }

    private static byte[] littleEndian(BigInteger u) {
        byte[] big = u.toByteArray();
        byte[] out = new byte[X25519.KEY_BYTES];
        for (int i = 0; i < big.length && i < X25519.KEY_BYTES; i++) {
            out[i] = big[big.length - 1 - i];
        }
        return out;
    }
}
