package org.fedmed.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provisions a federation: creates its CA, the server certificate, a certificate for every site, an empty
 * revocation list, and one startup kit per participant, laid out as {@link KitLayout} describes.
 *
 * <p>Guarantees: the whole directory is built in a temporary sibling folder and renamed into place, so a
 * failure never leaves a half-written federation behind; an existing non-empty directory is only replaced
 * when asked ({@code force}); every private key file is owner-only where the file system supports POSIX
 * permissions, and so are the federation directory itself and {@code ca/}; {@code ca.key} is written only
 * to {@code ca/} and never into a kit.
 */
public final class Provisioner {

    private final Clock clock;
    private final SecureRandom random;

    /** A provisioner on the system clock and a fresh {@link SecureRandom}. */
    public Provisioner() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    /** A provisioner whose certificates start at {@code clock}'s now, with keys and serials from {@code random}. */
    public Provisioner(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * Writes the federation {@code spec} describes into {@code directory}.
     *
     * @param force replace {@code directory} if it exists and is not empty (its CA and every kit issued from
     *              it are lost); without it such a directory is an error
     * @throws ProvisioningException if {@code directory} exists and is not empty and {@code force} is false,
     *                               or exists and is not a directory
     */
    public ProvisionedFederation provision(FederationSpec spec, Path directory, boolean force) {
        Path target = directory.toAbsolutePath().normalize();
        boolean replace = checkTarget(target, force);
        Path parent = target.getParent();
        Path scratch;
        try {
            Files.createDirectories(parent);
            scratch = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
            SecureFiles.createDirectory(scratch, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory beside " + target + ": " + e.getMessage(), e);
        }
        List<Path> files;
        try {
            files = writeFederation(spec, new KitLayout(scratch));
            install(scratch, target, replace);
        } catch (RuntimeException e) {
            SecureFiles.deleteAfterFailure(scratch, e);
            throw e;
        }
        KitLayout layout = new KitLayout(target);
        Map<String, Path> siteKits = new LinkedHashMap<>();
        for (String site : spec.sites()) {
            siteKits.put(site, layout.siteKit(site));
        }
        return new ProvisionedFederation(target, layout.manifest(), layout.caDirectory(), layout.serverKit(),
                siteKits, files);
    }

    private List<Path> writeFederation(FederationSpec spec, KitLayout out) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String federation = spec.federation();
        CertificateAuthority ca = CertificateAuthority.create(federation,
                Validity.startingAt(now, spec.caValidity()), random);
        Validity leafValidity = Validity.startingAt(now, spec.certificateValidity());
        Credential server = ca.issueServer(spec.server(), spec.includesLoopbackNames(), leafValidity);
        X509CRL crl = ca.signCrl(List.of(), 1, now);

        List<Path> written = new ArrayList<>();
        KitWriter w = new KitWriter(out.root(), written);
        w.directory(out.caDirectory(), true);
        w.pem(out.caDirectory().resolve(KitLayout.CA_CERTIFICATE), ca.certificate());
        w.privateKey(out.caDirectory().resolve(KitLayout.CA_KEY), ca.credential().privateKey());

        Path serverDir = w.directory(out.serverKit(), false);
        w.text(serverDir.resolve(KitLayout.SERVER_CONFIG),
                KitYaml.toYaml(ServerKit.standardConfig(federation, spec.server())));
        w.pem(serverDir.resolve(KitLayout.CA_CERTIFICATE), ca.certificate());
        w.pem(serverDir.resolve(KitLayout.SERVER_CERTIFICATE), server.certificate());
        w.privateKey(serverDir.resolve(KitLayout.SERVER_KEY), server.privateKey());
        w.pem(serverDir.resolve(KitLayout.CRL), crl);
        w.text(serverDir.resolve(KitLayout.SITES_LIST), ServerKit.sitesListText(federation, spec.sites()));
        w.secret(serverDir.resolve(KitLayout.OPERATOR_TOKEN), OperatorToken.generate(random).value() + "\n");

        List<FederationManifest.Site> sites = new ArrayList<>();
        for (String site : spec.sites()) {
            Credential cred = ca.issueSite(site, leafValidity);
            w.siteKit(out.siteKit(site), federation, site, spec.server(), ca.certificate(), cred);
            sites.add(FederationManifest.Site.issued(site, CertificateSummary.of(cred.certificate())));
        }

        FederationManifest manifest = FederationManifest.provisioned(federation, spec.server().toString(), now,
                spec.certificateValidity(), CertificateSummary.of(ca.certificate()),
                CertificateSummary.of(server.certificate()), sites);
        w.text(out.manifest(), manifest.toYaml());
        return written;
    }

    /** Whether an existing directory must be moved aside; throws if it may not be replaced. */
    private static boolean checkTarget(Path target, boolean force) {
        if (!Files.exists(target)) {
            return false;
        }
        if (!Files.isDirectory(target)) {
            throw new ProvisioningException(target + " exists and is not a directory; choose another --out");
        }
        if (isEmptyDirectory(target)) {
            return true;
        }
        if (!force) {
            throw new ProvisioningException(target + " already exists and is not empty; refusing to overwrite it. "
                    + "Choose another directory, or pass --force to replace it (this discards its CA: every kit "
                    + "issued from it stops working)");
        }
        return true;
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Renames {@code scratch} to {@code target}, an existing {@code target} being replaced only once it is in place. */
    private void install(Path scratch, Path target, boolean replace) {
        SecureFiles.installDirectory(scratch, target, replace,
                "." + target.getFileName() + ".replaced-" + HexFormat.of().formatHex(nonce()));
    }

    private byte[] nonce() {
        byte[] b = new byte[6];
        random.nextBytes(b);
        return b;
    }
}
