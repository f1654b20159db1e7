package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.junit.jupiter.api.Test;

class LocalStepsTest {

    /** Batch 4 over 10 rows: the first fit's seed is 11, the second fit's 12. */
    private static final FitConfig THREE_STEPS = new FitConfig(LocalWork.steps(3), 4, 0.1, false, 11);

    @Test
    void roundTwoContinuesTheShuffledOrderOfRoundOneWithSmallerLastBatchOfEachPass() {
        LabeledData data = TrainingSiteClientTest.data(5, 10);
        RecordingModel model = new RecordingModel(Models.build(ModelSpec.logistic(), data.cols(), 2));
        TrainingSiteClient site = new TrainingSiteClient("a", model, data, data, 1);
        ModelParameters global = model.init(1);

        site.fit(new FitTask(1, "a", global, THREE_STEPS));
        List<int[]> round1 = model.takeBatches();
        site.fit(new FitTask(2, "a", global, THREE_STEPS.withSeed(12)));
        List<int[]> round2 = model.takeBatches();

        // pass 1 of SplittableRandom(11) after one split(): [9, 2, 7, 1, 4, 3, 5, 0, 6, 8]; pass 2 shuffles it again
        assertBatches(List.of(new int[] {9, 2, 7, 1}, new int[] {4, 3, 5, 0}, new int[] {6, 8}), round1);
        assertBatches(List.of(new int[] {0, 3, 1, 5}, new int[] {9, 7, 8, 2}, new int[] {4, 6}), round2);
        // the same sequence from the documented recipe, computed independently of the trainer
        SplittableRandom rng = new SplittableRandom(11);
        rng.split();
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Trainer.shuffle(order, rng);
        assertArrayEquals(order, concat(round1));
        Trainer.shuffle(order, rng);
        assertArrayEquals(order, concat(round2));
    }

    @Test
    void aFitThatStopsMidPassLeavesTheNextFitTheRestOfThatPass() {
        LabeledData data = TrainingSiteClientTest.data(5, 10);
        RecordingModel model = new RecordingModel(Models.build(ModelSpec.logistic(), data.cols(), 2));
        TrainingSiteClient site = new TrainingSiteClient("a", model, data, data, 1);
        FitConfig twoSteps = THREE_STEPS.withWork(LocalWork.steps(2));

        site.fit(new FitTask(1, "a", model.init(1), twoSteps));
        List<int[]> round1 = model.takeBatches();
        site.fit(new FitTask(2, "a", model.init(1), twoSteps.withSeed(12)));
        List<int[]> round2 = model.takeBatches();

        assertBatches(List.of(new int[] {9, 2, 7, 1}, new int[] {4, 3, 5, 0}), round1);
        assertBatches(List.of(new int[] {6, 8}, new int[] {0, 3, 1, 5}), round2);
    }

    @Test
    void oneStepIsOneSgdUpdateComputedByHand() {
        // rows (1, 2) -> 1 and (-1, 0.5) -> 0; w = (0.1, -0.2), b = 0.05; one step of batch 2 at lr 0.5:
        // p_i = sigmoid(w.x_i + b), w -= lr * mean((p_i - y_i) x_i), b -= lr * mean(p_i - y_i)
        LabeledData data = new LabeledData(new float[] {1, 2, -1, 0.5f}, new float[] {1, 0}, 2, 2, 2, List.of("x1", "x2"));
        Model model = Models.build(ModelSpec.logistic(), 2, 2);
        float[] params = {0.1f, -0.2f, 0.05f};
        TrainingResult result = Trainer.train(model, params, data, new FitConfig(LocalWork.steps(1), 2, 0.5, false, 3),
                new BatchCursor());
        assertEquals(0.3561866638855121, params[0], 1e-6);
        assertEquals(0.02326698111086778, params[1], 1e-6);
        assertEquals(0.07490158655738693, params[2], 1e-6);
        assertEquals(0.7234482338341879, result.lastEpochLoss(), 1e-6);
        assertEquals(1, result.steps());
        assertEquals(0, result.epochs());
    }

    @Test
    void stepsCoveringWholeEpochsInTheFirstFitEqualThoseEpochsBitForBit() {
        LabeledData data = SyntheticData.blobs(37, 3, 2, 4);
        Model model = Models.build(ModelSpec.mlp(5).withDropout(0.2).withOptimizer(OptimizerSpec.adam()), 3, 2);
        float[] byEpochs = model.init(9).copyFlat();
        float[] bySteps = model.init(9).copyFlat();
        Trainer.train(model, byEpochs, data, new FitConfig(3, 8, 0.01, false, 21));
        // ceil(37 / 8) = 5 steps per epoch
        TrainingResult steps = Trainer.train(model, bySteps, data, new FitConfig(LocalWork.steps(15), 8, 0.01, false, 21),
                new BatchCursor());
        assertArrayEquals(byEpochs, bySteps);
        assertEquals(15, steps.steps());
    }

    @Test
    void aRestartedSiteStartsANewOrderFromTheFirstFitItReceives() {
        LabeledData data = TrainingSiteClientTest.data(5, 10);
        RecordingModel model = new RecordingModel(Models.build(ModelSpec.logistic(), data.cols(), 2));
        new TrainingSiteClient("a", model, data, data, 1).fit(new FitTask(1, "a", model.init(1), THREE_STEPS));
        model.takeBatches();
        TrainingSiteClient restarted = new TrainingSiteClient("a", model, data, data, 1);
        restarted.fit(new FitTask(2, "a", model.init(1), THREE_STEPS.withSeed(12)));
        SplittableRandom rng = new SplittableRandom(12);
        rng.split();
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Trainer.shuffle(order, rng);
        assertArrayEquals(order, concat(model.takeBatches()));
    }

    @Test
    void aCursorRefusesDataWithAnotherRowCount() {
        BatchCursor cursor = new BatchCursor();
        Model model = Models.build(ModelSpec.logistic(), 2, 2);
        Trainer.train(model, model.init(1).copyFlat(), TrainingSiteClientTest.data(5, 10), THREE_STEPS, cursor);
        var e = assertThrows(IllegalStateException.class, () -> Trainer.train(model, model.init(1).copyFlat(),
                TrainingSiteClientTest.data(5, 12), THREE_STEPS, cursor));
        assertTrue(e.getMessage().contains("orders 10 training rows but this fit trains on 12"), e.getMessage());
    }

    @Test
    void anEpochsFitLeavesTheCursorUntouched() {
        BatchCursor cursor = new BatchCursor();
        Model model = Models.build(ModelSpec.logistic(), 2, 2);
        Trainer.train(model, model.init(1).copyFlat(), TrainingSiteClientTest.data(5, 10), new FitConfig(2, 4, 0.1, false, 1),
                cursor);
        assertEquals(false, cursor.started());
        assertEquals(0, cursor.passes());
    }

    private static void assertBatches(List<int[]> expected, List<int[]> actual) {
        assertEquals(expected.size(), actual.size(), "batches");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "batch " + i);
        }
    }

    private static int[] concat(List<int[]> batches) {
        return batches.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    /** A model that records the rows of every batch it is asked to train on, and otherwise is the model it wraps. */
    private static final class RecordingModel implements Model {
        private final Model inner;
        private final List<int[]> batches = new ArrayList<>();

        RecordingModel(Model inner) {
            this.inner = inner;
        }

        @Override
        public org.fedmed.core.objective.Objective objective() {
            return inner.objective();
        }

        List<int[]> takeBatches() {
            List<int[]> out = List.copyOf(batches);
            batches.clear();
            return out;
        }

        @Override
        public double lossAndGradient(float[] params, LabeledData data, int[] rows, int from, int count, float[] grad,
                                      Workspace workspace, SplittableRandom dropout) {
            batches.add(java.util.Arrays.copyOfRange(rows, from, from + count));
            return inner.lossAndGradient(params, data, rows, from, count, grad, workspace, dropout);
        }

        @Override
        public ModelSpec spec() {
            return inner.spec();
        }

        @Override
        public int inputDim() {
            return inner.inputDim();
        }

        @Override
        public int classes() {
            return inner.classes();
        }

        @Override
        public ParameterLayout layout() {
            return inner.layout();
        }

        @Override
        public int predictionWidth() {
            return inner.predictionWidth();
        }

        @Override
        public ModelParameters init(long seed) {
            return inner.init(seed);
        }

        @Override
        public Workspace newWorkspace(int maxBatch) {
            return inner.newWorkspace(maxBatch);
        }

        @Override
        public double regularization(float[] params) {
            return inner.regularization(params);
        }

        @Override
        public float[] predict(float[] params, LabeledData data) {
            return inner.predict(params, data);
        }

        @Override
        public double loss(float[] params, LabeledData data) {
            return inner.loss(params, data);
        }

        @Override
        public void checkData(LabeledData data) {
            inner.checkData(data);
        }
    }
}
