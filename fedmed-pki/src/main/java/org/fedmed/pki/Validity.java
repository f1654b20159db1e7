package org.fedmed.pki;

import java.time.Duration;
import java.time.Instant;

/**
 * The period in which a certificate is valid, both ends inclusive, as X.509 has it.
 *
 * @param notBefore the first instant the certificate is valid
 * @param notAfter  the last instant it is valid; after {@code notBefore}
 */
public record Validity(Instant notBefore, Instant notAfter) {

    /** How far back a new certificate's validity starts, so that peers whose clock is a little behind accept it. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    public Validity {
        if (notBefore == null || notAfter == null) {
            throw new ProvisioningException("validity needs both notBefore and notAfter, got " + notBefore
                    + " and " + notAfter);
        }
        if (!notAfter.isAfter(notBefore)) {
            throw new ProvisioningException("validity notAfter " + notAfter + " is not after notBefore " + notBefore);
        }
    }

    /** The shortest validity fedmed issues a certificate for. */
    public static final Duration SHORTEST = Duration.ofHours(1);

    /** Returns {@code length} if it is at least {@link #SHORTEST}; otherwise throws, naming {@code field}. */
    public static Duration requireLength(String field, Duration length) {
        if (length == null || length.compareTo(SHORTEST) < 0) {
            throw new ProvisioningException(field + " must be at least one hour, got " + length);
        }
        return length;
    }

    /** Valid from {@link #CLOCK_SKEW} before {@code now} until {@code now + length}. */
    public static Validity startingAt(Instant now, Duration length) {
        return new Validity(now.minus(CLOCK_SKEW), now.plus(length));
    }

    /** This period cut so that it ends no later than {@code limit} (a leaf must not outlive its CA). */
    public Validity endingNoLaterThan(Instant limit) {
        return notAfter.isAfter(limit) ? new Validity(notBefore, limit) : this;
    }
}
