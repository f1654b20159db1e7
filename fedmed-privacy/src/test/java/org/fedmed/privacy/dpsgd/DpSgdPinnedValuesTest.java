package org.fedmed.privacy.dpsgd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.OptimizerSpec;
import org.fedmed.privacy.NoiseSource;
import org.junit.jupiter.api.Test;

/**
 * DP-SGD's results pinned to literal values: parameters (a hash of every float's bits and two values), loss and
 * clipped share, recorded for fixed seeds from the DP-SGD loop as it was before it became a configuration of the
 * one site trainer, so any change to its arithmetic, its sampling or the order of its random draws fails here.
 * The cases cover both samplings, both kinds of local work, dropout, L2, Adam and the proximal term.
 */
class DpSgdPinnedValuesTest {

    private static final LabeledData DATA = Blobs.of(90, 4, 11);
    private static final Model MLP = Models.build(ModelSpec.mlp(6).withDropout(0.2).withL2(1e-3)
            .withOptimizer(OptimizerSpec.adam()), 4, 2);

    private static DpSgdConfig dp(BatchSampling sampling) {
        return new DpSgdConfig(0.7, 1.1, sampling, 1e-5, Double.POSITIVE_INFINITY);
    }

    private static FitConfig fit(LocalWork work, long seed) {
        return new FitConfig(work, 16, 0.05, false, seed).withTerms(List.of(new LocalTerm.Proximal(0.3)));
    }

    private static void assertPinned(float[] params, DpSgdResult result, int hash, float first, float last,
                                     double loss, double clipped) {
        assertEquals(hash, Arrays.hashCode(params), "hash of the parameters' bits");
        assertEquals(first, params[0]);
        assertEquals(last, params[params.length - 1]);
        assertEquals(loss, result.lastEpochLoss());
        assertEquals(clipped, result.clippedFraction());
    }

    @Test
    void poissonEpochsGiveThePinnedParameters() {
        float[] params = MLP.init(5).copyFlat();
        DpSgdResult r = DpSgdTrainer.train(MLP, params, DATA, fit(LocalWork.epochs(2), 31), dp(BatchSampling.POISSON),
                NoiseSource.seeded(9), new BatchCursor());
        assertEquals(12, r.steps());
        assertPinned(params, r, -597558862, -0.51280546f, -0.059022136f, 0.5279322919919415, 0.6137566137566137);
    }

    @Test
    void shuffledEpochsGiveThePinnedParameters() {
        float[] params = MLP.init(5).copyFlat();
        DpSgdResult r = DpSgdTrainer.train(MLP, params, DATA, fit(LocalWork.epochs(2), 31), dp(BatchSampling.SHUFFLE),
                NoiseSource.seeded(9), new BatchCursor());
        assertEquals(12, r.steps());
        assertPinned(params, r, 1234435597, -0.45683345f, -0.044461425f, 0.39250719027017644, 0.65);
    }

    @Test
    void poissonStepsGiveThePinnedParameters() {
        float[] params = MLP.init(5).copyFlat();
        DpSgdResult r = DpSgdTrainer.train(MLP, params, DATA, fit(LocalWork.steps(9), 32), dp(BatchSampling.POISSON),
                NoiseSource.seeded(9), new BatchCursor());
        assertEquals(9, r.steps());
        assertPinned(params, r, 782520998, -0.38149744f, 0.021334786f, 0.9393298494458662, 0.7034482758620689);
    }

    @Test
    void shuffledStepsOverTwoFitsOfOneCursorGiveThePinnedParameters() {
        float[] params = MLP.init(5).copyFlat();
        BatchCursor cursor = new BatchCursor();
        DpSgdTrainer.train(MLP, params, DATA, fit(LocalWork.steps(4), 33), dp(BatchSampling.SHUFFLE),
                NoiseSource.seeded(9), cursor);
        DpSgdResult r = DpSgdTrainer.train(MLP, params, DATA, fit(LocalWork.steps(5), 34), dp(BatchSampling.SHUFFLE),
                NoiseSource.seeded(9), cursor);
        assertEquals(2, cursor.passes(), "90 rows in batches of 16 are 6 steps a pass: 4 + 5 steps reach pass 2");
        assertEquals(3 * 16, cursor.position());
        assertPinned(params, r, -813258059, -0.24341106f, -0.26338285f, 0.3952121135615143, 0.5);
    }

    @Test
    void aBatchLargerThanTheDataTakesEveryRowAndGivesThePinnedParameters() {
        Model logistic = Models.build(ModelSpec.logistic(), 4, 2);
        float[] params = logistic.init(2).copyFlat();
        DpSgdResult r = DpSgdTrainer.train(logistic, params, DATA, 3, 500, 0.2, 7, dp(BatchSampling.POISSON),
                NoiseSource.seeded(4));
        assertEquals(1.0, r.samplingRate());
        assertPinned(params, r, 1386399791, 0.27234936f, -0.0039513703f, 0.09993566267602255, 0.037037037037037035);
    }

    @Test
    void aSiteFitGivesThePinnedUpdateAndEpsilon() {
        DpSgdSiteClient site = new DpSgdSiteClient("clinic", MLP, DATA, Blobs.of(30, 4, 12), 1.0,
                dp(BatchSampling.POISSON), NoiseSource.seeded(2));
        site.fit(new FitTask(1, "clinic", MLP.init(5), fit(LocalWork.steps(5), 41)));
        FitConfig delta = new FitConfig(LocalWork.epochs(1), 16, 0.05, true, 42)
                .withTerms(List.of(new LocalTerm.Proximal(0.3)));
        FitResult second = site.fit(new FitTask(2, "clinic", MLP.init(5), delta));
        float[] update = second.parameters().flat();
        assertEquals(1863387503, Arrays.hashCode(update));
        assertEquals(-0.26842934f, update[0]);
        assertEquals(0.059843764f, update[update.length - 1]);
        assertEquals(4.58336842575528, second.trainMetrics().get("dp_epsilon"));
    }
}
