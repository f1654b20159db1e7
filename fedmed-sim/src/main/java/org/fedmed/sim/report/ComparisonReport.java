package org.fedmed.sim.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.fedmed.core.objective.Objective;

/**
 * The result of {@code fedmed simulate}: the regimes' test metrics keyed by regime name
 * ({@code local}, {@code federated}, {@code centralized}, and {@code personalized} with personalization), the federated run log, the provenance, and the warnings
 * about the data (a site whose training rows hold one class, say), each naming the site. This is what
 * {@code results.json} holds. With FedPer or Ditto, {@code personalizedRun} is the log of the federated run behind
 * the {@code personalized} regime (its rounds, with each site's {@code personal_} metrics, and its final global
 * model), kept in memory for checks and not written to {@code results.json}; null otherwise.
 *
 * <p>With {@code site_dp} and a {@code personalized} regime, {@code personalizedSiteDpEpsilon} is each site's
 * example-level epsilon (at {@code site_dp.delta}) for all the training behind that regime: the FedPer or Ditto run's
 * fits (Ditto's personal model included), or for fine-tuning the {@code federated} run's fits and the fine-tuning
 * fit. It is written to {@code results.json} as {@code personalized_site_dp_epsilon}, and left out (null) otherwise.
 *
 * <p>{@code objective} is what the regimes' models were trained to predict; it names the metrics the table, the CSV
 * and the plots show (and which loss and score the curves plot). It is not written to {@code results.json}, whose
 * metric names already say it.
 *
 * <p>For a simulation over a population of virtual sites, {@code population} says its size, the sites sampled per
 * round and each round's time split into building sites, training and aggregating; the regimes' per-site metrics
 * are then those of the population's evaluation sample. Null, and left out of {@code results.json}, otherwise.
 */
public record ComparisonReport(Provenance provenance, Map<String, RegimeResult> regimes, FederatedSummary federated,
                               List<String> warnings, @JsonIgnore FederatedSummary personalizedRun,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> personalizedSiteDpEpsilon,
                               @JsonIgnore Objective objective,
                               @JsonInclude(JsonInclude.Include.NON_NULL) PopulationSummary population) {

    public ComparisonReport {
        if (objective == null) {
            throw new IllegalArgumentException("comparison report: 'objective' is required");
        }
        warnings = List.copyOf(warnings);
        personalizedSiteDpEpsilon = personalizedSiteDpEpsilon == null ? null
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(personalizedSiteDpEpsilon));
    }

    /** A report over a dataset's own sites (no population). */
    public ComparisonReport(Provenance provenance, Map<String, RegimeResult> regimes, FederatedSummary federated,
                            List<String> warnings, FederatedSummary personalizedRun,
                            Map<String, Double> personalizedSiteDpEpsilon, Objective objective) {
        this(provenance, regimes, federated, warnings, personalizedRun, personalizedSiteDpEpsilon, objective, null);
    }

    /** A report without warnings, personalized run or site DP. */
    public ComparisonReport(Provenance provenance, Map<String, RegimeResult> regimes, FederatedSummary federated,
                            Objective objective) {
        this(provenance, regimes, federated, List.of(), null, null, objective);
    }
}
