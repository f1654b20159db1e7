package org.fedmed.transport.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mutual-TLS credentials from PEM files: the federation CA certificate, and the server's or a site's certificate
 * chain and PKCS#8 private key. The server requires a client certificate signed by the CA; sites trust only that
 * CA. Revocation and membership are checked after the handshake, by the server's {@code PeerAuthorizer}.
 */
public final class MutualTls {

    private MutualTls() {
    }

    /** Server credentials that require and verify a client certificate. */
    public static ServerCredentials serverCredentials(Path caPem, Path certPem, Path keyPem) throws IOException {
        return serverCredentials(read(caPem, "CA certificate"), read(certPem, "server certificate"),
                read(keyPem, "server private key"));
    }

    /** As {@link #serverCredentials(Path, Path, Path)}, from PEM bytes. */
    public static ServerCredentials serverCredentials(byte[] caPem, byte[] certPem, byte[] keyPem) throws IOException {
        try {
            return TlsServerCredentials.newBuilder()
                    .keyManager(new ByteArrayInputStream(certPem), new ByteArrayInputStream(keyPem))
                    .trustManager(new ByteArrayInputStream(caPem))
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IOException("server TLS credentials are unusable (certificate and PKCS#8 key in PEM expected): "
                    + e.getMessage(), e);
        }
    }

    /** A site's credentials: its certificate and key, trusting only the federation CA. */
    public static ChannelCredentials siteCredentials(Path caPem, Path certPem, Path keyPem) throws IOException {
        return siteCredentials(read(caPem, "CA certificate"), read(certPem, "site certificate"),
                read(keyPem, "site private key"));
    }

    /** As {@link #siteCredentials(Path, Path, Path)}, from PEM bytes. */
    public static ChannelCredentials siteCredentials(byte[] caPem, byte[] certPem, byte[] keyPem) throws IOException {
        try {
            return TlsChannelCredentials.newBuilder()
                    .keyManager(new ByteArrayInputStream(certPem), new ByteArrayInputStream(keyPem))
                    .trustManager(new ByteArrayInputStream(caPem))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IOException("site TLS credentials are unusable (certificate and PKCS#8 key in PEM expected): "
                    + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(what + " file '" + file + "' does not exist or is not a file");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (!new String(bytes, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN ")) {
            throw new IOException(what + " file '" + file + "' is not PEM (no '-----BEGIN' line)");
        }
        return bytes;
    }
}
