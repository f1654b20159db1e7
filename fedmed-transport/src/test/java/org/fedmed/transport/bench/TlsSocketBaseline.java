package org.fedmed.transport.bench;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The wire's ceiling for {@link TransferBench}: a raw copy of the same payload sizes over one JDK {@link SSLSocket}
 * on loopback with mutual TLS, using the benchmark's CA, server and site certificates and keys. Each transfer is
 * one request (a 5-byte command) and one payload of {@code 4 * params} bytes the other way or this way, answered by
 * one byte, so it has the same shape as a model going down (evaluate) or up (fit) but nothing between the bytes
 * and the socket: no framing beyond TLS records, no encoding, no copies into a float vector.
 */
final class TlsSocketBaseline implements AutoCloseable {

    private static final int BUFFER = 1 << 20;

    private final SSLServerSocket listener;
    private final Thread server;
    private final SSLSocket client;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final byte[] buffer = new byte[BUFFER];

    /** Opens the server on 127.0.0.1 with server.pem/server.key and dials it as {@code site} from {@code dir}. */
    TlsSocketBaseline(Path dir, String site) throws IOException, GeneralSecurityException {
        SSLContext serverContext = context(dir, "server");
        SSLContext siteContext = context(dir, site);
        listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress());
        listener.setNeedClientAuth(true);
        server = Thread.ofPlatform().daemon().name("tls-baseline-server").start(this::serve);
        client = (SSLSocket) siteContext.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                listener.getLocalPort());
        client.setTcpNoDelay(true);
        client.startHandshake();
        out = new DataOutputStream(client.getOutputStream());
        in = new DataInputStream(client.getInputStream());
    }

    /** Nanoseconds to have the server send {@code bytes} bytes to the site. */
    long down(int bytes) throws IOException {
        long t = System.nanoTime();
        out.writeByte('D');
        out.writeInt(bytes);
        out.flush();
        drain(in, bytes, buffer);
        out.writeByte(1);
        out.flush();
        return System.nanoTime() - t;
    }

    /** Nanoseconds to send {@code bytes} bytes from the site to the server and hear it has them all. */
    long up(int bytes) throws IOException {
        long t = System.nanoTime();
        out.writeByte('U');
        out.writeInt(bytes);
        fill(out, bytes, buffer);
        out.flush();
        if (in.read() != 1) {
            throw new IOException("TLS baseline: the server did not acknowledge " + bytes + " bytes");
        }
        return System.nanoTime() - t;
    }

    private void serve() {
        byte[] buf = new byte[BUFFER];
        try (SSLSocket s = (SSLSocket) listener.accept()) {
            s.setTcpNoDelay(true);
            DataInputStream sin = new DataInputStream(s.getInputStream());
            DataOutputStream sout = new DataOutputStream(s.getOutputStream());
            while (true) {
                int command = sin.read();
                if (command < 0) {
                    return;
                }
                int bytes = sin.readInt();
                if (command == 'D') {
                    fill(sout, bytes, buf);
                    sout.flush();
                    if (sin.read() != 1) {
                        return;
                    }
                } else {
                    drain(sin, bytes, buf);
                    sout.writeByte(1);
                    sout.flush();
                }
            }
        } catch (IOException e) {
            // the client closed the connection
        }
    }

    private static void fill(OutputStream out, int bytes, byte[] buf) throws IOException {
        for (int left = bytes; left > 0; ) {
            int n = Math.min(left, buf.length);
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void drain(InputStream in, int bytes, byte[] buf) throws IOException {
        for (int left = bytes; left > 0; ) {
            int n = in.read(buf, 0, Math.min(left, buf.length));
            if (n < 0) {
                throw new IOException("TLS baseline: the stream ended " + left + " bytes short of " + bytes);
            }
            left -= n;
        }
    }

    private static SSLContext context(Path dir, String name) throws IOException, GeneralSecurityException {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Certificate ca = x509.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("ca.pem"))));
        Certificate cert = x509.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(name + ".pem"))));
        String pem = Files.readString(dir.resolve(name + ".key"), StandardCharsets.US_ASCII);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        char[] password = "bench".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(name, key, password, new Certificate[]{cert, ca});
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** The TLS protocol and cipher suite the baseline negotiated. */
    String cipher() {
        return client.getSession().getProtocol() + " " + client.getSession().getCipherSuite();
    }

    @Override
    public void close() throws IOException {
        client.close();
        listener.close();
    }
}
