package org.fedmed.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Revokes certificates of a provisioned federation: a site by name (every certificate it still holds: its
 * current one and any that a renewal superseded), or any one certificate by serial. It adds the serials to the
 * CRL, re-signs the CRL with the CA key from {@code ca/}, and records the revocation in {@code federation.yaml}; a
 * site revoked by name also leaves the server kit's {@code sites.txt}, since it can never be admitted again. Each
 * file is replaced by atomic rename, the CRL first, so a reader sees either the old or the new version; the
 * directory is locked for the duration, so revocations and other certificate operations never interleave.
 */
public final class Revoker {

    private final Clock clock;
    private final SecureRandom random;

    /** A revoker on the system clock. */
    public Revoker() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    /** A revoker that dates revocations by {@code clock}. */
    public Revoker(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * Revokes {@code site} in the federation provisioned in {@code directory}: its current certificate and every
     * superseded one not yet revoked.
     *
     * @throws ProvisioningException if the directory is not a provisioned federation, the site is unknown or
     *                               already revoked, or the CA in {@code ca/} is missing or not the manifest's CA
     */
    public Revocation revoke(Path directory, String site) {
        Names.requireSiteName(site);
        Instant now = now();
        try (FederationDirectory fed = FederationDirectory.open(directory, "revoke", random)) {
            Revocation r = publish(fed, fed.manifest().withRevoked(site, now), Participant.site(site), now);
            // a site revoked by name can never be admitted again (its name is not reissued), so it leaves the list
            // the server counts and waits for; the CRL, written first, already refuses it
            Path sitesList = fed.layout().serverSitesList();
            return ServerKit.removeFromSitesList(sitesList, site) ? r.delisted(sitesList) : r;
        }
    }

    /**
     * Revokes the one certificate with serial number {@code serial}: a site's current or superseded certificate,
     * or a superseded server certificate.
     *
     * @throws ProvisioningException if the federation issued no such certificate to a participant, it is already
     *                               revoked, or it is the server's current certificate
     */
    public Revocation revokeSerial(Path directory, BigInteger serial) {
        Instant now = now();
        try (FederationDirectory fed = FederationDirectory.open(directory, "revoke", random)) {
            FederationManifest updated = fed.manifest().withRevokedSerial(serial, now);
            return publish(fed, updated, updated.issued(serial).orElseThrow().holder(), now);
        }
    }

    /** Writes the CRL, then the manifest, of {@code updated}; the serials it revokes beyond the current manifest. */
    static Revocation publish(FederationDirectory fed, FederationManifest updated, Participant holder, Instant now) {
        Set<BigInteger> before = fed.manifest().revocations().stream().map(RevokedCertificate::serial)
                .collect(Collectors.toSet());
        List<BigInteger> revoked = updated.issued().stream().filter(FederationManifest.Issued::revoked)
                .map(FederationManifest.Issued::serial).filter(s -> !before.contains(s)).toList();
        fed.writeCrl(updated, now);
        fed.writeManifest(updated);
        return new Revocation(updated.federation(), holder, revoked, now, updated.crlNumber(),
                fed.layout().serverCrl(), fed.layout().manifest(), null);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
