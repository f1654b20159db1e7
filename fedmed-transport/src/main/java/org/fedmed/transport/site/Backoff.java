package org.fedmed.transport.site;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a site waits before reconnecting: exponential in the number of failed attempts, capped, with jitter
 * ("equal jitter": a delay is uniform in [d/2, d] for the capped exponential d) so that many sites dropped at once
 * do not all return at once.
 */
public record Backoff(Duration initial, Duration max, double multiplier) {

    public Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial delay must be positive, got " + initial);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max delay must be at least the initial " + initial + ", got " + max);
        }
        if (!(multiplier >= 1) || !Double.isFinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be a finite number >= 1, got " + multiplier);
        }
    }

    /**
     * 1 s, doubling, capped at 10 s. The cap bounds how long a site stays away from a server that is back (see
     * {@link SiteSettings#reconnectBound()}); a server that has been down a long time is still dialed only every
     * 5 to 10 s by each site.
     */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 2.0);
    }

    /** The delay before reconnect attempt {@code attempt} (0 for the first after a drop). */
    public Duration delay(int attempt, RandomGenerator random) {
        double capped = Math.min((double) max.toMillis(), initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt)));
        double half = capped / 2;
        return Duration.ofMillis(Math.round(half + random.nextDouble() * half));
    }
}
