package org.fedmed.core.exchange;

/**
 * A site's participant refused a message of a multi-exchange round (out of turn, malformed, or asking for what the
 * protocol never reveals); the message names why, for the coordinator's record and the site's audit log.
 */
public final class ExchangeRefusedException extends Exception {
    public ExchangeRefusedException(String message) {
        super(message);
    }

    public ExchangeRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
