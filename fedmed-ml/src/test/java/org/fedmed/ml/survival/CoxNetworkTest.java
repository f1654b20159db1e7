package org.fedmed.ml.survival;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalWork;
import org.fedmed.core.objective.LabelLayout;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.Trainer;
import org.fedmed.ml.TrainingResult;
import org.junit.jupiter.api.Test;

/**
 * The Cox model as a {@link org.fedmed.ml.Model} trains through the one trainer exactly as {@link CoxTrainer} trains
 * it: same batches, same risk sets, same coefficients bit for bit.
 */
class CoxNetworkTest {

    private static LabeledData labeled(SurvivalData d) {
        float[] labels = new float[2 * d.rows()];
        for (int r = 0; r < d.rows(); r++) {
            labels[2 * r] = (float) d.times()[r];
            labels[2 * r + 1] = d.events()[r] ? 1f : 0f;
        }
        return new LabeledData(d.features(), labels, d.rows(), d.cols(), 0, d.featureNames(),
                LabelLayout.TIME_AND_EVENT);
    }

    @Test
    void theOneTrainerReachesCoxTrainersCoefficientsBitForBitOverTwoFitsOfLocalSteps() {
        // times rounded to tenths, so that tied times occur and FLamby's loss depends on the batch order
        SurvivalData rows = SurvivalFixtures.cox(90, new double[] {0.8, -0.5, 0.2}, 3, 10, 11);
        LabeledData data = labeled(rows);
        for (CoxSpec spec : List.of(CoxSpec.flamby(), CoxSpec.breslow().withL2(0.01))) {
            CoxModel cox = new CoxModel(spec, 3);
            CoxNetwork network = new CoxNetwork(spec, 3, CoxMetrics.objective());
            FitConfig fit = new FitConfig(LocalWork.steps(25), 8, 0.05, false, 7);
            float[] expected = new float[3];
            float[] actual = new float[3];
            BatchCursor a = new BatchCursor();
            BatchCursor b = new BatchCursor();
            for (int round = 0; round < 2; round++) {
                TrainingResult e = CoxTrainer.train(cox, expected, rows, fit, a);
                TrainingResult r = Trainer.train(network, actual, data, fit, b);
                assertEquals(e.lastEpochLoss(), r.lastEpochLoss(), spec.loss() + " round " + round);
            }
            assertArrayEquals(expected, actual, spec.loss().key());
            assertFalse(java.util.Arrays.equals(new float[3], actual), "training moved the coefficients");
            float[] risk = network.predict(actual, data);
            double[] direct = cox.risk(actual, rows);
            for (int i = 0; i < risk.length; i++) {
                assertEquals((float) direct[i], risk[i], "row " + i + " predicts its linear predictor");
            }
        }
    }

    @Test
    void dataWithOneLabelPerRowIsRefusedNamingTheSurvivalLabel() {
        CoxNetwork network = new CoxNetwork(CoxSpec.breslow(), 2, CoxMetrics.objective());
        LabeledData target = new LabeledData(new float[4], new float[2], 2, 2, 0, List.of("a", "b"));
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(network, new float[2], target,
                new FitConfig(1, 2, 0.1, false, 1)));
        assertEquals("the model trains for objective survival, whose labels are laid out as TIME_AND_EVENT, but the"
                + " data's are TARGET", e.getMessage());
    }
}
