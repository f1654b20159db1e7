package org.fedmed.secagg;

import java.util.List;

/**
 * The measured costs of one round: per client (index i is client i + 1; clients that dropped early spent
 * less) and at the server. Broadcast messages count once per recipient in bytes, once in CPU.
 */
public record RoundCosts(List<PartyCost> clients, PartyCost server) {

    public RoundCosts {
        clients = List.copyOf(clients);
    }

    /** Mean CPU nanoseconds per client, over all invited clients. */
    public double meanClientCpuNanos() {
        return clients.stream().mapToLong(PartyCost::cpuNanos).average().orElse(0);
    }

    /** Largest CPU nanoseconds any client spent. */
    public long maxClientCpuNanos() {
        return clients.stream().mapToLong(PartyCost::cpuNanos).max().orElse(0);
    }

    /** Mean bytes sent per client. */
    public double meanClientBytesSent() {
        return clients.stream().mapToLong(PartyCost::bytesSent).average().orElse(0);
    }

    /** Mean bytes received per client. */
    public double meanClientBytesReceived() {
        return clients.stream().mapToLong(PartyCost::bytesReceived).average().orElse(0);
    }

    /** The same costs with {@code extra} added to the server's. */
    public RoundCosts withServerExtra(PartyCost extra) {
        return new RoundCosts(clients, server.plus(extra));
    }
}
