package org.fedmed.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What renewing a participant's certificate did. The old certificate stays valid until it expires or is revoked
 * ({@code revocation} is present when the renewal revoked it too). A process picks up its renewed kit when it is
 * restarted.
 *
 * @param federation the federation
 * @param holder     whose certificate was renewed
 * @param oldSerial  the serial of the certificate replaced, now superseded
 * @param newSerial  the serial of the new certificate
 * @param validity   the new certificate's validity
 * @param cutByCa    whether the validity asked for was cut short to end with the CA's
 * @param kit        the kit that now holds the new key and certificate
 * @param manifest   the updated manifest
 * @param revocation the revocation of the old certificate, if the renewal asked for it
 */
public record Renewal(String federation, Participant holder, BigInteger oldSerial, BigInteger newSerial,
                      Validity validity, boolean cutByCa, Path kit, Path manifest, Optional<Revocation> revocation) {
}
