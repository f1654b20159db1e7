package org.fedmed.pki;

import java.nio.file.Path;

/**
 * Where everything lives in a provisioned federation directory:
 *
 * <pre>
 * DIR/federation.yaml        the manifest: sites, serials, fingerprints, revocations
 * DIR/ca/ca.pem, ca.key      the CA; ca.key never leaves this folder
 * DIR/server/                the server's startup kit: server.yaml, ca.pem, server.pem, server.key, crl.pem, sites.txt,
 *                            operator.token (the dashboard's token, owner-only)
 * DIR/sites/NAME/            a site's startup kit: site.yaml, ca.pem, NAME.pem, NAME.key
 * </pre>
 *
 * @param root the federation directory
 */
public record KitLayout(Path root) {

    public static final String MANIFEST = "federation.yaml";
    public static final String CA_DIRECTORY = "ca";
    public static final String SERVER_DIRECTORY = "server";
    public static final String SITES_DIRECTORY = "sites";
    public static final String CA_CERTIFICATE = "ca.pem";
    public static final String CA_KEY = "ca.key";
    public static final String SERVER_CONFIG = "server.yaml";
    public static final String SERVER_CERTIFICATE = "server.pem";
    public static final String SERVER_KEY = "server.key";
    public static final String CRL = "crl.pem";
    public static final String SITES_LIST = "sites.txt";
    public static final String OPERATOR_TOKEN = "operator.token";
    public static final String SITE_CONFIG = "site.yaml";

    public KitLayout {
        if (root == null) {
            throw new IllegalArgumentException("federation directory is missing");
        }
    }

    public Path manifest() {
        return root.resolve(MANIFEST);
    }

    public Path caDirectory() {
        return root.resolve(CA_DIRECTORY);
    }

    public Path serverKit() {
        return root.resolve(SERVER_DIRECTORY);
    }

    public Path serverCrl() {
        return serverKit().resolve(CRL);
    }

    public Path serverSitesList() {
        return serverKit().resolve(SITES_LIST);
    }

    public Path sitesDirectory() {
        return root.resolve(SITES_DIRECTORY);
    }

    public Path siteKit(String site) {
        return sitesDirectory().resolve(Names.requireSiteName(site));
    }

    /** The file name of a site's certificate inside its kit: {@code NAME.pem}. */
    public static String siteCertificateFile(String site) {
        return site + ".pem";
    }

    /** The file name of a site's private key inside its kit: {@code NAME.key}. */
    public static String siteKeyFile(String site) {
        return site + ".key";
    }
}
