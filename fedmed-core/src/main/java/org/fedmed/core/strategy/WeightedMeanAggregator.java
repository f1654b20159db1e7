package org.fedmed.core.strategy;

import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;

/**
 * Streaming weighted mean of site updates, followed by a server step:
 * {@code theta_next = theta + serverLr * (sum_k a_k x_k / sum_k a_k - theta)}, where x_k is site k's
 * weights, or theta + delta_k when the site sent a delta. With serverLr = 1 and a_k = n_k this is FedAvg;
 * with a_k = 1 and deltas it is the uniform mean of deltas.
 *
 * <p>Updates are folded into one float accumulator in arrival order, in groups of up to
 * {@value #GROUP} so that the accumulator is read and written once per group rather than once per update:
 * the aggregator holds at most that many pending updates, so memory stays O(P). The same arrival order
 * gives bit-identical results.
 */
public final class WeightedMeanAggregator implements Aggregator {

    static final int GROUP = 4;

    private final ModelParameters global;
    private final ToDoubleFunction<FitResult> weighting;
    private final double serverLearningRate;
    private final int round;
    private final float[] sum;
    private final float[][] pending = new float[GROUP][];
    private final double[] pendingWeights = new double[GROUP];
    private int pendingCount;
    private double totalWeight;
    private double deltaWeight;
    private int accepted;
    private boolean finished;

    /**
     * @param global             the model the round started from
     * @param weighting          the unnormalized weight a_k of each update
     * @param serverLearningRate step size of the server update, in (0, ∞)
     * @param round              the round results must belong to (checked against their task id)
     */
    public WeightedMeanAggregator(ModelParameters global, ToDoubleFunction<FitResult> weighting,
                                  double serverLearningRate, int round) {
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate)) {
            throw new IllegalArgumentException("server_lr must be a positive finite number, got " + serverLearningRate);
        }
        this.global = Objects.requireNonNull(global);
        this.weighting = weighting;
        this.serverLearningRate = serverLearningRate;
        this.round = round;
        this.sum = new float[global.size()];
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        if (finished) {
            throw new IllegalStateException("aggregator already produced its result");
        }
        UpdateChecks.check(update, global, round);
        double a = weighting.applyAsDouble(update);
        if (!(a >= 0) || !Double.isFinite(a)) {
            throw new UpdateRejectedException(update.siteId(), "aggregation weight is " + a);
        }
        if (a == 0) {
            accepted++;
            return;
        }
        totalWeight += a;
        if (update.isDelta()) {
            deltaWeight += a;
        }
        pending[pendingCount] = update.parameters().flat();
        pendingWeights[pendingCount] = a;
        pendingCount++;
        accepted++;
        if (pendingCount == GROUP) {
            flush();
        }
    }

    /** Adds the pending updates to the accumulator in one pass over it. */
    private void flush() {
        int n = sum.length;
        switch (pendingCount) {
            case 0 -> {
            }
            case 1 -> {
                float w0 = (float) pendingWeights[0];
                float[] x0 = pending[0];
                for (int i = 0; i < n; i++) {
                    sum[i] += w0 * x0[i];
                }
            }
            case 2 -> {
                float w0 = (float) pendingWeights[0], w1 = (float) pendingWeights[1];
                float[] x0 = pending[0], x1 = pending[1];
                for (int i = 0; i < n; i++) {
                    sum[i] += w0 * x0[i] + w1 * x1[i];
                }
            }
            case 3 -> {
                float w0 = (float) pendingWeights[0], w1 = (float) pendingWeights[1], w2 = (float) pendingWeights[2];
                float[] x0 = pending[0], x1 = pending[1], x2 = pending[2];
                for (int i = 0; i < n; i++) {
                    sum[i] += w0 * x0[i] + w1 * x1[i] + w2 * x2[i];
                }
            }
            default -> {
                float w0 = (float) pendingWeights[0], w1 = (float) pendingWeights[1];
                float w2 = (float) pendingWeights[2], w3 = (float) pendingWeights[3];
                float[] x0 = pending[0], x1 = pending[1], x2 = pending[2], x3 = pending[3];
                for (int i = 0; i < n; i++) {
                    sum[i] += (w0 * x0[i] + w1 * x1[i]) + (w2 * x2[i] + w3 * x3[i]);
                }
            }
        }
        for (int k = 0; k < pendingCount; k++) {
            pending[k] = null;
        }
        pendingCount = 0;
    }

    @Override
    public int accepted() {
        return accepted;
    }

    /** Total weight folded in so far (before normalization). */
    public double totalWeight() {
        return totalWeight;
    }

    @Override
    public ModelParameters result() {
        if (finished) {
            throw new IllegalStateException("result() already called");
        }
        flush();
        finished = true;
        if (totalWeight == 0) {
            throw new IllegalStateException("no update with positive weight was aggregated");
        }
        float[] theta = global.flat();
        float[] next = new float[theta.length];
        double thetaShare = deltaWeight / totalWeight;
        for (int i = 0; i < theta.length; i++) {
            double mean = sum[i] / totalWeight + thetaShare * theta[i];
            next[i] = (float) (theta[i] + serverLearningRate * (mean - theta[i]));
        }
        return ModelParameters.ofFlat(global.layout(), next);
    }
}
