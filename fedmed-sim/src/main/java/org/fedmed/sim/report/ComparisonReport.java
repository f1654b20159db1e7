package org.fedmed.sim.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code fedmed simulate}: the regimes' test metrics keyed by regime name
 * ({@code local}, {@code federated}, {@code centralized}, and {@code personalized} with personalization), the federated run log, the provenance, and the warnings
 * about the data (a site whose training rows hold one class, say), each naming the site. This is what
 * {@code results.json} holds. With FedPer or Ditto, {@code personalizedRun} is the log of the federated run behind
 * the {@code personalized} regime (its rounds, with each site's {@code personal_} metrics, and its final global
 * model), kept in memory for checks and not written to {@code results.json}; null otherwise.
 */
public record ComparisonReport(Provenance provenance, Map<String, RegimeResult> regimes, FederatedSummary federated,
                               List<String> warnings, @JsonIgnore FederatedSummary personalizedRun) {

    public ComparisonReport {
        warnings = List.copyOf(warnings);
    }

    /** A report without a personalized run. */
    public ComparisonReport(Provenance provenance, Map<String, RegimeResult> regimes, FederatedSummary federated,
                            List<String> warnings) {
        this(provenance, regimes, federated, warnings, null);
    }

    /** A report without warnings. */
    public ComparisonReport(Provenance provenance, Map<String, RegimeResult> regimes, FederatedSummary federated) {
        this(provenance, regimes, federated, List.of());
    }
}
