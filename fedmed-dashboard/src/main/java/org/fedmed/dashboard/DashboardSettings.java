package org.fedmed.dashboard;

import java.nio.file.Path;
import java.time.Duration;
import org.fedmed.pki.OperatorToken;

/**
 * Where and how the dashboard serves a run store.
 *
 * @param store    the run store (SQLite file), opened read-only
 * @param host     the interface to listen on; {@code 127.0.0.1} unless the operator names another
 * @param port     the port, or 0 for any free one
 * @param token    the operator token every request must carry (bearer header or the login cookie)
 * @param tls      the certificate and key to serve HTTPS with, or {@code null} for plain HTTP (local use only)
 * @param poll     how often the store is re-read for new rounds and audit entries (the bound on live-update delay)
 */
public record DashboardSettings(Path store, String host, int port, OperatorToken token, Tls tls, Duration poll) {

    /** The default interface: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /**
     * The server's certificate and private key, as PEM files (the server kit's {@code server.pem} and
     * {@code server.key}).
     */
    public record Tls(Path certificate, Path privateKey) {
        public Tls {
            if (certificate == null || privateKey == null) {
                throw new IllegalArgumentException("tls: certificate and privateKey are required");
            }
        }
    }

    public DashboardSettings {
        if (store == null) {
            throw new IllegalArgumentException("store is required");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (token == null) {
            throw new IllegalArgumentException("token is required");
        }
        if (poll == null || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("poll must be positive, got " + poll);
        }
    }

    /** Loopback, any free port, plain HTTP, re-read every second. */
    public static DashboardSettings local(Path store, OperatorToken token) {
        return new DashboardSettings(store, DEFAULT_HOST, 0, token, null, Duration.ofSeconds(1));
    }

    public DashboardSettings withTls(Tls t) {
        return new DashboardSettings(store, host, port, token, t, poll);
    }

    public DashboardSettings withAddress(String h, int p) {
        return new DashboardSettings(store, h, p, token, tls, poll);
    }
}
