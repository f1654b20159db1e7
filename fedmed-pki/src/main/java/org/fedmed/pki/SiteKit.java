package org.fedmed.pki;

import java.nio.file.Path;

/**
 * A site's startup kit, read from its directory ({@code site.yaml} and the files it names): what a site
 * process needs to dial the federation server over mutual TLS. Paths in {@code site.yaml} are relative to
 * the kit directory. The kit holds the site's own key, never the CA key nor another site's key.
 *
 * @param directory     the kit directory
 * @param federation    the federation's name
 * @param site          this site's name (the CN of its certificate)
 * @param server        the server address to dial
 * @param caCertificate the federation CA certificate (PEM): the only issuer the site trusts for the server
 * @param certificate   the site certificate (PEM)
 * @param privateKey    the site private key (PEM, PKCS#8, owner-only)
 */
public record SiteKit(Path directory, String federation, String site, ServerAddress server, Path caCertificate,
                      Path certificate, Path privateKey) {

    /**
     * The content of {@code site.yaml}.
     *
     * @param federation    the federation's name
     * @param site          this site's name
     * @param server        {@code HOST:PORT} of the federation server
     * @param caCertificate CA certificate file, relative to the kit
     * @param certificate   site certificate file, relative to the kit
     * @param privateKey    site key file, relative to the kit
     */
    public record Config(String federation, String site, String server, String caCertificate, String certificate,
                         String privateKey) {
    }

    /**
     * Reads the kit in {@code directory}, checking that every file it names exists. It does not look into the
     * files; a process about to use the kit loads it with {@link #load(Path, KeyFilePolicy)}.
     *
     * @throws MissingKitException  if {@code directory} does not exist or holds no {@code site.yaml}
     * @throws ProvisioningException naming the file and key, if {@code site.yaml} is malformed or names a missing file
     */
    public static SiteKit load(Path directory) {
        Path file = ServerKit.requireKit(directory, KitLayout.SITE_CONFIG, "site");
        Config c = KitYaml.read(file, Config.class);
        return new SiteKit(directory,
                Names.requireFederationName(KitYaml.required(c.federation(), "federation", file)),
                Names.requireSiteName(KitYaml.required(c.site(), "site", file)),
                ServerAddress.parse(KitYaml.required(c.server(), "server", file)),
                ServerKit.existing(directory, file, "ca_certificate", c.caCertificate()),
                ServerKit.existing(directory, file, "certificate", c.certificate()),
                ServerKit.existing(directory, file, "private_key", c.privateKey()));
    }

    /**
     * Reads the kit as {@link #load(Path)} does, then checks that its credential is usable: the key file is
     * owner-only (unless {@code policy} allows otherwise), the certificate and key parse and belong together, the
     * kit's CA issued the certificate, and the certificate names this kit's site.
     *
     * @throws ProvisioningException naming the file at fault and the reason
     */
    public static SiteKit load(Path directory, KeyFilePolicy policy) {
        SiteKit kit = load(directory);
        CredentialCheck.check("site kit " + directory, kit.caCertificate(), kit.certificate(), kit.privateKey(),
                kit.site(), policy);
        return kit;
    }

    /** The {@code site.yaml} content that points at the standard file names of a kit. */
    static Config standardConfig(String federation, String site, ServerAddress server) {
        return new Config(federation, site, server.toString(), KitLayout.CA_CERTIFICATE,
                KitLayout.siteCertificateFile(site), KitLayout.siteKeyFile(site));
    }
}
