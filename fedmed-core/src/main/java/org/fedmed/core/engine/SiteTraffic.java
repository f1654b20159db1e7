package org.fedmed.core.engine;

/**
 * The bytes the transport moved between the server and one site: {@code bytesSent} to the site and
 * {@code bytesReceived} from it, each the serialized size of the protocol messages on the site's stream as the
 * transport counted them. Both are non-negative. An in-process pool moves no bytes and reports no traffic.
 */
public record SiteTraffic(long bytesSent, long bytesReceived) {

    /** No bytes either way. */
    public static final SiteTraffic NONE = new SiteTraffic(0, 0);

    public SiteTraffic {
        if (bytesSent < 0) {
            throw new IllegalArgumentException("bytesSent must be >= 0, got " + bytesSent);
        }
        if (bytesReceived < 0) {
            throw new IllegalArgumentException("bytesReceived must be >= 0, got " + bytesReceived);
        }
    }
}
