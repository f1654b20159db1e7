package org.fedmed.sim.report;

import java.util.Map;
import org.fedmed.plan.SimulationConfig;

/**
 * Enough to reproduce a run: the full config (with defaults filled in), the seed, the dataset and the
 * SHA-256 of every file it was read from, the model spec, the rows each site trained and tested on, and the
 * software that ran it.
 */
public record Provenance(SimulationConfig config, long seed, String dataset, Map<String, String> datasetChecksums,
                         Map<String, Object> modelSpec, Map<String, Integer> trainRows, Map<String, Integer> testRows,
                         Map<String, Double> siteQuality, String fedmedVersion, String javaVersion, String startedAt) {
}
