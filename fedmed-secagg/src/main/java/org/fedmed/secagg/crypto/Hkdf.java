package org.fedmed.secagg.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;

/** HKDF-SHA256 (RFC 5869) through the JDK's key derivation API: extract from a shared secret, expand per purpose. */
public final class Hkdf {

    private Hkdf() {
    }

    /**
     * Derives {@code length} bytes from input keying material.
     *
     * @param ikm  the secret input, e.g. an X25519 shared secret
     * @param salt a public, session-specific value
     * @param info what the output is for; different purposes get independent keys
     */
    public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        try {
            return KDF.getInstance("HKDF-SHA256").deriveData(
                    HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(salt).thenExpand(info, length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 derivation failed: " + e.getMessage(), e);
        }
    }
}
