package org.fedmed.sim.report;

import java.util.List;

/**
 * What a simulation over a population of virtual sites reports beside the regimes: the population's size and
 * source, its regions and whether aggregation went by region, the fixed sample of sites the global model was
 * evaluated on after each round (and the local-only and centralized baselines trained on), and for every round the
 * sites sampled and where the time went. Written to {@code results.json} as {@code population}.
 *
 * @param source the base dataset's name, or {@code wearable}
 * @param mix    how a site drawn from the dataset mixes labels ({@code iid}, {@code dirichlet}, {@code quantity},
 *               {@code classes}), or {@code wearable}
 */
public record PopulationSummary(long size, String source, String mix, int regions, boolean hierarchical,
                                List<String> evaluationSites, List<Round> rounds) {

    public PopulationSummary {
        evaluationSites = List.copyOf(evaluationSites);
        rounds = List.copyOf(rounds);
    }

    /**
     * One round: the sites sampled and those whose update was aggregated; the time spent building sites' data and
     * clients, training them and evaluating (each summed over sites, so over the pool's threads: up to the
     * parallelism times the wall time), in the aggregator (the server's fold, on the engine's thread), and the
     * round's wall time; and how many sites were built (sampled sites not found in the bounded cache).
     */
    public record Round(int round, int sampled, int aggregated, long buildMillis, long trainMillis,
                        long aggregateMillis, long evaluateMillis, long wallMillis, long sitesBuilt) {
    }
}
