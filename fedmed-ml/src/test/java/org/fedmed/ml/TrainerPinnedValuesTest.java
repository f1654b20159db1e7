package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.junit.jupiter.api.Test;

/**
 * Plain training's results pinned to literal values: parameters (a hash of every float's bits and two values) and
 * loss, recorded for fixed seeds from the trainer as it was before its gradient and batches became seams, so any
 * change to its arithmetic or the order of its random draws fails here. The cases cover both kinds of local work,
 * dropout, L2, Adam, the proximal term with another anchor, and a Ditto site.
 */
class TrainerPinnedValuesTest {

    private static final LabeledData DATA = SyntheticData.blobs(90, 4, 3, 11);
    private static final Model MLP = Models.build(ModelSpec.mlp(6).withDropout(0.2).withL2(1e-3)
            .withOptimizer(OptimizerSpec.adam()), 4, 3);

    private static FitConfig fit(LocalWork work, long seed) {
        return new FitConfig(work, 16, 0.05, false, seed).withTerms(List.of(new LocalTerm.Proximal(0.3)));
    }

    private static void assertPinned(float[] params, TrainingResult result, int hash, float first, float last,
                                     double loss) {
        assertEquals(hash, Arrays.hashCode(params), "hash of the parameters' bits");
        assertEquals(first, params[0]);
        assertEquals(last, params[params.length - 1]);
        assertEquals(loss, result.lastEpochLoss());
    }

    @Test
    void epochsGiveThePinnedParameters() {
        float[] params = MLP.init(5).copyFlat();
        TrainingResult r = Trainer.train(MLP, params, DATA, fit(LocalWork.epochs(3), 31));
        assertEquals(18, r.steps());
        assertPinned(params, r, -286858287, -0.49534017f, 0.11068848f, 0.24755931615164972);
    }

    @Test
    void stepsOverTwoFitsOfOneCursorWithAnotherAnchorGiveThePinnedParameters() {
        float[] params = MLP.init(5).copyFlat();
        float[] anchor = MLP.init(6).copyFlat();
        BatchCursor cursor = new BatchCursor();
        Trainer.train(MLP, params, DATA, fit(LocalWork.steps(4), 33), cursor, anchor);
        TrainingResult r = Trainer.train(MLP, params, DATA, fit(LocalWork.steps(5), 34), cursor, anchor);
        assertEquals(2, cursor.passes());
        assertPinned(params, r, 296511195, -0.09839952f, 0.2693652f, 0.6911090289845256);
    }

    @Test
    void aDittoSiteGivesThePinnedUpdateAndPersonalModel() {
        TrainingSiteClient site = new TrainingSiteClient("lyon", MLP, DATA, SyntheticData.blobs(30, 4, 3, 12), 1.0);
        FitConfig ditto = new FitConfig(LocalWork.steps(7), 16, 0.05, true, 41)
                .withTerms(List.of(new LocalTerm.Ditto(0.5)));
        site.fit(new FitTask(1, "lyon", MLP.init(5), ditto));
        FitResult second = site.fit(new FitTask(2, "lyon", MLP.init(5), ditto.withSeed(42)));
        float[] update = second.parameters().flat();
        float[] personal = site.personalParameters(MLP.init(5));
        assertEquals(933484100, Arrays.hashCode(update));
        assertEquals(-0.30050957f, update[0]);
        assertEquals(269270765, Arrays.hashCode(personal));
        assertEquals(1.383176178573109, second.trainMetrics().get("loss"));
    }
}
