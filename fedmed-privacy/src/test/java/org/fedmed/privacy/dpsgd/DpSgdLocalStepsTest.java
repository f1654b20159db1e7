package org.fedmed.privacy.dpsgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalWork;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;

class DpSgdLocalStepsTest {

    private static final LabeledData TRAIN = Blobs.of(200, 4, 5);
    private static final LabeledData TEST = Blobs.of(50, 4, 6);
    private static final Model MODEL = Models.build(ModelSpec.logistic(), 4, 2);

    @Test
    void aStepsFitComposesExactlyItsStepsIntoTheSiteAccount() {
        DpSgdConfig dp = DpSgdConfig.of(1.0, 1.3, 1e-5);
        DpSgdSiteClient site = new DpSgdSiteClient("clinic", MODEL, TRAIN, TEST, 1.0, dp, NoiseSource.seeded(1));
        FitConfig sevenSteps = new FitConfig(LocalWork.steps(7), 16, 0.1, false, 101);
        site.fit(new FitTask(1, "clinic", MODEL.init(3), sevenSteps));
        site.fit(new FitTask(2, "clinic", MODEL.init(3), sevenSteps.withSeed(102)));
        assertEquals(new RdpAccountant().step(16.0 / 200, 1.3, 14).epsilon(1e-5), site.privacySpent());
        assertEquals(7, DpSgdTrainer.stepsFor(200, LocalWork.steps(7), 16));
        assertEquals(26, DpSgdTrainer.stepsFor(200, LocalWork.epochs(2), 16));
    }

    @Test
    void shuffledStepsSplitOverTwoFitsEqualTheSameStepsInOneFit() {
        DpSgdConfig dp = new DpSgdConfig(1.0, 0.8, BatchSampling.SHUFFLE, 1e-5, Double.POSITIVE_INFINITY);
        // 200 rows in batches of 16 is 13 steps per pass: 9 + 9 steps cross into the second pass
        float[] split = MODEL.init(4).copyFlat();
        BatchCursor cursor = new BatchCursor();
        DpSgdResult first = DpSgdTrainer.train(MODEL, split, TRAIN, new FitConfig(LocalWork.steps(9), 16, 0.1, false, 7),
                dp, NoiseSource.seeded(1), cursor);
        float[] afterFirst = split.clone();
        DpSgdTrainer.train(MODEL, split, TRAIN, new FitConfig(LocalWork.steps(9), 16, 0.1, false, 8), dp,
                NoiseSource.seeded(1), cursor);
        assertEquals(9, first.steps());
        assertEquals(2, cursor.passes());
        assertEquals(5 * 16, cursor.position());
        assertFalse(Arrays.equals(afterFirst, split), "the second fit trained");

        // with noise 0 and no dropout the update depends only on the batches, so the split run equals one run of 18
        DpSgdConfig noiseless = new DpSgdConfig(1.0, 0.0, BatchSampling.SHUFFLE, 1e-5, Double.POSITIVE_INFINITY);
        float[] twoFits = MODEL.init(4).copyFlat();
        BatchCursor c2 = new BatchCursor();
        DpSgdTrainer.train(MODEL, twoFits, TRAIN, new FitConfig(LocalWork.steps(9), 16, 0.1, false, 7), noiseless,
                NoiseSource.seeded(1), c2);
        DpSgdTrainer.train(MODEL, twoFits, TRAIN, new FitConfig(LocalWork.steps(9), 16, 0.1, false, 8), noiseless,
                NoiseSource.seeded(1), c2);
        float[] oneFit = MODEL.init(4).copyFlat();
        DpSgdTrainer.train(MODEL, oneFit, TRAIN, new FitConfig(LocalWork.steps(18), 16, 0.1, false, 7), noiseless,
                NoiseSource.seeded(1), new BatchCursor());
        assertArrayEquals(oneFit, twoFits);
    }
}
