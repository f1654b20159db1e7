package org.fedmed.sim.report;

import java.util.List;
import java.util.Map;

/**
 * The result of {@code fedmed simulate}: the regimes' test metrics keyed by regime name
 * ({@code local}, {@code federated}, {@code centralized}, and {@code personalized} with personalization), the federated run log, the provenance, and the warnings
 * about the data (a site whose training rows hold one class, say), each naming the site. This is what
 * {@code results.json} holds.
 */
public record ComparisonReport(Provenance provenance, Map<String, RegimeResult> regimes, FederatedSummary federated,
                               List<String> warnings) {

    public ComparisonReport {
        warnings = List.copyOf(warnings);
    }

    /** A report without warnings. */
    public ComparisonReport(Provenance provenance, Map<String, RegimeResult> regimes, FederatedSummary federated) {
        this(provenance, regimes, federated, List.of());
    }
}
