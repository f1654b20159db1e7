package org.fedmed.dashboard;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fedmed.pki.Pem;

/** The dashboard's HTTPS connector, with the server kit's certificate and key (PEM), on the settings' host and port. */
final class TlsConnector {

    private TlsConnector() {
    }

    static Connector create(Server server, HttpConfiguration http, DashboardSettings s) {
        try {
            X509Certificate cert = Pem.readCertificate(s.tls().certificate());
            var key = Pem.readPrivateKey(s.tls().privateKey());
            char[] pass = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, pass, new X509Certificate[]{cert});
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(ks);
            ssl.setKeyStorePassword("");
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer src = new SecureRequestCustomizer();
            src.setSniHostCheck(false);
            https.addCustomizer(src);
            ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
            c.setHost(s.host());
            c.setPort(s.port());
            return c;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("dashboard: cannot load the TLS certificate " + s.tls().certificate()
                    + " and key " + s.tls().privateKey() + ": " + e.getMessage(), e);
        }
    }
}
