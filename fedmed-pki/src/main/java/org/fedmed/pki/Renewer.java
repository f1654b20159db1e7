package org.fedmed.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Renews one participant's certificate (a site's, or the server's): a new key pair and a certificate with a new
 * validity, issued by the federation CA in {@code ca/}, written into that participant's kit in place of the old
 * key and certificate. No other kit changes. The old certificate is kept in {@code federation.yaml} as superseded
 * and stays valid until it expires or is revoked, so a site running on it keeps working until it is restarted
 * with the renewed kit; revoke it then ({@code revokeOld}, or {@link Revoker#revokeSerial}). The old key is
 * deleted with the old kit folder.
 *
 * <p>Guarantees: the renewed kit is built in a scratch folder beside the kit (every other file copied with its
 * permissions) and swapped in by two atomic renames, so the kit folder holds the old key and certificate or the
 * new ones, never one of each; the new key is owner-only. The manifest (and the CRL, when the old certificate is
 * revoked) is replaced only after the kit. The directory is locked while it runs.
 */
public final class Renewer {

    private final Clock clock;
    private final SecureRandom random;

    /** A renewer on the system clock and a fresh {@link SecureRandom}. */
    public Renewer() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    /** A renewer whose certificates start at {@code clock}'s now, with keys and serials from {@code random}. */
    public Renewer(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * Renews {@code holder}'s certificate in the federation in {@code directory}.
     *
     * @param validity  how long the new certificate is valid; null: the federation's default (recorded at
     *                  provisioning), or the old certificate's length in manifests that lack it; cut to end no
     *                  later than the CA
     * @param revokeOld also revoke the certificate replaced, re-signing the CRL
     * @throws ProvisioningException if the site is unknown or revoked, its kit is not in the directory, the
     *                               directory is not a federation, or its CA is missing
     */
    public Renewal renew(Path directory, Participant holder, Duration validity, boolean revokeOld) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try (FederationDirectory fed = FederationDirectory.open(directory, "renew", random)) {
            FederationManifest manifest = fed.manifest();
            KitLayout layout = fed.layout();
            CertificateSummary old = switch (holder.role()) {
                case SERVER -> manifest.serverCertificate();
                case SITE -> manifest.site(holder.name()).orElseThrow(() -> new ProvisioningException("federation '"
                        + manifest.federation() + "' has no site '" + holder.name() + "'; its sites are "
                        + String.join(", ", manifest.siteNames()) + ". Add a new site with 'fedmed provision add-site'"))
                        .certificate();
            };
            Path kit = holder.role() == Participant.Role.SERVER ? layout.serverKit() : layout.siteKit(holder.name());
            KitFiles files = kitFiles(kit, holder);
            Validity asked = fed.validity(validity, FederationDirectory.lengthOf(old), now);
            Credential renewed = switch (holder.role()) {
                case SERVER -> {
                    ServerAddress address = ServerAddress.parse(manifest.server());
                    yield fed.ca().issueServer(address, namesLoopback(kit.resolve(files.certificate()), address),
                            asked);
                }
                case SITE -> fed.ca().issueSite(holder.name(), asked);
            };
            FederationManifest updated = manifest.withRenewed(holder, CertificateSummary.of(renewed.certificate()), now);
            if (revokeOld) {
                updated = updated.withRevokedSerial(old.serialNumber(), now);
            }
            swapIn(fed, kit, files, renewed);
            Optional<Revocation> revocation = Optional.empty();
            if (revokeOld) {
                revocation = Optional.of(Revoker.publish(fed, updated, holder, now));
            } else {
                fed.writeManifest(updated);
            }
            X509Certificate cert = renewed.certificate();
            return new Renewal(manifest.federation(), holder, old.serialNumber(), cert.getSerialNumber(),
                    new Validity(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()), fed.cutByCa(asked),
                    kit, layout.manifest(), revocation);
        }
    }

    /** Where a kit keeps its certificate and key, relative to the kit, as its config file names them. */
    private record KitFiles(Path certificate, Path privateKey) {
    }

    private static KitFiles kitFiles(Path kit, Participant holder) {
        return switch (holder.role()) {
            case SERVER -> {
                Path file = ServerKit.requireKit(kit, KitLayout.SERVER_CONFIG, "server");
                ServerKit.Config c = KitYaml.read(file, ServerKit.Config.class);
                yield new KitFiles(relative(c.certificate(), "certificate", file),
                        relative(c.privateKey(), "private_key", file));
            }
            case SITE -> {
                Path file = ServerKit.requireKit(kit, KitLayout.SITE_CONFIG, "site");
                SiteKit.Config c = KitYaml.read(file, SiteKit.Config.class);
                yield new KitFiles(relative(c.certificate(), "certificate", file),
                        relative(c.privateKey(), "private_key", file));
            }
        };
    }

    private static Path relative(String value, String key, Path configFile) {
        Path p = Path.of(KitYaml.required(value, key, configFile)).normalize();
        if (p.isAbsolute() || p.startsWith("..")) {
            throw new ProvisioningException(configFile + ": key '" + key + "' names " + value + ", outside the kit;"
                    + " renew writes the new file into the kit, so it must name a file inside it");
        }
        return p;
    }

    /** Whether the server certificate being replaced names localhost (so the new one does too). */
    private static boolean namesLoopback(Path oldCertificate, ServerAddress address) {
        if (address.isLoopback() || !Files.isRegularFile(oldCertificate)) {
            return address.isLoopback();
        }
        try {
            var names = Pem.readCertificate(oldCertificate).getSubjectAlternativeNames();
            return names != null && names.stream().anyMatch(n -> List.of(2, "localhost").equals(n));
        } catch (CertificateParsingException e) {
            throw new ProvisioningException(oldCertificate + ": unreadable subject alternative names: "
                    + e.getMessage(), e);
        }
    }

    /** Builds the renewed kit beside {@code kit} and swaps it in. */
    private static void swapIn(FederationDirectory fed, Path kit, KitFiles files, Credential renewed) {
        String name = kit.getFileName().toString();
        Path scratch = kit.resolveSibling("." + name + ".renew-" + fed.nonce());
        try {
            Files.createDirectory(scratch);
            if (SecureFiles.supportsPosix(kit)) {
                Files.setPosixFilePermissions(scratch, Files.getPosixFilePermissions(kit));
            }
            SecureFiles.copyTree(kit, scratch, Set.of(files.certificate(), files.privateKey()));
            Pem.write(scratch.resolve(files.certificate().toString()), renewed.certificate());
            Pem.writePrivateKey(scratch.resolve(files.privateKey().toString()), renewed.privateKey());
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("cannot build the renewed kit beside " + kit
                    + ": " + e.getMessage(), e);
            SecureFiles.deleteAfterFailure(scratch, failure);
            throw failure;
        } catch (RuntimeException e) {
            SecureFiles.deleteAfterFailure(scratch, e);
            throw e;
        }
        SecureFiles.installDirectory(scratch, kit, true, "." + name + ".replaced-" + fed.nonce());
    }
}
