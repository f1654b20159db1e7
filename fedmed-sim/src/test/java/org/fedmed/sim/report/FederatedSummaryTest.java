package org.fedmed.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.junit.jupiter.api.Test;

class FederatedSummaryTest {

    private static RoundRecord round(int r, boolean completed) {
        return new RoundRecord(r, List.of("a", "b"), completed ? List.of("a", "b") : List.of(), completed ? List.of()
                : List.of(new SiteFailure(r, "a", SiteFailure.Kind.ERROR, "refused: plain local SGD only")), completed,
                Map.of(), Map.of(), Map.of(), 5);
    }

    private static FederatedSummary of(List<RoundRecord> rounds) {
        return new FederatedSummary("scaffold", "round_budget", "ran", rounds.size(), rounds, null, null, Map.of());
    }

    @Test
    void aRunThatNeverAggregatedIsWarnedAboutNamingTheFirstFailure() {
        assertEquals(Optional.of("no federated round aggregated an update, so the federated model is the initial one"
                        + " (first failure, round 1: site 'a' error: refused: plain local SGD only)"),
                of(List.of(round(1, false), round(2, false))).noRoundAggregated());
    }

    @Test
    void oneAggregatedRoundIsEnoughAndNoRoundsSayNothing() {
        assertTrue(of(List.of(round(1, false), round(2, true))).noRoundAggregated().isEmpty());
        assertTrue(of(List.of()).noRoundAggregated().isEmpty());
    }
}
