package org.fedmed.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The server's startup kit, read from its directory ({@code server.yaml} and the files it names). Paths in
 * {@code server.yaml} are relative to the kit directory, so the kit can be copied anywhere. The kit holds the
 * server's own key but never the CA key.
 *
 * @param directory      the kit directory
 * @param federation     the federation's name
 * @param address        the address sites dial (the server certificate names its host)
 * @param caCertificate  the federation CA certificate (PEM): the only issuer the server trusts for sites
 * @param certificate    the server certificate (PEM)
 * @param privateKey     the server private key (PEM, PKCS#8, owner-only)
 * @param crl            the federation's revocation list (PEM)
 * @param sitesList      the list of site names, one a line
 * @param sites          the site names read from {@code sitesList}
 */
public record ServerKit(Path directory, String federation, ServerAddress address, Path caCertificate,
                        Path certificate, Path privateKey, Path crl, Path sitesList, List<String> sites) {

    /**
     * The content of {@code server.yaml}.
     *
     * @param federation    the federation's name
     * @param address       {@code HOST:PORT}
     * @param caCertificate CA certificate file, relative to the kit
     * @param certificate   server certificate file, relative to the kit
     * @param privateKey    server key file, relative to the kit
     * @param crl           CRL file, relative to the kit
     * @param sitesList     sites list file, relative to the kit
     */
    public record Config(String federation, String address, String caCertificate, String certificate,
                         String privateKey, String crl, String sitesList) {
    }

    public ServerKit {
        sites = List.copyOf(sites);
    }

    /**
     * Reads the kit in {@code directory}, checking that every file it names exists and reading the sites list. It
     * does not look into the other files; a process about to use the kit loads it with
     * {@link #load(Path, KeyFilePolicy)}. The server re-reads its sites list and CRL with this method.
     *
     * @throws MissingKitException  if {@code directory} does not exist or holds no {@code server.yaml}
     * @throws ProvisioningException naming the file and key, if {@code server.yaml} is malformed or names a missing file
     */
    public static ServerKit load(Path directory) {
        Path file = requireKit(directory, KitLayout.SERVER_CONFIG, "server");
        Config c = KitYaml.read(file, Config.class);
        String federation = Names.requireFederationName(KitYaml.required(c.federation(), "federation", file));
        ServerAddress address = ServerAddress.parse(KitYaml.required(c.address(), "address", file));
        Path sitesList = existing(directory, file, "sites_list", c.sitesList());
        return new ServerKit(directory, federation, address,
                existing(directory, file, "ca_certificate", c.caCertificate()),
                existing(directory, file, "certificate", c.certificate()),
                existing(directory, file, "private_key", c.privateKey()),
                existing(directory, file, "crl", c.crl()),
                sitesList, readSites(sitesList));
    }

    /**
     * Reads the kit as {@link #load(Path)} does, then checks that the server's credential is usable: the key file
     * is owner-only (unless {@code policy} allows otherwise), the certificate and key parse and belong together,
     * and the kit's CA issued the certificate.
     *
     * @throws ProvisioningException naming the file at fault and the reason
     */
    public static ServerKit load(Path directory, KeyFilePolicy policy) {
        ServerKit kit = load(directory);
        CredentialCheck.check("server kit " + directory, kit.caCertificate(), kit.certificate(), kit.privateKey(),
                null, policy);
        return kit;
    }

    /** The {@code server.yaml} content that points at the standard file names of a kit. */
    static Config standardConfig(String federation, ServerAddress address) {
        return new Config(federation, address.toString(), KitLayout.CA_CERTIFICATE, KitLayout.SERVER_CERTIFICATE,
                KitLayout.SERVER_KEY, KitLayout.CRL, KitLayout.SITES_LIST);
    }

    /** The text of a sites list: a comment line, then one site name a line. */
    static String sitesListText(String federation, List<String> sites) {
        return "# sites of federation " + federation + ", one a line; a site not listed here is refused\n"
                + String.join("\n", sites) + "\n";
    }

    /**
     * Reads a sites list: one name a line; blank lines and lines starting with {@code #} are ignored. A bad
     * or repeated name is reported with its line number.
     */
    public static List<String> readSites(Path sitesList) {
        List<String> lines;
        try {
            lines = Files.readAllLines(sitesList);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sites list " + sitesList + ": " + e.getMessage(), e);
        }
        List<String> sites = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!Names.isValidSiteName(line)) {
                throw new ProvisioningException(sitesList + " line " + (i + 1) + ": invalid site name '" + line
                        + "'; expected " + Names.SITE_NAME_RULE);
            }
            if (!seen.add(line)) {
                throw new ProvisioningException(sitesList + " line " + (i + 1) + ": site '" + line
                        + "' is listed more than once");
            }
            sites.add(line);
        }
        return sites;
    }

    /**
     * Appends {@code site} to the sites list on a line of its own, replacing the file atomically, so a server that
     * re-reads it sees the old list or the new one.
     */
    static void addToSitesList(Path sitesList, String site) {
        String text = sitesListText(sitesList);
        SecureFiles.replaceAtomically(sitesList, text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + site
                + "\n", false);
    }

    /**
     * Takes the lines that name {@code site} off the sites list (comments and other lines stay as they are),
     * replacing the file atomically; false, and the file untouched, when the list does not name it.
     */
    static boolean removeFromSitesList(Path sitesList, String site) {
        if (!readSites(sitesList).contains(site)) {
            return false;
        }
        StringBuilder kept = new StringBuilder();
        for (String line : sitesListText(sitesList).split("\n", -1)) {
            if (!line.strip().equals(site)) {
                kept.append(line).append('\n');
            }
        }
        SecureFiles.replaceAtomically(sitesList, kept.substring(0, kept.length() - 1), false);
        return true;
    }

    private static String sitesListText(Path sitesList) {
        try {
            return Files.readString(sitesList);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sites list " + sitesList + ": " + e.getMessage(), e);
        }
    }

    /** {@code directory}'s kit config file {@code configName}; a missing folder or file is a {@link MissingKitException}. */
    static Path requireKit(Path directory, String configName, String role) {
        Path file = directory.resolve(configName);
        if (!Files.isDirectory(directory)) {
            throw new MissingKitException(directory, "no startup kit at " + directory + ": the folder does not exist"
                    + " (a " + role + " kit is a folder written by 'fedmed provision')");
        }
        if (!Files.isRegularFile(file)) {
            throw new MissingKitException(directory, "no startup kit at " + directory + ": it holds no " + configName
                    + " (a " + role + " kit written by 'fedmed provision' does)");
        }
        return file;
    }

    static Path existing(Path directory, Path configFile, String key, String relative) {
        Path p = directory.resolve(KitYaml.required(relative, key, configFile));
        if (!Files.isRegularFile(p)) {
            throw new ProvisioningException(configFile + ": key '" + key + "' names " + p + ", which does not exist");
        }
        return p;
    }
}
