package org.fedmed.pki;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** Writes the files of a federation directory under construction and records each one, relative to the root. */
final class KitWriter {

    private final Path root;
    private final List<Path> written;

    KitWriter(Path root, List<Path> written) {
        this.root = root;
        this.written = written;
    }

    Path directory(Path dir, boolean secret) {
        return SecureFiles.createDirectory(dir, secret);
    }

    void pem(Path file, Object certificateOrCrl) {
        Pem.write(file, certificateOrCrl);
        written.add(root.relativize(file));
    }

    void privateKey(Path file, PrivateKey key) {
        Pem.writePrivateKey(file, key);
        written.add(root.relativize(file));
    }

    /** A site's startup kit in {@code dir}: {@code site.yaml}, {@code ca.pem}, {@code NAME.pem} and {@code NAME.key}. */
    void siteKit(Path dir, String federation, String site, ServerAddress server, X509Certificate ca,
                 Credential credential) {
        directory(dir, false);
        text(dir.resolve(KitLayout.SITE_CONFIG), KitYaml.toYaml(SiteKit.standardConfig(federation, site, server)));
        pem(dir.resolve(KitLayout.CA_CERTIFICATE), ca);
        pem(dir.resolve(KitLayout.siteCertificateFile(site)), credential.certificate());
        privateKey(dir.resolve(KitLayout.siteKeyFile(site)), credential.privateKey());
    }

    /** A file only its owner may read. */
    void secret(Path file, String text) {
        SecureFiles.writeNew(file, text, true);
        written.add(root.relativize(file));
    }

    void text(Path file, String text) {
        SecureFiles.writeNew(file, text, false);
        written.add(root.relativize(file));
    }
}
