package org.fedmed.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The record of a provisioned federation, kept as {@code federation.yaml} in its directory: the federation's
 * name and server address, the validity its certificates get, the CA and server certificates, every site with
 * its certificate serial and fingerprint, the certificates that renewals superseded, which certificates are
 * revoked and when, and the number of the current CRL. It holds no secret, so it may be shared with auditors.
 * Every certificate the CA issued to a participant is in it, current or superseded, so every one can be
 * revoked by serial. Instances are immutable; the {@code with...} methods return copies.
 *
 * @param federation          the federation's name
 * @param server              the server address, {@code HOST:PORT}
 * @param createdAt           when the federation was provisioned (ISO-8601)
 * @param certificateValidity how long server and site certificates are valid unless an operator asks otherwise
 *                            (ISO-8601 duration, {@code P365D}); absent in manifests written before it was recorded
 * @param ca                  the CA certificate
 * @param serverCertificate   the server's current certificate
 * @param serverSuperseded    the server's earlier certificates, oldest first
 * @param sites               every site, in the order it joined; names are unique
 * @param crlNumber           the number of the CRL now in the server kit; it goes up by one with each revocation
 */
public record FederationManifest(String federation, String server, String createdAt, String certificateValidity,
                                 CertificateSummary ca, CertificateSummary serverCertificate,
                                 List<Superseded> serverSuperseded, List<Site> sites, long crlNumber) {

    /**
     * A certificate a renewal replaced. It stays valid until it expires or is revoked: renewing does not revoke.
     *
     * @param certificate  the superseded certificate
     * @param supersededAt when the renewal replaced it (ISO-8601)
     * @param revokedAt    when it was revoked (ISO-8601); absent while it is not
     */
    public record Superseded(CertificateSummary certificate, String supersededAt, String revokedAt) {

        public Superseded {
            if (certificate == null || supersededAt == null) {
                throw new ProvisioningException("a superseded certificate needs 'certificate' and 'superseded_at'");
            }
        }

        /** Whether it has been revoked. */
        public boolean revoked() {
            return revokedAt != null;
        }

        /** Its serial number. */
        public BigInteger serial() {
            return certificate.serialNumber();
        }
    }

    /**
     * One site of the federation.
     *
     * @param name        the site name (the CN of its certificates)
     * @param certificate its current certificate
     * @param revokedAt   when its current certificate was revoked (ISO-8601); absent while it is valid
     * @param superseded  its earlier certificates, oldest first
     */
    public record Site(String name, CertificateSummary certificate, String revokedAt, List<Superseded> superseded) {

        public Site {
            Names.requireSiteName(name);
            if (certificate == null) {
                throw new ProvisioningException("site '" + name + "' has no certificate in the manifest");
            }
            superseded = List.copyOf(superseded == null ? List.of() : superseded);
        }

        /** A site with its first certificate. */
        public static Site issued(String name, CertificateSummary certificate) {
            return new Site(name, certificate, null, List.of());
        }

        /** Whether this site's current certificate has been revoked. */
        public boolean revoked() {
            return revokedAt != null;
        }

        /** The current certificate's serial number. */
        public BigInteger serial() {
            return certificate.serialNumber();
        }
    }

    /** One certificate the federation's CA issued: who holds it, whether it is the current one, its revocation. */
    public record Issued(Participant holder, CertificateSummary certificate, boolean current, String revokedAt) {

        /** Its serial number. */
        public BigInteger serial() {
            return certificate.serialNumber();
        }

        /** Whether it has been revoked. */
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    public FederationManifest {
        Names.requireFederationName(federation);
        ServerAddress.parse(server);
        if (ca == null || serverCertificate == null) {
            throw new ProvisioningException("manifest of '" + federation + "' lacks the "
                    + (ca == null ? "ca" : "server_certificate") + " entry");
        }
        if (certificateValidity != null) {
            parseValidity(federation, certificateValidity);
        }
        serverSuperseded = List.copyOf(serverSuperseded == null ? List.of() : serverSuperseded);
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

    /** The manifest of a newly provisioned federation: no superseded certificates, CRL number 1. */
    static FederationManifest provisioned(String federation, String server, Instant createdAt,
                                          Duration certificateValidity, CertificateSummary ca,
                                          CertificateSummary serverCertificate, List<Site> sites) {
        return new FederationManifest(federation, server, createdAt.toString(), formatValidity(certificateValidity),
                ca, serverCertificate, List.of(), sites, 1);
    }

    /** Reads {@code federation.yaml}. */
    public static FederationManifest read(Path file) {
        return KitYaml.read(file, FederationManifest.class);
    }

    /** The manifest as YAML text. */
    public String toYaml() {
        return KitYaml.toYaml(this);
    }

    /** The validity certificates get by default, if the manifest records it. */
    public Optional<Duration> defaultValidity() {
        return certificateValidity == null ? Optional.empty()
                : Optional.of(parseValidity(federation, certificateValidity));
    }

    /** The site called {@code name}, if the federation has one. */
    public Optional<Site> site(String name) {
        return sites.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The names of every site, in the order they joined. */
    public List<String> siteNames() {
        return sites.stream().map(Site::name).toList();
    }

    /** Every certificate issued to a participant: the server's, then each site's; current before superseded. */
    public List<Issued> issued() {
        List<Issued> all = new ArrayList<>();
        all.add(new Issued(Participant.server(), serverCertificate, true, null));
        serverSuperseded.forEach(s -> all.add(new Issued(Participant.server(), s.certificate(), false, s.revokedAt())));
        for (Site site : sites) {
            Participant holder = Participant.site(site.name());
            all.add(new Issued(holder, site.certificate(), true, site.revokedAt()));
            site.superseded().forEach(s -> all.add(new Issued(holder, s.certificate(), false, s.revokedAt())));
        }
        return all;
    }

    /** The certificate with serial number {@code serial}, if the CA issued it to a participant. */
    public Optional<Issued> issued(BigInteger serial) {
        return issued().stream().filter(i -> i.serial().equals(serial)).findFirst();
    }

    /** The revoked certificates, for the CRL. */
    public List<RevokedCertificate> revocations() {
        return issued().stream().filter(Issued::revoked)
                .map(i -> new RevokedCertificate(i.serial(), Instant.parse(i.revokedAt()))).toList();
    }

    /**
     * A copy in which every certificate of {@code site} not yet revoked (its current one and any superseded one)
     * is revoked at {@code when}, and the CRL number is one higher.
     *
     * @throws ProvisioningException if there is no such site, or its current certificate is already revoked
     */
    public FederationManifest withRevoked(String site, Instant when) {
        Site target = requireSite(site);
        if (target.revoked()) {
            throw new ProvisioningException("site '" + site + "' is already revoked (since " + target.revokedAt() + ")");
        }
        String at = when.toString();
        Site revoked = new Site(target.name(), target.certificate(), at, target.superseded().stream()
                .map(s -> s.revoked() ? s : new Superseded(s.certificate(), s.supersededAt(), at)).toList());
        return withSite(revoked, crlNumber + 1);
    }

    /**
     * A copy in which the certificate with serial {@code serial} is revoked at {@code when}, and the CRL number is
     * one higher.
     *
     * @throws ProvisioningException if the CA issued no such certificate to a participant, it is already revoked,
     *                               or it is the server's current certificate (renew the server instead)
     */
    public FederationManifest withRevokedSerial(BigInteger serial, Instant when) {
        Issued target = issued(serial).orElseThrow(() -> new ProvisioningException("federation '" + federation
                + "' issued no certificate with serial " + serial.toString(16) + "; 'fedmed provision status' lists"
                + " every serial"));
        if (target.revoked()) {
            throw new ProvisioningException("certificate " + serial.toString(16) + " of " + target.holder()
                    + " is already revoked (since " + target.revokedAt() + ")");
        }
        String at = when.toString();
        return switch (target.holder().role()) {
            case SERVER -> {
                if (target.current()) {
                    throw new ProvisioningException("certificate " + serial.toString(16) + " is the server's current"
                            + " certificate; renew the server ('fedmed provision renew --server'), then revoke the old"
                            + " one");
                }
                yield new FederationManifest(federation, server, createdAt, certificateValidity, ca, serverCertificate,
                        revokeIn(serverSuperseded, serial, at), sites, crlNumber + 1);
            }
            case SITE -> {
                Site s = requireSite(target.holder().name());
                Site revoked = target.current() ? new Site(s.name(), s.certificate(), at, s.superseded())
                        : new Site(s.name(), s.certificate(), s.revokedAt(), revokeIn(s.superseded(), serial, at));
                yield withSite(revoked, crlNumber + 1);
            }
        };
    }

    /**
     * A copy in which {@code holder}'s current certificate is {@code renewed}, the one it replaces being kept as
     * superseded at {@code when}, not revoked.
     *
     * @throws ProvisioningException if there is no such site, or its current certificate is revoked
     */
    public FederationManifest withRenewed(Participant holder, CertificateSummary renewed, Instant when) {
        String at = when.toString();
        return switch (holder.role()) {
            case SERVER -> new FederationManifest(federation, server, createdAt, certificateValidity, ca, renewed,
                    append(serverSuperseded, new Superseded(serverCertificate, at, null)), sites, crlNumber);
            case SITE -> {
                Site s = requireSite(holder.name());
                if (s.revoked()) {
                    throw new ProvisioningException("site '" + s.name() + "' is revoked (since " + s.revokedAt()
                            + "); renewing would let it back in. A revoked site stays revoked: to take it back, add"
                            + " it under a new name with 'fedmed provision add-site'");
                }
                yield withSite(new Site(s.name(), renewed, null, append(s.superseded(),
                        new Superseded(s.certificate(), at, null))), crlNumber);
            }
        };
    }

    /**
     * A copy with {@code site} added after the others.
     *
     * @throws ProvisioningException if a site of that name is already in the manifest
     */
    public FederationManifest withSiteAdded(Site site) {
        if (site(site.name()).isPresent()) {
            throw new ProvisioningException("federation '" + federation + "' already has a site '" + site.name()
                    + "'; choose another name, or renew its certificate with 'fedmed provision renew'");
        }
        return new FederationManifest(federation, server, createdAt, certificateValidity, ca, serverCertificate,
                serverSuperseded, append(sites, site), crlNumber);
    }

    private Site requireSite(String site) {
        return site(site).orElseThrow(() -> new ProvisioningException("federation '" + federation
                + "' has no site '" + site + "'; its sites are " + String.join(", ", siteNames())));
    }

    private FederationManifest withSite(Site replacement, long newCrlNumber) {
        List<Site> updated = sites.stream().map(s -> s.name().equals(replacement.name()) ? replacement : s).toList();
        return new FederationManifest(federation, server, createdAt, certificateValidity, ca, serverCertificate,
                serverSuperseded, updated, newCrlNumber);
    }

    private static List<Superseded> revokeIn(List<Superseded> list, BigInteger serial, String at) {
        return list.stream().map(s -> s.serial().equals(serial) ? new Superseded(s.certificate(), s.supersededAt(), at)
                : s).toList();
    }

    private static <T> List<T> append(List<T> list, T item) {
        return Stream.concat(list.stream(), Stream.of(item)).toList();
    }

    /** {@code P30D} for whole days, the ISO-8601 form otherwise. */
    static String formatValidity(Duration d) {
        return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    private static Duration parseValidity(String federation, String text) {
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new ProvisioningException("manifest of '" + federation + "': certificate_validity must be"
                        + " positive, got " + text);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ProvisioningException("manifest of '" + federation + "': certificate_validity must be an"
                    + " ISO-8601 duration such as P365D, got '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return "FederationManifest[" + federation + " @ " + server + ", sites="
                + sites.stream().map(s -> s.name() + (s.revoked() ? " (revoked)" : "")).collect(Collectors.joining(", "))
                + "]";
    }
}
