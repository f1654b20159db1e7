package org.fedmed.pki;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where every certificate of a provisioned federation stands at one instant: for the server and each site, the
 * current certificate and every superseded one, with its serial, validity, days left, whether the server's CRL
 * revokes it and whether the site is on the server's sites list; and warnings an operator should act on
 * (certificates expiring within the warning window or expired, superseded certificates still valid, a kit or
 * CRL that disagrees with the manifest). Reading it changes nothing and needs no CA key.
 *
 * <p>Revocation is read from the server kit's {@code crl.pem} and membership from its {@code sites.txt}: what the
 * server enforces, not only what {@code federation.yaml} records.
 *
 * @param federation   the federation
 * @param server       the server address
 * @param at           the instant the status describes
 * @param ca           the CA certificate's validity
 * @param crlNumber    the number of the CRL in the server kit
 * @param certificates every certificate issued to a participant: the server's, then each site's in the order
 *                     they joined; current before superseded
 * @param warnings     what needs the operator's attention, one sentence each; empty when nothing does
 */
public record FederationStatus(String federation, String server, Instant at, Validity ca, long crlNumber,
                               List<Entry> certificates, List<String> warnings) {

    /** How close to its expiry a certificate is reported as expiring, unless asked otherwise. */
    public static final Duration DEFAULT_WARN_WITHIN = Duration.ofDays(30);

    /** Where a certificate stands; the first that applies, in this order. */
    public enum State {
        /** On the server's CRL. */
        REVOKED,
        /** Past its not-after instant. */
        EXPIRED,
        /** Before its not-before instant (check the clocks). */
        NOT_YET_VALID,
        /** Valid, but expiring within the warning window. */
        EXPIRING,
        /** Valid. */
        VALID
    }

    /** Whether the server's sites list admits a certificate's holder. */
    public enum Membership {
        /** A site listed in {@code sites.txt}. */
        MEMBER,
        /** A site not listed there: the server refuses it. */
        NOT_LISTED,
        /** The server, which is no member of its own list. */
        NOT_APPLICABLE
    }

    /**
     * One certificate.
     *
     * @param holder     who holds it
     * @param current    whether it is the holder's current certificate (else superseded by a renewal)
     * @param serial     its serial number
     * @param validity   its validity
     * @param daysLeft   whole days until it expires; negative once it has
     * @param revokedAt  when the server's CRL says it was revoked, if it does
     * @param membership whether its holder is on the server's sites list
     * @param state      where it stands
     */
    public record Entry(Participant holder, boolean current, BigInteger serial, Validity validity, long daysLeft,
                        Optional<Instant> revokedAt, Membership membership, State state) {
    }

    public FederationStatus {
        certificates = List.copyOf(certificates);
        warnings = List.copyOf(warnings);
    }

    /**
     * The status of the federation in {@code directory} at {@code clock}'s now.
     *
     * @param warnWithin certificates expiring sooner than this are {@link State#EXPIRING} and warned about
     * @throws ProvisioningException if the directory is not a provisioned federation, or its CA certificate,
     *                               CRL or sites list is missing or unreadable
     */
    public static FederationStatus read(Path directory, Clock clock, Duration warnWithin) {
        KitLayout layout = new KitLayout(directory.toAbsolutePath().normalize());
        if (!Files.isRegularFile(layout.manifest())) {
            throw new ProvisioningException(layout.root() + " is not a federation directory: it holds no "
                    + KitLayout.MANIFEST + "; pass --kit the directory that 'fedmed provision --out' wrote");
        }
        FederationManifest manifest = FederationManifest.read(layout.manifest());
        Path caFile = layout.caDirectory().resolve(KitLayout.CA_CERTIFICATE);
        X509Certificate ca = Pem.readCertificate(Files.isRegularFile(caFile) ? caFile
                : layout.serverKit().resolve(KitLayout.CA_CERTIFICATE));
        RevocationList crl = RevocationList.load(layout.serverCrl(), ca);
        List<String> listed = ServerKit.readSites(layout.serverSitesList());
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>();
        String dir = layout.root().toString();

        Validity caValidity = new Validity(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant());
        if (now.isAfter(caValidity.notAfter())) {
            warnings.add("the federation CA expired at " + caValidity.notAfter() + ": no certificate of this"
                    + " federation is accepted any more; provision a new federation");
        } else if (now.plus(warnWithin).isAfter(caValidity.notAfter())) {
            warnings.add("the federation CA expires in " + Duration.between(now, caValidity.notAfter()).toDays()
                    + " days (" + caValidity.notAfter() + "); every certificate ends with it: provision a new"
                    + " federation before then");
        }

        List<Entry> entries = new ArrayList<>();
        for (FederationManifest.Issued issued : manifest.issued()) {
            Validity v = issued.certificate().validity();
            Optional<Instant> revokedAt = crl.revokedAt(issued.serial());
            Membership membership = switch (issued.holder().role()) {
                case SERVER -> Membership.NOT_APPLICABLE;
                case SITE -> listed.contains(issued.holder().name()) ? Membership.MEMBER : Membership.NOT_LISTED;
            };
            State state = revokedAt.isPresent() ? State.REVOKED
                    : now.isAfter(v.notAfter()) ? State.EXPIRED
                    : now.isBefore(v.notBefore()) ? State.NOT_YET_VALID
                    : now.plus(warnWithin).isAfter(v.notAfter()) ? State.EXPIRING
                    : State.VALID;
            long daysLeft = Duration.between(now, v.notAfter()).toDays();
            entries.add(new Entry(issued.holder(), issued.current(), issued.serial(), v, daysLeft, revokedAt,
                    membership, state));
            warnings.addAll(warningsFor(issued, state, daysLeft, v, membership, dir));
            if (issued.revoked() && revokedAt.isEmpty()) {
                warnings.add(issued.holder() + ": " + KitLayout.MANIFEST + " records certificate "
                        + hex(issued.serial()) + " as revoked, but " + layout.serverCrl() + " does not list it, so the"
                        + " server admits it; revoke it again or restore the CRL");
            }
        }
        Set<BigInteger> known = new HashSet<>();
        manifest.issued().forEach(i -> known.add(i.serial()));
        for (BigInteger serial : crl.revokedSerials()) {
            if (!known.contains(serial)) {
                warnings.add(layout.serverCrl() + " revokes serial " + hex(serial) + ", which " + KitLayout.MANIFEST
                        + " does not record");
            }
        }
        for (String site : listed) {
            if (manifest.site(site).isEmpty()) {
                warnings.add(layout.serverSitesList() + " lists site '" + site + "', which has no certificate in "
                        + KitLayout.MANIFEST + "; add sites with 'fedmed provision add-site'");
            }
        }
        warnings.addAll(kitWarnings(layout, manifest));
        return new FederationStatus(manifest.federation(), manifest.server(), now, caValidity, crl.number(), entries,
                warnings);
    }

    private static List<String> warningsFor(FederationManifest.Issued issued, State state, long daysLeft, Validity v,
                                            Membership membership, String dir) {
        String who = issued.holder().toString();
        String renew = "fedmed provision renew --kit " + dir + switch (issued.holder().role()) {
            case SERVER -> " --server";
            case SITE -> " --site " + issued.holder().name();
        };
        List<String> w = new ArrayList<>();
        if (issued.current()) {
            switch (state) {
                case EXPIRED -> w.add(who + ": certificate " + hex(issued.serial()) + " expired at " + v.notAfter()
                        + "; renew it: " + renew);
                case EXPIRING -> w.add(who + ": certificate " + hex(issued.serial()) + " expires in " + daysLeft
                        + " days (" + v.notAfter() + "); renew it: " + renew);
                case NOT_YET_VALID -> w.add(who + ": certificate " + hex(issued.serial()) + " is not valid before "
                        + v.notBefore() + "; check this machine's clock");
                case REVOKED, VALID -> {
                }
            }
            // a site the manifest records as revoked left the list on purpose (a CRL that lost it is warned about)
            if (membership == Membership.NOT_LISTED && state != State.REVOKED && !issued.revoked()) {
                w.add(who + " is not on the server's sites list, so the server refuses it; add the line '"
                        + issued.holder().name() + "' to its sites.txt to admit it");
            }
        } else if ((state == State.VALID || state == State.EXPIRING)
                && issued.holder().role() == Participant.Role.SITE) {
            // a superseded server certificate is not warned about: sites never check the server against the CRL,
            // so revoking it would change nothing, and renew deleted its key
            w.add(who + ": superseded certificate " + hex(issued.serial()) + " is still valid until " + v.notAfter()
                    + "; once the holder runs with its renewed kit, revoke it: fedmed provision revoke --kit " + dir
                    + " --serial " + hex(issued.serial()));
        }
        return w;
    }

    /** Kits in the directory whose certificate is not the one the manifest records as current. */
    private static List<String> kitWarnings(KitLayout layout, FederationManifest manifest) {
        List<String> w = new ArrayList<>();
        kitCertificate(layout.serverKit(), true, w).ifPresent(cert -> {
            if (!cert.getSerialNumber().equals(manifest.serverCertificate().serialNumber())) {
                w.add(mismatch(layout.serverKit(), cert, manifest.serverCertificate()));
            }
        });
        for (FederationManifest.Site site : manifest.sites()) {
            Path kit = layout.siteKit(site.name());
            kitCertificate(kit, false, w).ifPresent(cert -> {
                if (!cert.getSerialNumber().equals(site.serial())) {
                    w.add(mismatch(kit, cert, site.certificate()));
                }
            });
        }
        return w;
    }

    private static Optional<X509Certificate> kitCertificate(Path kit, boolean server, List<String> warnings) {
        if (!Files.isDirectory(kit)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pem.readCertificate(server ? ServerKit.load(kit).certificate()
                    : SiteKit.load(kit).certificate()));
        } catch (ProvisioningException e) {
            warnings.add("the kit " + kit + " is unusable: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String mismatch(Path kit, X509Certificate inKit, CertificateSummary recorded) {
        return "the kit " + kit + " holds certificate " + hex(inKit.getSerialNumber()) + ", but " + KitLayout.MANIFEST
                + " records " + recorded.serial() + " as current; the kit was changed by hand or a renewal did not"
                + " finish";
    }

    private static String hex(BigInteger serial) {
        return serial.toString(16);
    }
}
