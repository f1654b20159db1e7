package org.fedmed.sim.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one training regime (local-only, federated or centralized) did on the test data: metrics for each
 * site's test split, metrics on all test splits pooled, the number of test rows per site, the learning curve
 * (example-weighted test metrics after each round of E epochs) and the training wall time. A metric undefined at
 * a site (ROC AUC on test rows of one class, say) is absent from that site's metrics and present in
 * {@code undefined}, site (or {@code pooled}) to metric to the reason; it is never a silent NaN. For a regression,
 * {@code calibration} holds the pooled test rows' calibration bins ({@link CalibrationBin#of}); it is empty for the
 * other objectives and then left out of {@code results.json}.
 */
public record RegimeResult(String regime, Map<String, Map<String, Double>> sites, Map<String, Double> pooled,
                           Map<String, Integer> testRows, List<Map<String, Double>> curve, long wallMillis,
                           Map<String, Map<String, String>> undefined,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CalibrationBin> calibration) {

    /** The key of the pooled test rows in {@link #undefined()}. */
    public static final String POOLED = "pooled";

    public RegimeResult {
        undefined = Collections.unmodifiableMap(new LinkedHashMap<>(undefined));
        sites = Collections.unmodifiableMap(new LinkedHashMap<>(sites));
        pooled = Collections.unmodifiableMap(new LinkedHashMap<>(pooled));
        testRows = Collections.unmodifiableMap(new LinkedHashMap<>(testRows));
        curve = List.copyOf(curve);
        calibration = List.copyOf(calibration);
    }

    /** A result without calibration bins (a classification or survival regime). */
    public RegimeResult(String regime, Map<String, Map<String, Double>> sites, Map<String, Double> pooled,
                        Map<String, Integer> testRows, List<Map<String, Double>> curve, long wallMillis,
                        Map<String, Map<String, String>> undefined) {
        this(regime, sites, pooled, testRows, curve, wallMillis, undefined, List.of());
    }

    /** A result in which every metric is defined. */
    public RegimeResult(String regime, Map<String, Map<String, Double>> sites, Map<String, Double> pooled,
                        Map<String, Integer> testRows, List<Map<String, Double>> curve, long wallMillis) {
        this(regime, sites, pooled, testRows, curve, wallMillis, Map.of());
    }
}
