package org.fedmed.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A certificate and the private key that goes with it: what one participant (the CA, the server or a site)
 * proves its identity with.
 *
 * @param certificate the X.509 certificate
 * @param privateKey  the matching private key; it never leaves the participant's kit
 */
public record Credential(X509Certificate certificate, PrivateKey privateKey) {

    public Credential {
        if (certificate == null || privateKey == null) {
            throw new IllegalArgumentException("a credential needs both a certificate and a private key");
        }
    }

    /** Hides the key: a credential printed in a log shows only whose it is. */
    @Override
    public String toString() {
        return "Credential[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
