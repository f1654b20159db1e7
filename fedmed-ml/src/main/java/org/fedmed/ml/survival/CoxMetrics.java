package org.fedmed.ml.survival;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.objective.LabelLayout;
import org.fedmed.core.objective.MetricsComputer;
import org.fedmed.core.objective.Objective;

/**
 * The metrics of the survival objective, for a Cox model's predicted risks on rows laid out as
 * {@link LabelLayout#TIME_AND_EVENT} (per row the time, then 1 for an observed event or 0 for censoring):
 * Harrell's C-index ({@value Objective.Survival#C_INDEX}, counted as {@link ConcordanceIndex} counts it, ties as in
 * lifelines) and the Breslow negative log partial likelihood per row ({@value Objective.Survival#LOSS}, the risk sets
 * formed from these rows only, as {@link CoxModel#negLogPartialLikelihood} forms them). The prediction of a row is
 * its linear predictor beta^T x (higher means shorter survival). A site's C-index uses only its own pairs, so a
 * pooled figure from sites' values is a C-index within sites (docs/survival.md).
 */
public record CoxMetrics() implements MetricsComputer {

    /** The survival objective with these metrics. */
    public static Objective.Survival objective() {
        return new Objective.Survival(new CoxMetrics());
    }

    @Override
    public List<String> names() {
        return List.of(Objective.Survival.C_INDEX, Objective.Survival.LOSS);
    }

    @Override
    public Map<String, Double> compute(float[] predictions, float[] labels) {
        SurvivalData rows = rows(predictions, labels);
        double[] risk = new double[rows.rows()];
        for (int i = 0; i < risk.length; i++) {
            risk[i] = predictions[i];
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(Objective.Survival.C_INDEX, ConcordanceIndex.of(rows.times(), rows.events(), risk));
        m.put(Objective.Survival.LOSS, rows.rows() == 0 ? Double.NaN
                : CoxModel.negLogPartialLikelihood(risk, rows.times(), rows.events()) / rows.rows());
        return m;
    }

    @Override
    public Map<String, String> undefined(float[] labels) {
        Map<String, String> out = new LinkedHashMap<>();
        if (labels.length == 0) {
            names().forEach(n -> out.put(n, "no test rows"));
            return out;
        }
        SurvivalData rows = rows(new float[labels.length / 2], labels);
        if (ConcordanceIndex.counts(rows.times(), rows.events(), new double[rows.rows()]).pairs() == 0) {
            out.put(Objective.Survival.C_INDEX, "no admissible pair (no event before another row's time)");
        }
        return out;
    }

    private static SurvivalData rows(float[] predictions, float[] labels) {
        int width = LabelLayout.TIME_AND_EVENT.width();
        if (labels.length != predictions.length * width) {
            throw new IllegalArgumentException("survival metrics: " + labels.length + " label values for "
                    + predictions.length + " predictions, expected " + width + " per row (time, event)");
        }
        int n = predictions.length;
        double[] times = new double[n];
        boolean[] events = new boolean[n];
        for (int i = 0; i < n; i++) {
            times[i] = labels[i * width];
            float e = labels[i * width + 1];
            if (e != 0f && e != 1f) {
                throw new IllegalArgumentException("survival metrics: row " + i + " has event flag " + e
                        + ", expected 1 (event) or 0 (censored)");
            }
            events[i] = e == 1f;
        }
        return new SurvivalData(predictions.clone(), times, events, n, 1, List.of("risk"));
    }
}
