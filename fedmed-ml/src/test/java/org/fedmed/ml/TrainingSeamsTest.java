package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.junit.jupiter.api.Test;

/** The trainer's two seams and the site's training mode: what each step takes from them, and in which order. */
class TrainingSeamsTest {

    /** A gradient seam that writes a constant gradient and records the batches it was given. */
    static final class ConstantGradient implements GradientSource {
        final float value;
        final List<int[]> batches = new ArrayList<>();
        final List<Integer> expected = new ArrayList<>();

        ConstantGradient(float value) {
            this.value = value;
        }

        @Override
        public double lossSum(Model model, float[] params, LabeledData data, MiniBatches batch,
                              Model.Workspace workspace, SplittableRandom dropout, float[] grad) {
            batches.add(Arrays.copyOfRange(batch.rows(), batch.from(), batch.from() + batch.count()));
            expected.add(batch.expectedSize());
            Arrays.fill(grad, value);
            return batch.count();
        }
    }

    @Test
    void theStepTakesTheSeamsGradientWithTheProximalTermAddedAfterIt() {
        // plain SGD at lr 0.5 with a gradient of 1 everywhere and mu 0.8:
        // step 1: w1 = w0 - 0.5 (1 + 0.8 * 0) = w0 - 0.5; step 2: w2 = w1 - 0.5 (1 + 0.8 * (-0.5)) = w1 - 0.3
        ConstantGradient one = new ConstantGradient(1f);
        FitConfig fit = new FitConfig(LocalWork.steps(2), 3, 0.5, false, 7)
                .withTerms(List.of(new LocalTerm.Proximal(0.8)));
        float[] params = ProximalTermTest.GLOBAL.clone();
        TrainingResult r = Trainer.train(ProximalTermTest.LOGISTIC, params, ProximalTermTest.TINY, fit,
                new BatchCursor(), params, new TrainingSeams(one, BatchSampler.SHUFFLED));
        for (int i = 0; i < params.length; i++) {
            assertEquals(ProximalTermTest.GLOBAL[i] - 0.8, params[i], 1e-6, "parameter " + i);
        }
        assertEquals(2, r.steps());
        assertEquals(1.0, r.lastEpochLoss(), "the mean of the seam's per-example losses (1 each)");
    }

    @Test
    void poissonBatchesAreTheDocumentedDrawsAndAnEpochIsCeilNOverBSteps() {
        LabeledData data = SyntheticData.blobs(50, 3, 2, 1);
        Model model = Models.build(ModelSpec.logistic(), 3, 2);
        ConstantGradient zero = new ConstantGradient(0f);
        Trainer.train(model, model.init(1).copyFlat(), data, new FitConfig(LocalWork.epochs(2), 8, 0.1, false, 21),
                new BatchCursor(), model.init(1).copyFlat(), new TrainingSeams(zero, BatchSampler.POISSON));
        assertEquals(2 * 7, zero.batches.size(), "2 epochs of ceil(50 / 8) steps");
        SplittableRandom rng = new SplittableRandom(21);
        rng.split();
        int[] out = new int[50];
        for (int[] batch : zero.batches) {
            int count = PoissonBatches.sample(out, 50, 8.0 / 50, rng);
            assertArrayEquals(Arrays.copyOf(out, count), batch);
        }
        assertTrue(zero.expected.stream().allMatch(e -> e == 8), "Poisson batches aim at B: " + zero.expected);
        assertFalse(zero.batches.stream().allMatch(b -> b.length == 8), "Poisson batch sizes vary");
    }

    @Test
    void shuffledBatchesOfAnEpochsFitAreThePassesOfAFreshCursorAndLeaveTheSitesCursorAlone() {
        LabeledData data = SyntheticData.blobs(10, 3, 2, 1);
        Model model = Models.build(ModelSpec.logistic(), 3, 2);
        ConstantGradient zero = new ConstantGradient(0f);
        BatchCursor site = new BatchCursor();
        Trainer.train(model, model.init(1).copyFlat(), data, new FitConfig(LocalWork.epochs(2), 4, 0.1, false, 11),
                site, model.init(1).copyFlat(), new TrainingSeams(zero, BatchSampler.SHUFFLED));
        assertFalse(site.started(), "an epochs fit does not move the site's cursor");
        BatchCursor fresh = new BatchCursor();
        fresh.start(10, 11);
        for (int[] batch : zero.batches) {
            int count = fresh.advance(4);
            assertArrayEquals(Arrays.copyOfRange(fresh.order(), fresh.batchStart(), fresh.batchStart() + count), batch);
        }
        assertEquals(List.of(4, 4, 2, 4, 4, 2), zero.expected, "a shuffled batch's expected size is its own size");
    }

    @Test
    void theSitesModeAdmitsEachFitBeforeTrainingAndItsMetricsAreWhatTheSiteSends() {
        List<String> calls = new ArrayList<>();
        ConstantGradient zero = new ConstantGradient(0f);
        SiteTraining mode = new SiteTraining() {
            @Override
            public void admit(String siteId, FitTask task, int trainRows) {
                calls.add("admit " + siteId + " " + task.round() + " " + trainRows);
                if (task.round() == 2) {
                    throw new IllegalArgumentException("site '" + siteId + "': round 2 refused");
                }
            }

            @Override
            public TrainingSeams seams(Model model, FitTask task) {
                calls.add("seams " + task.round());
                return new TrainingSeams(zero, BatchSampler.SHUFFLED);
            }

            @Override
            public Map<String, Double> completed(FitTask task, int trainRows, TrainingResult result) {
                calls.add("completed " + task.round() + " " + result.steps());
                return Map.of("steps", (double) result.steps());
            }
        };
        LabeledData data = SyntheticData.blobs(10, 3, 2, 1);
        Model model = Models.build(ModelSpec.logistic(), 3, 2);
        TrainingSiteClient site = new TrainingSiteClient("lyon", model, data, data, 1.0, mode);
        FitConfig fit = new FitConfig(LocalWork.steps(3), 4, 0.1, false, 5);
        FitResult first = site.fit(new FitTask(1, "lyon", model.init(1), fit));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> site.fit(new FitTask(2, "lyon", model.init(1), fit)));
        assertEquals("site 'lyon': round 2 refused", refused.getMessage(), "the mode's refusal reaches the caller");
        assertEquals(List.of("admit lyon 1 10", "seams 1", "completed 1 3", "admit lyon 2 10"), calls);
        assertEquals(Map.of("steps", 3.0), first.trainMetrics());
        assertEquals(3, zero.batches.size(), "the refused fit took no step");
        assertSame(TrainingSeams.PLAIN, SiteTraining.PLAIN.seams(model, new FitTask(1, "lyon", model.init(1), fit)));
    }
}
