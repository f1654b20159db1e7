package org.fedmed.core.strategy;

import java.util.List;
import org.fedmed.core.ModelParameters;

/**
 * What a strategy may know when it plans a round: the round number, the global model, the sites online, the run
 * seed, and the bound on any one site's influence that its aggregation and metric means must respect. The sites are
 * copied, unless they come as a {@link SortedSiteIds} view (immutable already), which is kept as it is.
 */
public record RoundContext(int round, ModelParameters global, List<String> availableSites, long seed,
                           InfluenceLimits influence) {
    public RoundContext {
        availableSites = availableSites instanceof SortedSiteIds ? availableSites : List.copyOf(availableSites);
        if (influence == null) {
            throw new IllegalArgumentException("round " + round + ": influence limits are required");
        }
    }

    /** A context with no influence bound (weights are the claimed counts). */
    public RoundContext(int round, ModelParameters global, List<String> availableSites, long seed) {
        this(round, global, availableSites, seed, InfluenceLimits.NONE);
    }
}
