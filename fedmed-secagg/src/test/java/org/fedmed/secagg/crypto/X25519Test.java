package org.fedmed.secagg.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.security.KeyPair;
import java.security.SecureRandom;
import org.fedmed.secagg.RandomnessSource;
import org.junit.jupiter.api.Test;

class X25519Test {

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
