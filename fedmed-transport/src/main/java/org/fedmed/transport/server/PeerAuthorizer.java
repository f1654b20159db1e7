package org.fedmed.transport.server;

import java.security.cert.X509Certificate;

/**
 * Decides which site a verified TLS client certificate belongs to, and whether it may join. The TLS handshake has
 * already checked that the chain ends at the federation CA; an authorizer adds what the handshake cannot: the
 * federation's member list, revocation (CRL), and the mapping from certificate to site id.
 *
 * <p>The server calls it once per stream, when the site says Hello, and accepts the stream only if the returned
 * site id equals the id the site claims. Implementations must be thread-safe; they may block briefly (to read a
 * CRL, say).
 */
@FunctionalInterface
public interface PeerAuthorizer {

    /**
     * Returns the site id that {@code chain} (leaf first) identifies.
     *
     * @throws PeerRefusedException with a reason the site can act on (revoked, not a member, expired, ...)
     */
    String authorize(X509Certificate[] chain) throws PeerRefusedException;
}
