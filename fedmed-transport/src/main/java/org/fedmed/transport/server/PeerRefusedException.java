package org.fedmed.transport.server;

/** Raised by a {@link PeerAuthorizer} that will not let a certificate in; the message is sent to the site. */
public class PeerRefusedException extends Exception {
    public PeerRefusedException(String reason) {
        super(reason);
    }
}
