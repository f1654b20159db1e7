package org.fedmed.transport.site;

import java.time.Duration;
import java.util.List;
import org.fedmed.transport.DefinitionReport;
import org.fedmed.transport.WireLimits;

/**
 * How a site connects.
 *
 * @param siteId               the id the site claims in Hello; must be the id its certificate maps to
 * @param limits               chunk size for results, max inbound message size, and the largest model it accepts
 * @param serverSilenceTimeout the site drops and redials a connection on which the server has been silent longer
 * @param backoff              reconnect delays
 * @param dialTimeout          a dial that has not been welcomed by the server within this time (connect, TLS
 *                             handshake, Hello and Welcome) is given up and retried after the backoff
 * @param capabilities         feature names announced in Hello
 * @param definition           the site's dataset definition fingerprint, reported in Hello; null reports none
 */
public record SiteSettings(String siteId, WireLimits limits, Duration serverSilenceTimeout, Backoff backoff,
                           Duration dialTimeout, List<String> capabilities, DefinitionReport definition) {

    public SiteSettings {
        if (siteId == null || siteId.isBlank()) {
            throw new IllegalArgumentException("site_id must not be blank");
        }
        if (limits == null || backoff == null) {
            throw new IllegalArgumentException("site '" + siteId + "': limits and backoff are required");
        }
        if (serverSilenceTimeout == null || serverSilenceTimeout.isNegative() || serverSilenceTimeout.isZero()) {
            throw new IllegalArgumentException("site '" + siteId + "': server_silence_timeout must be positive, got "
                    + serverSilenceTimeout);
        }
        if (dialTimeout == null || dialTimeout.isNegative() || dialTimeout.isZero()) {
            throw new IllegalArgumentException("site '" + siteId + "': dial_timeout must be positive, got " + dialTimeout);
        }
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    /**
     * Default limits, a 60 s server silence timeout, default backoff (at most 10 s), a 10 s dial timeout,
     * capabilities fit and evaluate.
     */
    public static SiteSettings of(String siteId) {
        return new SiteSettings(siteId, WireLimits.defaults(), Duration.ofSeconds(60), Backoff.defaults(),
                Duration.ofSeconds(10), List.of("fit", "evaluate"), null);
    }

    /**
     * The longest a site that has seen its connection fail stays away from a server that is listening again and
     * reachable: a dial in progress ends within the dial timeout, the wait before the next dial is at most the
     * backoff's cap, and that dial is welcomed within the dial timeout. With the defaults, 10 + 10 + 10 = 30 s.
     */
    public Duration reconnectBound() {
        return dialTimeout.multipliedBy(2).plus(backoff.max());
    }

    public SiteSettings withLimits(WireLimits l) {
        return new SiteSettings(siteId, l, serverSilenceTimeout, backoff, dialTimeout, capabilities, definition);
    }

    public SiteSettings withBackoff(Backoff b) {
        return new SiteSettings(siteId, limits, serverSilenceTimeout, b, dialTimeout, capabilities, definition);
    }

    public SiteSettings withServerSilenceTimeout(Duration d) {
        return new SiteSettings(siteId, limits, d, backoff, dialTimeout, capabilities, definition);
    }

    public SiteSettings withDialTimeout(Duration d) {
        return new SiteSettings(siteId, limits, serverSilenceTimeout, backoff, d, capabilities, definition);
    }

    /** These settings, reporting {@code d} as the site's dataset definition in Hello. */
    public SiteSettings withDefinition(DefinitionReport d) {
        return new SiteSettings(siteId, limits, serverSilenceTimeout, backoff, dialTimeout, capabilities, d);
    }
}
