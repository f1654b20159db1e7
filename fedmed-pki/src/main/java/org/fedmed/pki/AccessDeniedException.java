package org.fedmed.pki;

/**
 * A peer was refused: its certificate does not make it an authorized site of this federation. The
 * {@link #reason()} says which rule it broke and the message names the certificate and what was expected,
 * so an operator can tell a misconfigured site from an intruder. The message holds no secret and may be
 * logged and returned to the peer.
 */
public final class AccessDeniedException extends Exception {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** Why a peer was refused. */
    public enum Reason {
        /** The peer presented no certificate, or not an X.509 one. */
        NO_CERTIFICATE,
        /** The certificate was not issued (signed) by this federation's CA. */
        UNKNOWN_ISSUER,
        /** The certificate, or the CA certificate, has expired. */
        EXPIRED,
        /** The certificate is not valid yet. */
        NOT_YET_VALID,
        /** The certificate is not a site certificate (for example the server's own certificate). */
        NOT_A_SITE_CERTIFICATE,
        /** The certificate names another federation as its organization. */
        WRONG_FEDERATION,
        /** The certificate is on the federation's revocation list. */
        REVOKED,
        /** The site is not on the federation's list of sites. */
        NOT_IN_FEDERATION
    }

    private final Reason reason;

    public AccessDeniedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public AccessDeniedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        if (reason == null) {
            throw new IllegalArgumentException("reason is missing for: " + message);
        }
        this.reason = reason;
    }

    /** Which rule the peer broke. */
    public Reason reason() {
        return reason;
    }
}
