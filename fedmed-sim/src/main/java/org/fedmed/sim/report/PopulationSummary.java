package org.fedmed.sim.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.fedmed.sim.SimulationEngine;

/**
 * What a simulation over a population of virtual sites reports beside the regimes: the population's size and
 * source, its regions and whether aggregation went by region, the engine its federated regime ran on (and for Spark
 * the master URL, so a run says afterwards whether it ran embedded or on which cluster), the fixed sample of sites the global model was
 * evaluated on after each round (and the local-only and centralized baselines trained on), and for every round the
 * sites sampled and where the time went. Written to {@code results.json} as {@code population}.
 *
 * @param source the base dataset's name, or {@code wearable}
 * @param mix    how a site drawn from the dataset mixes labels ({@code iid}, {@code dirichlet}, {@code quantity},
 *               {@code classes}), or {@code wearable}
 * @param engine the engine the federated regime ran on ({@code in-process} or {@code spark} in the JSON)
 * @param master for Spark the master URL ({@code local[N]} or {@code spark://HOST:PORT}); empty, and left out of the
 *               JSON, in process
 */
public record PopulationSummary(long size, String source, String mix, int regions, boolean hierarchical,
                                SimulationEngine engine, @JsonInclude(JsonInclude.Include.NON_EMPTY) String master,
                                List<String> evaluationSites, List<Round> rounds) {

    public PopulationSummary {
        if (engine == null || master == null) {
            throw new IllegalArgumentException("a population summary needs an engine and a master (empty in"
                    + " process), got " + engine + ", " + master);
        }
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
