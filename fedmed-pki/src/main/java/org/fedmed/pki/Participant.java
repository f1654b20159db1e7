package org.fedmed.pki;

/**
 * Who holds a certificate of a federation: its server, or one of its sites by name. Certificate operations
 * (renewal, revocation, status) name their subject with it, so that messages read "server" or "site 'a'".
 *
 * @param role what the participant is
 * @param name {@value #SERVER_NAME} for the server, the site name for a site
 */
public record Participant(Role role, String name) {

    /** The name the server goes by in manifests, tables and messages. */
    public static final String SERVER_NAME = "server";

    /** What a participant is. */
    public enum Role {
        /** The federation server: one per federation, certificate with EKU serverAuth. */
        SERVER,
        /** A site: certificate with EKU clientAuth, named in the server's sites list. */
        SITE
    }

    public Participant {
        if (role == null) {
            throw new ProvisioningException("participant role is missing for '" + name + "'");
        }
        switch (role) {
            case SERVER -> {
                if (!SERVER_NAME.equals(name)) {
                    throw new ProvisioningException("the server participant is named '" + SERVER_NAME + "', got '"
                            + name + "'");
                }
            }
            case SITE -> Names.requireSiteName(name);
        }
    }

    /** The federation server. */
    public static Participant server() {
        return new Participant(Role.SERVER, SERVER_NAME);
    }

    /** Site {@code name}; throws if it is not a valid site name. */
    public static Participant site(String name) {
        return new Participant(Role.SITE, name);
    }

    /** {@code server}, or {@code site 'NAME'}. */
    @Override
    public String toString() {
        return switch (role) {
            case SERVER -> SERVER_NAME;
            case SITE -> "site '" + name + "'";
        };
    }
}
