package org.fedmed.secagg;

/**
 * What one party spent in a round: CPU time of the thread that did its work (including encoding and decoding
 * its messages) and the bytes of the encoded messages it sent and received.
 */
public record PartyCost(long cpuNanos, long bytesSent, long bytesReceived) {
    public PartyCost {
        if (cpuNanos < 0 || bytesSent < 0 || bytesReceived < 0) {
            throw new IllegalArgumentException("costs must be >= 0, got cpu=" + cpuNanos + " sent=" + bytesSent
                    + " received=" + bytesReceived);
        }
    }

    /** This cost plus {@code other}. */
    public PartyCost plus(PartyCost other) {
        return new PartyCost(cpuNanos + other.cpuNanos, bytesSent + other.bytesSent, bytesReceived + other.bytesReceived);
    }
}
