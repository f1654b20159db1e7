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
}
