package org.fedmed.sim.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one training regime (local-only, federated or centralized) did on the test data: metrics for each
 * site's test split, metrics on all test splits pooled, the number of test rows per site, the learning curve
 * (example-weighted test metrics after each round of E epochs) and the training wall time.
 */
public record RegimeResult(String regime, Map<String, Map<String, Double>> sites, Map<String, Double> pooled,
                           Map<String, Integer> testRows, List<Map<String, Double>> curve, long wallMillis) {
    public RegimeResult {
        sites = Collections.unmodifiableMap(new LinkedHashMap<>(sites));
        pooled = Collections.unmodifiableMap(new LinkedHashMap<>(pooled));
        testRows = Collections.unmodifiableMap(new LinkedHashMap<>(testRows));
        curve = List.copyOf(curve);
    }
}
