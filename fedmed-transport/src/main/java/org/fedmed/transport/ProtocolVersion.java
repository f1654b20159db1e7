package org.fedmed.transport;

/**
 * The version of the wire protocol in {@code fedmed/v1/federation.proto}. A server refuses a site whose Hello
 * names another version, with a reason that says which version it speaks.
 */
public final class ProtocolVersion {

    /** The version this build speaks. */
    public static final int CURRENT = 1;

    private ProtocolVersion() {
    }
}
