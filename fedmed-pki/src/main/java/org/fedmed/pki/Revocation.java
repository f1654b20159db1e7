package org.fedmed.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What revoking a site did: which certificate went on the revocation list, and which files now carry it.
 * The server picks the revocation up once its kit holds the new {@code crl} (copy it there if the server
 * runs on another machine) and its authorization is reloaded.
 *
 * @param federation the federation
 * @param site       the revoked site
 * @param serial     the serial number of the revoked certificate
 * @param revokedAt  when it was revoked
 * @param crlNumber  the number of the new CRL
 * @param crl        the re-signed CRL in the server kit
 * @param manifest   the updated manifest
 */
public record Revocation(String federation, String site, BigInteger serial, Instant revokedAt, long crlNumber,
                         Path crl, Path manifest) {
}
