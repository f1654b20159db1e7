package org.fedmed.sim.report;

import java.util.List;
import org.fedmed.core.engine.RoundRecord;

/** The federated regime's run log: every round's record and why the run stopped. */
public record FederatedSummary(String strategy, String stopReason, int roundsRun, List<RoundRecord> rounds) {
}
