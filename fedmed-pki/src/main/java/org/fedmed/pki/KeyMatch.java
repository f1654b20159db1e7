package org.fedmed.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Checks that a private key belongs to a public key (or certificate), by signing and verifying a probe. */
public final class KeyMatch {

    private static final byte[] PROBE = "fedmed key match probe".getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {
    }

    /** Whether a signature made with {@code privateKey} verifies under {@code publicKey}. */
    public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            Signature signer = Signature.getInstance(CertificateAuthority.SIGNATURE_ALGORITHM);
            signer.initSign(privateKey);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(CertificateAuthority.SIGNATURE_ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot compare a " + privateKey.getAlgorithm()
                    + " private key with its public key: " + e.getMessage(), e);
        }
    }
}
