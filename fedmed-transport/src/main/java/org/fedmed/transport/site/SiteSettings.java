package org.fedmed.transport.site;

import java.time.Duration;
import java.util.List;
import org.fedmed.transport.WireLimits;

/**
 * How a site connects.
 *
 * @param siteId               the id the site claims in Hello; must be the id its certificate maps to
 * @param limits               chunk size for results, max inbound message size, and the largest model it accepts
 * @param serverSilenceTimeout the site drops and redials a connection on which the server has been silent longer
 * @param backoff              reconnect delays
 * @param capabilities         feature names announced in Hello
 */
public record SiteSettings(String siteId, WireLimits limits, Duration serverSilenceTimeout, Backoff backoff,
                           List<String> capabilities) {

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
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    /** Default limits, a 60 s server silence timeout, default backoff, capabilities fit and evaluate. */
    public static SiteSettings of(String siteId) {
        return new SiteSettings(siteId, WireLimits.defaults(), Duration.ofSeconds(60), Backoff.defaults(),
                List.of("fit", "evaluate"));
    }

    public SiteSettings withLimits(WireLimits l) {
        return new SiteSettings(siteId, l, serverSilenceTimeout, backoff, capabilities);
    }

    public SiteSettings withBackoff(Backoff b) {
        return new SiteSettings(siteId, limits, serverSilenceTimeout, b, capabilities);
    }

    public SiteSettings withServerSilenceTimeout(Duration d) {
        return new SiteSettings(siteId, limits, d, backoff, capabilities);
    }
}
