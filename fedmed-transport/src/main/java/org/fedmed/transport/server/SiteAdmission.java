package org.fedmed.transport.server;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.fedmed.transport.ProtocolVersion;
import org.fedmed.transport.proto.Hello;
import org.fedmed.transport.wire.WireCodec;

/**
 * Who may join: the server's decision on a stream's Hello, and its re-check of an admitted certificate after the
 * authorizer reloads its lists. A peer is admitted only if it speaks {@link ProtocolVersion#CURRENT}, presented a
 * verified X.509 client certificate over TLS, the authorizer admits that certificate and maps it to exactly the site
 * id the Hello claims, and the definition check accepts the dataset definition it reports. Every refusal carries a
 * reason the site is told verbatim, naming the certificate subject or the claimed id. Thread-safe when the
 * authorizer and the definition check are.
 */
final class SiteAdmission {

    private static final System.Logger LOG = System.getLogger(SiteAdmission.class.getName());

    /** The decision on a Hello. */
    sealed interface Verdict {
        /** The peer is site {@code siteId}, admitted with {@code chain} (leaf first). */
        record Admitted(String siteId, X509Certificate[] chain) implements Verdict {
            public Admitted {
                if (siteId == null || siteId.isBlank()) {
                    throw new IllegalArgumentException("an admitted site needs a site id, got '" + siteId + "'");
                }
                if (chain == null || chain.length == 0) {
                    throw new IllegalArgumentException("site '" + siteId + "' was admitted without a certificate");
                }
            }
        }

        /** The peer is refused, for {@code reason}. */
        record Refused(String reason) implements Verdict {
        }
    }

    private final PeerAuthorizer authorizer;
    private final DefinitionCheck definitionCheck;

    SiteAdmission(PeerAuthorizer authorizer, DefinitionCheck definitionCheck) {
        this.authorizer = authorizer;
        this.definitionCheck = definitionCheck;
    }

    /** Decides on {@code hello}, sent by {@code peer} over {@code ssl} (null when the connection is not TLS). */
    Verdict admit(Hello hello, SSLSession ssl, String peer) {
        Optional<String> version = ProtocolVersion.mismatch("site '" + hello.getSiteId() + "'",
                hello.getProtocolVersion());
        if (version.isPresent()) {
            return new Verdict.Refused(version.get());
        }
        X509Certificate[] chain;
        try {
            chain = peerChain(ssl);
        } catch (PeerRefusedException e) {
            return new Verdict.Refused(e.getMessage());
        }
        String subject = chain[0].getSubjectX500Principal().getName();
        String id;
        try {
            id = authorizer.authorize(chain);
        } catch (PeerRefusedException e) {
            return new Verdict.Refused("certificate '" + subject + "' is not admitted: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "authorizer failed on certificate '" + subject + "' from " + peer, e);
            return new Verdict.Refused("the server could not check certificate '" + subject + "': " + e);
        }
        if (id == null || id.isBlank()) {
            return new Verdict.Refused("certificate '" + subject + "' identifies no site");
        }
        if (!id.equals(hello.getSiteId())) {
            return new Verdict.Refused("Hello claims site id '" + hello.getSiteId() + "' but the certificate identifies"
                    + " site '" + id + "'");
        }
        Optional<String> badDefinition;
        try {
            badDefinition = definitionCheck.refusal(hello.hasDefinition() ? WireCodec.fromWire(hello.getDefinition()) : null);
        } catch (RuntimeException e) {
            badDefinition = Optional.of("the server could not check its dataset definition: " + e);
        }
        if (badDefinition.isPresent()) {
            return new Verdict.Refused("site '" + id + "': " + badDefinition.get());
        }
        return new Verdict.Admitted(id, chain);
    }

    /**
     * Checks an admitted site's certificate against the authorizer again: the reason it is no longer admitted as
     * {@code siteId}, or empty if it still is. An authorizer that fails (rather than refuses) leaves it admitted:
     * the check is repeated at the next reload.
     */
    Optional<String> recheck(X509Certificate[] chain, String siteId, String who) {
        String subject = chain[0].getSubjectX500Principal().getName();
        try {
            String now = authorizer.authorize(chain);
            if (siteId.equals(now)) {
                return Optional.empty();
            }
            return Optional.of("certificate '" + subject + "' now identifies site '" + now + "', not '" + siteId + "'");
        } catch (PeerRefusedException e) {
            return Optional.of("certificate '" + subject + "' is no longer admitted: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "authorizer failed re-checking certificate '" + subject + "' of "
                    + who + "; the site stays connected until the next check", e);
            return Optional.empty();
        }
    }

    /** The subject of the peer's certificate, or empty if it presented none that can be read. */
    static String peerSubject(SSLSession ssl) {
        try {
            return peerChain(ssl)[0].getSubjectX500Principal().getName();
        } catch (PeerRefusedException e) {
            return "";
        }
    }

    private static X509Certificate[] peerChain(SSLSession ssl) throws PeerRefusedException {
        if (ssl == null) {
            throw new PeerRefusedException("the connection is not TLS; a site certificate is required");
        }
        Certificate[] certs;
        try {
            certs = ssl.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw new PeerRefusedException("no verified client certificate: " + e.getMessage());
        }
        if (certs == null || certs.length == 0) {
            throw new PeerRefusedException("no client certificate was presented");
        }
        X509Certificate[] chain = new X509Certificate[certs.length];
        for (int i = 0; i < certs.length; i++) {
            if (!(certs[i] instanceof X509Certificate x)) {
                throw new PeerRefusedException("client certificate " + i + " is not X.509 but " + certs[i].getType());
            }
            chain[i] = x;
        }
        return chain;
    }
}
