package org.fedmed.transport.server;

/** An update that must not reach the aggregator; the message says why and is sent to the site. */
final class InvalidUpdateException extends Exception {
    InvalidUpdateException(String reason) {
        super(reason);
    }
}
