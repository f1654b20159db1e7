package org.fedmed.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.LabeledData;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.OptimizerSpec;
import org.fedmed.ml.Trainer;
import org.fedmed.ml.TrainingResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Local training throughput on one thread: one epoch of mini-batch Adam (batch 32) over a synthetic binary
 * dataset of 13 features, for logistic regression and for an MLP 13 → 32 → 16 → 1 with ReLU. Each
 * {@code variant} names what one operation runs over all rows:
 * <ul>
 *   <li>{@code train}: one epoch of {@link Trainer#train} from the same initial parameters;</li>
 *   <li>{@code gradients}: forward and backward over the same batches ({@link Model#lossAndGradient}), without
 *       shuffling or optimizer steps;</li>
 *   <li>{@code forward}: predictions for every row ({@link Model#predict}), the forward-only baseline.</li>
 * </ul>
 * Samples/s = rows / time per operation. The variant is the fastest-varying parameter, so the baselines for
 * a model run right next to its training.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class TrainingBenchmark {

    /** Features per row. */
    public static final int FEATURES = 13;
    /** Rows per mini-batch. */
    public static final int BATCH = 32;

    /** {@code logistic} or {@code mlp} (13 → 32 → 16 → 1). */
    @Param({"logistic", "mlp"})
    public String model;

    /** Rows in the dataset: one operation is one pass over all of them. */
    @Param({"10000"})
    public int rows;

    /** What one operation runs; see the class description. */
    @Param({"forward", "gradients", "train"})
    public String variant;

    private Model net;
    private LabeledData data;
    private float[] initial;
    private float[] params;
    private float[] grad;
    private int[] order;
    private Model.Workspace workspace;

    @Setup
    public void setup() {
        ModelSpec spec = switch (model) {
            case "logistic" -> ModelSpec.logistic().withOptimizer(OptimizerSpec.adam());
            case "mlp" -> ModelSpec.mlp(32, 16);
            default -> throw new IllegalArgumentException("unknown model '" + model + "' (logistic, mlp)");
        };
        net = Models.build(spec, FEATURES, 2);
        data = syntheticData(rows, 11);
        initial = net.init(3).copyFlat();
        params = initial.clone();
        grad = new float[initial.length];
        order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        workspace = net.newWorkspace(BATCH);
    }

    /** Binary labels from a fixed random linear rule with 10% label noise; features standard normal. */
    static LabeledData syntheticData(int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            w[j] = rng.nextDouble() * 2 - 1;
        }
        float[] x = new float[rows * FEATURES];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            double z = 0;
            for (int j = 0; j < FEATURES; j++) {
                float v = (float) gaussian(rng);
                x[i * FEATURES + j] = v;
                z += w[j] * v;
            }
            boolean positive = z > 0;
            if (rng.nextDouble() < 0.1) {
                positive = !positive;
            }
            y[i] = positive ? 1 : 0;
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < FEATURES; j++) {
            names.add("x" + j);
        }
        return new LabeledData(x, y, rows, FEATURES, 2, names);
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Benchmark
    public Object run() {
        return switch (variant) {
            case "train" -> trainEpoch();
            case "gradients" -> gradients();
            case "forward" -> net.predict(initial, data);
            default -> throw new IllegalArgumentException("unknown variant '" + variant
                    + "' (forward, gradients, train)");
        };
    }

    private TrainingResult trainEpoch() {
        System.arraycopy(initial, 0, params, 0, initial.length);
        return Trainer.train(net, params, data, 1, BATCH, 0.01, 5);
    }

    private double gradients() {
        double total = 0;
        for (int from = 0; from < rows; from += BATCH) {
            int count = Math.min(BATCH, rows - from);
            total += net.lossAndGradient(initial, data, order, from, count, grad, workspace, null);
        }
        return total;
    }
}
