package org.fedmed.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The record of a provisioned federation, kept as {@code federation.yaml} in its directory: the
 * federation's name and server address, the CA and server certificates, every site with its certificate
 * serial and fingerprint, which sites are revoked and when, and the number of the current CRL. It holds no
 * secret, so it may be shared with auditors. Instances are immutable; {@link #withRevoked} returns a copy.
 *
 * @param federation        the federation's name
 * @param server            the server address, {@code HOST:PORT}
 * @param createdAt         when the federation was provisioned (ISO-8601)
 * @param ca                the CA certificate
 * @param serverCertificate the server certificate
 * @param sites             every site, in provisioning order; names are unique
 * @param crlNumber         the number of the CRL now in the server kit; it goes up by one with each revocation
 */
public record FederationManifest(String federation, String server, String createdAt, CertificateSummary ca,
                                 CertificateSummary serverCertificate, List<Site> sites, long crlNumber) {

    /**
     * One site of the federation.
     *
     * @param name        the site name (the CN of its certificate)
     * @param certificate its certificate
     * @param revokedAt   when its certificate was revoked (ISO-8601); absent while it is valid
     */
    public record Site(String name, CertificateSummary certificate, String revokedAt) {

        public Site {
            Names.requireSiteName(name);
            if (certificate == null) {
                throw new ProvisioningException("site '" + name + "' has no certificate in the manifest");
            }
        }

        /** Whether this site's certificate has been revoked. */
        public boolean revoked() {
            return revokedAt != null;
        }

        /** The certificate serial number. */
        public BigInteger serial() {
            return new BigInteger(certificate.serial(), 16);
        }
    }

    public FederationManifest {
        Names.requireFederationName(federation);
        ServerAddress.parse(server);
        if (ca == null || serverCertificate == null) {
            throw new ProvisioningException("manifest of '" + federation + "' lacks the "
                    + (ca == null ? "ca" : "server_certificate") + " entry");
        }
        sites = List.copyOf(sites == null ? List.of() : sites);
        Set<String> seen = new HashSet<>();
        for (Site s : sites) {
            if (!seen.add(s.name())) {
                throw new ProvisioningException("manifest of '" + federation + "' lists site '" + s.name() + "' twice");
            }
        }
        if (crlNumber < 1) {
            throw new ProvisioningException("manifest of '" + federation + "': crl_number must be at least 1, got "
                    + crlNumber);
        }
    }

    /** Reads {@code federation.yaml}. */
    public static FederationManifest read(Path file) {
        return KitYaml.read(file, FederationManifest.class);
    }

    /** The manifest as YAML text. */
    public String toYaml() {
        return KitYaml.toYaml(this);
    }

    /** The site called {@code name}, if the federation has one. */
    public Optional<Site> site(String name) {
        return sites.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The names of every site, in provisioning order. */
    public List<String> siteNames() {
        return sites.stream().map(Site::name).toList();
    }

    /** The revoked certificates, for the CRL. */
    public List<RevokedCertificate> revocations() {
        return sites.stream().filter(Site::revoked)
                .map(s -> new RevokedCertificate(s.serial(), Instant.parse(s.revokedAt()))).toList();
    }

    /**
     * A copy in which {@code site} is revoked at {@code when} and the CRL number is one higher.
     *
     * @throws ProvisioningException if there is no such site, or it is already revoked
     */
    public FederationManifest withRevoked(String site, Instant when) {
        Site target = site(site).orElseThrow(() -> new ProvisioningException("federation '" + federation
                + "' has no site '" + site + "'; its sites are " + String.join(", ", siteNames())));
        if (target.revoked()) {
            throw new ProvisioningException("site '" + site + "' is already revoked (since " + target.revokedAt() + ")");
        }
        List<Site> updated = new ArrayList<>(sites.size());
        for (Site s : sites) {
            updated.add(s == target ? new Site(s.name(), s.certificate(), when.toString()) : s);
        }
        return new FederationManifest(federation, server, createdAt, ca, serverCertificate, updated, crlNumber + 1);
    }

    @Override
    public String toString() {
        return "FederationManifest[" + federation + " @ " + server + ", sites="
                + sites.stream().map(s -> s.name() + (s.revoked() ? " (revoked)" : "")).collect(Collectors.joining(", "))
                + "]";
    }
}
