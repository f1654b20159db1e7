package org.fedmed.ml.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.fedmed.core.objective.LossFamily;
import org.fedmed.core.objective.Objective;
import org.junit.jupiter.api.Test;

/** The survival objective's metrics plug into the objective seam with the C-index and Breslow loss of this package. */
class CoxMetricsTest {

    @Test
    void twoRowsGiveTheHandComputedCIndexAndBreslowLoss() {
        // row 0: event at 1, risk 0; row 1: censored at 2, risk ln 3. Row 0's risk set is both rows:
        // log(e^0 + e^ln3) - 0 = log 4; row 1 is censored and adds 0; per row log(4) / 2.
        // The one admissible pair (0 before 1) ranks row 1 riskier: discordant, so C = 0.
        Map<String, Double> m = new CoxMetrics().compute(new float[] {0f, (float) Math.log(3)},
                new float[] {1f, 1f, 2f, 0f});
        assertEquals(List.of("c_index", "cox_loss"), List.copyOf(m.keySet()));
        assertEquals(0.0, m.get("c_index"));
        assertEquals(Math.log(4) / 2, m.get("cox_loss"), 1e-7);
    }

    @Test
    void aTiedEventAndCensoringCountAsAPairAndEqualRisksAsHalf() {
        // event at 5 and censored at 5: admissible (a censored row is at risk at its own time); equal risks: 0.5
        Map<String, Double> m = new CoxMetrics().compute(new float[] {0.3f, 0.3f}, new float[] {5f, 1f, 5f, 0f});
        assertEquals(0.5, m.get("c_index"));
    }

    @Test
    void theSurvivalObjectiveDeclaresItsLayoutLossAndMetrics() {
        Objective.Survival survival = CoxMetrics.objective();
        assertEquals(survival, CoxMetrics.objective());
        assertEquals(LossFamily.PER_RISK_SET, survival.lossFamily());
        assertEquals(survival.watchedLoss(), survival.metrics().names().get(1));
        assertEquals(survival.headlineMetric(), survival.metrics().names().get(0));
        assertEquals(Map.of("c_index", "no admissible pair (no event before another row's time)"),
                survival.metrics().undefined(new float[] {3f, 0f, 4f, 0f}));
        assertEquals(Map.of(), survival.metrics().undefined(new float[] {3f, 1f, 4f, 0f}));
        var e = assertThrows(IllegalArgumentException.class,
                () -> survival.metrics().compute(new float[] {0f}, new float[] {1f, 2f}));
        assertEquals("survival metrics: row 0 has event flag 2.0, expected 1 (event) or 0 (censored)", e.getMessage());
    }
}
