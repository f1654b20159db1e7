package org.fedmed.core.strategy;

import java.util.List;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.exchange.SiteExchange;

/**
 * What a strategy may know when it plans a round: the round number, the global model, the sites online, the run
 * seed, the bound on any one site's influence that its aggregation and metric means must respect, and the pool's
 * channel for the later stages of a round that needs several exchanges with each site (a secure sum's). The sites are
 * copied, unless they come as a {@link SortedSiteIds} view (immutable already), which is kept as it is.
 */
public record RoundContext(int round, ModelParameters global, List<String> availableSites, long seed,
                           InfluenceLimits influence, SiteExchange exchange) {
    public RoundContext {
        availableSites = availableSites instanceof SortedSiteIds ? availableSites : List.copyOf(availableSites);
        if (influence == null) {
            throw new IllegalArgumentException("round " + round + ": influence limits are required");
        }
        if (exchange == null) {
            throw new IllegalArgumentException("round " + round + ": the site exchange is required"
                    + " (SiteExchange.NONE for none)");
        }
    }

    /** A context whose pool carries no multi-exchange round. */
    public RoundContext(int round, ModelParameters global, List<String> availableSites, long seed,
                        InfluenceLimits influence) {
        this(round, global, availableSites, seed, influence, SiteExchange.NONE);
    }

    /** A context with no influence bound (weights are the claimed counts). */
    public RoundContext(int round, ModelParameters global, List<String> availableSites, long seed) {
        this(round, global, availableSites, seed, InfluenceLimits.NONE);
    }
}
