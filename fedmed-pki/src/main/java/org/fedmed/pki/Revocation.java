package org.fedmed.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a revocation did: which certificates went on the revocation list, and which files now carry it. The
 * server picks the revocation up once its kit holds the new {@code crl} (copy it there if the server runs on
 * another machine) and it re-reads the CRL, every {@code crl_reload_seconds}.
 *
 * @param federation the federation
 * @param holder     whose certificates were revoked
 * @param serials    the serial numbers revoked now, at least one; for a site revoked by name its current
 *                   certificate first, then any superseded one that was still valid
 * @param revokedAt  when they were revoked
 * @param crlNumber  the number of the new CRL
 * @param crl        the re-signed CRL in the server kit
 * @param manifest   the updated manifest
 * @param sitesList  the server kit's sites list when the revocation took the site off it (a site revoked by
 *                   name); null when the list did not change
 */
public record Revocation(String federation, Participant holder, List<BigInteger> serials, Instant revokedAt,
                         long crlNumber, Path crl, Path manifest, Path sitesList) {

    public Revocation {
        serials = List.copyOf(serials);
        if (serials.isEmpty()) {
            throw new IllegalArgumentException("a revocation of " + holder + " revokes at least one serial");
        }
    }

    /** This revocation, having also taken its site off {@code list}. */
    Revocation delisted(Path list) {
        return new Revocation(federation, holder, serials, revokedAt, crlNumber, crl, manifest, list);
    }

    /** The first serial revoked: for a site revoked by name, its current certificate's. */
    public BigInteger serial() {
        return serials.getFirst();
    }
}
