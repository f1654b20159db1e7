package org.fedmed.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds a site to a provisioned federation: issues its certificate with the federation CA in {@code ca/}, writes
 * its startup kit to {@code sites/NAME/}, records it in {@code federation.yaml} and appends it to the server
 * kit's {@code sites.txt}. No other file changes: the other sites' kits and the server's certificate, key, CRL
 * and config stay byte for byte as they were, so nothing needs to be copied anywhere but the new kit and
 * {@code sites.txt}.
 *
 * <p>Guarantees: the kit is built in a scratch folder and renamed into place, so it is complete or absent;
 * {@code federation.yaml} and then {@code sites.txt} are replaced by atomic rename, so a running server that
 * re-reads {@code sites.txt} sees the old list or the new one, and admits the site only once its kit and
 * manifest entry exist. The directory is locked while it runs.
 */
public final class Enroller {

    private final Clock clock;
    private final SecureRandom random;

    /** An enroller on the system clock and a fresh {@link SecureRandom}. */
    public Enroller() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    /** An enroller whose certificates start at {@code clock}'s now, with keys and serials from {@code random}. */
    public Enroller(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * Adds {@code site} to the federation in {@code directory}, its certificate valid for {@code validity}
     * (null: the federation's default, the one recorded at provisioning), cut to end no later than the CA.
     *
     * @throws ProvisioningException if the name is invalid or already taken (in the manifest, in {@code sites.txt}
     *                               or as a kit folder), the directory is not a federation, or its CA is missing
     */
    public Enrollment enroll(Path directory, String site, Duration validity) {
        Names.requireSiteName(site);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try (FederationDirectory fed = FederationDirectory.open(directory, "add-site", random)) {
            KitLayout layout = fed.layout();
            FederationManifest manifest = fed.manifest();
            if (manifest.site(site).isPresent()) {
                throw new ProvisioningException("federation '" + manifest.federation() + "' already has a site '"
                        + site + "' (" + layout.manifest() + "); choose another name, or renew its certificate with"
                        + " 'fedmed provision renew --site " + site + "'");
            }
            Path sitesList = layout.serverSitesList();
            if (ServerKit.readSites(sitesList).contains(site)) {
                throw new ProvisioningException(sitesList + " already lists site '" + site + "'; choose another name");
            }
            Path kit = layout.siteKit(site);
            if (Files.exists(kit)) {
                throw new ProvisioningException(kit + " already exists; choose another name, or move that folder away");
            }
            Validity asked = fed.validity(validity, FederationDirectory.lengthOf(manifest.serverCertificate()), now);
            Credential credential = fed.ca().issueSite(site, asked);

            List<Path> files = new ArrayList<>();
            writeKit(fed, kit, site, credential, files);
            FederationManifest updated = manifest.withSiteAdded(
                    FederationManifest.Site.issued(site, CertificateSummary.of(credential.certificate())));
            fed.writeManifest(updated);
            files.add(layout.root().relativize(layout.manifest()));
            ServerKit.addToSitesList(sitesList, site);
            files.add(layout.root().relativize(sitesList));
            return new Enrollment(manifest.federation(), site, credential.certificate().getSerialNumber(),
                    new Validity(credential.certificate().getNotBefore().toInstant(),
                            credential.certificate().getNotAfter().toInstant()),
                    fed.cutByCa(asked), kit, sitesList, layout.manifest(), files);
        }
    }

    /** Writes the kit in a scratch folder beside {@code kit}, then renames it to {@code kit}. */
    private static void writeKit(FederationDirectory fed, Path kit, String site, Credential credential,
                                 List<Path> files) {
        KitLayout layout = fed.layout();
        Path scratch = kit.resolveSibling("." + site + ".partial-" + fed.nonce());
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(kit.getParent());
            new KitWriter(scratch, written).siteKit(scratch, fed.manifest().federation(), site,
                    ServerAddress.parse(fed.manifest().server()), fed.ca().certificate(), credential);
            Files.move(scratch, kit, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("cannot write the kit " + kit + ": "
                    + e.getMessage(), e);
            SecureFiles.deleteAfterFailure(scratch, failure);
            throw failure;
        } catch (RuntimeException e) {
            SecureFiles.deleteAfterFailure(scratch, e);
            throw e;
        }
        for (Path f : written) {
            files.add(layout.root().relativize(kit.resolve(f.toString())));
        }
    }
}
