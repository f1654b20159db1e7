package org.fedmed.sim.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.RoundRecord;

/**
 * The federated regime's run log: every round's record, why the run stopped, what privacy it spent (for a
 * differentially private run, else null), each site's own example-level epsilon under DP-SGD (else null), and
 * the final global model (kept in memory for export and checks; not
 * written to results.json).
 */
public record FederatedSummary(String strategy, String stopReason, String stopDetail, int roundsRun, List<RoundRecord> rounds,
                               @JsonIgnore ModelParameters finalModel, PrivacySummary privacy,
                               java.util.Map<String, Double> siteDpEpsilon) {

    /**
     * A warning when no round of the run aggregated an update (every round had too few usable results), naming the
     * first failure: the federated model is then the initial one, and its metrics say nothing about federation.
     */
    @JsonIgnore
    public java.util.Optional<String> noRoundAggregated() {
        if (rounds.isEmpty() || rounds.stream().anyMatch(RoundRecord::completed)) {
            return java.util.Optional.empty();
        }
        String first = rounds.stream().flatMap(r -> r.failures().stream()).findFirst()
                .map(f -> "first failure, round " + f.round() + ": " + f.describe())
                .orElse("no site delivered a result");
        return java.util.Optional.of("no federated round aggregated an update, so the federated model is the initial"
                + " one (" + first + ")");
    }
}
