package org.fedmed.sim.report;

import java.util.Map;

/**
 * The result of {@code fedmed simulate}: the three regimes' test metrics keyed by regime name
 * ({@code local}, {@code federated}, {@code centralized}), the federated run log, and the provenance.
 * This is what {@code results.json} holds.
 */
public record ComparisonReport(Provenance provenance, Map<String, RegimeResult> regimes, FederatedSummary federated) {
}
