package org.fedmed.transport.server;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

    /**
     * What a re-read changed: sites added to and removed from the site list, and serials newly on the revocation list,
     * each in ascending order; all empty when nothing changed.
     */
    public record Change(List<String> admitted, List<String> removed, List<BigInteger> revoked) {
        public Change {
            admitted = List.copyOf(admitted);
            removed = List.copyOf(removed);
            revoked = List.copyOf(revoked);
        }

        public boolean isEmpty() {
            return admitted.isEmpty() && removed.isEmpty() && revoked.isEmpty();
        }

        /** One line for the operator, e.g. {@code site list: admitted [bern]; revocation list: revoked serial(s) 1f}. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!admitted.isEmpty()) {
                parts.add("site list: admitted " + admitted);
            }
            if (!removed.isEmpty()) {
                parts.add("site list: removed " + removed);
            }
            if (!revoked.isEmpty()) {
                parts.add("revocation list: revoked serial(s) "
                        + String.join(", ", revoked.stream().map(b -> b.toString(16)).toList()));
            }
            return parts.isEmpty() ? "no change" : String.join("; ", parts);
        }
    }

    /**
     * Re-reads the server kit's site list and revocation list, and says what changed. When reading fails, the lists
     * in force stay as they were and the exception is thrown.
     */
    public Change reload() {
        Authorization before = authorization;
        Authorization after = Authorization.forServerKit(ServerKit.load(kit.directory()));
        authorization = after;
        return new Change(difference(after.sites(), before.sites()), difference(before.sites(), after.sites()),
                difference(after.revokedSerials(), before.revokedSerials()));
    }

    private static <T extends Comparable<T>> List<T> difference(Set<T> of, Set<T> without) {
        return of.stream().filter(x -> !without.contains(x)).sorted().toList();
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
