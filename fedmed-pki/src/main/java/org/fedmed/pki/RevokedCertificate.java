package org.fedmed.pki;

import java.math.BigInteger;
import java.time.Instant;

/**
 * One entry of a revocation list: the serial number of a certificate the CA no longer vouches for, and when
 * it was revoked.
 *
 * @param serial    the revoked certificate's serial number; positive
 * @param revokedAt when it was revoked
 */
public record RevokedCertificate(BigInteger serial, Instant revokedAt) {

    public RevokedCertificate {
        if (serial == null || serial.signum() <= 0) {
            throw new IllegalArgumentException("revoked serial must be positive, got " + serial);
        }
        if (revokedAt == null) {
            throw new IllegalArgumentException("revokedAt is missing for serial " + serial.toString(16));
        }
    }
}
