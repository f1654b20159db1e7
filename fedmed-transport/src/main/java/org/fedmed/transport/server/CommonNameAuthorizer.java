package org.fedmed.transport.server;

import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.TreeSet;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The simplest {@link PeerAuthorizer}: a site's id is the common name (CN) of its certificate's subject, and only
 * the listed sites may join (or any site, when the list is empty). It checks no revocation list; a deployment
 * that revokes certificates plugs in an authorizer that does.
 */
public final class CommonNameAuthorizer implements PeerAuthorizer {

    private final Set<String> members;

    /** @param members site ids allowed to join; empty admits every certificate the CA signed */
    public CommonNameAuthorizer(Set<String> members) {
        this.members = Set.copyOf(members);
    }

    @Override
    public String authorize(X509Certificate[] chain) throws PeerRefusedException {
        if (chain == null || chain.length == 0) {
            throw new PeerRefusedException("no client certificate was presented");
        }
        String subject = chain[0].getSubjectX500Principal().getName();
        String cn = commonName(subject);
        if (cn == null || cn.isBlank()) {
            throw new PeerRefusedException("certificate subject '" + subject + "' has no common name (CN) to serve as site id");
        }
        if (!members.isEmpty() && !members.contains(cn)) {
            throw new PeerRefusedException("site '" + cn + "' is not a member of this federation (members: "
                    + new TreeSet<>(members) + ")");
        }
        return cn;
    }

    /** The CN of an RFC 2253 distinguished name, or null if it has none. */
    static String commonName(String distinguishedName) throws PeerRefusedException {
        try {
            for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            throw new PeerRefusedException("certificate subject '" + distinguishedName + "' is not a valid name: " + e.getMessage());
        }
    }
}
