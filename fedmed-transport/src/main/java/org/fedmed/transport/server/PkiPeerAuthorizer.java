package org.fedmed.transport.server;

import java.security.cert.X509Certificate;
import org.fedmed.pki.AccessDeniedException;
import org.fedmed.pki.Authorization;
import org.fedmed.pki.ServerKit;

/**
 * Admits a site by its certificate as the federation's provisioning defines it: issued by the federation CA, a
 * site certificate of this federation, named in the server kit's site list, and not on its revocation list.
 * {@link #reload()} re-reads the site list and the CRL, so a revocation takes effect for the next connection
 * without a restart; {@link FederationServer#recheckAdmissions()} after it cuts the connected sites it no longer
 * admits.
 */
public final class PkiPeerAuthorizer implements PeerAuthorizer {

    private final ServerKit kit;
    private volatile Authorization authorization;

    public PkiPeerAuthorizer(ServerKit kit) {
        this.kit = kit;
        this.authorization = Authorization.forServerKit(kit);
    }

    /** Re-reads the server kit's site list and revocation list. */
    public void reload() {
        authorization = Authorization.forServerKit(ServerKit.load(kit.directory()));
    }

    @Override
    public String authorize(X509Certificate[] chain) throws PeerRefusedException {
        try {
            return authorization.authorize(chain).site();
        } catch (AccessDeniedException e) {
            throw new PeerRefusedException(e.getMessage());
        }
    }
}
