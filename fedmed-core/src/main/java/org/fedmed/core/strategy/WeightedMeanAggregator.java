package org.fedmed.core.strategy;

import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;

/**
 * Streaming weighted mean of site updates {@code mean = sum_k a_k x_k / sum_k a_k}, where x_k is site k's
 * weights, or theta + delta_k when the site sent a delta. With a_k = n_k this is FedAvg's aggregate; with a_k = 1
 * and deltas it is the uniform mean of deltas. A server learning rate other than 1 takes the mean through
 * {@link ServerOptimizer}'s SGD step, the one server step there is; strategies with a stateful server optimizer
 * use learning rate 1 here and a {@link SteppedAggregator} around it.
 *
 * <p>Updates are folded into one float accumulator in arrival order, in groups of up to
 * {@value #GROUP} so that the accumulator is read and written once per group rather than once per update:
 * the aggregator holds at most that many pending updates, so memory stays O(P). The same arrival order
 * gives bit-identical results.
 *
 * <p>With a largest site share s &lt; 1 ({@link InfluenceLimits}), the weights are capped by {@link WeightCaps}
 * so that no site holds more than s of the round's total. Only the {@link WeightCaps#mostCapped(double)} heaviest
 * updates can be capped, so those (one for s = 0.5) are held aside and folded in last with their final weights;
 * every other update is folded in as it arrives. Memory stays O(P): at most {@value #GROUP} + ceil(1/s) - 1
 * updates are held.
 */
public final class WeightedMeanAggregator implements Aggregator {

    static final int GROUP = 4;

    private final ModelParameters global;
    private final ToDoubleFunction<FitResult> weighting;
    private final double serverLearningRate;
    private final int round;
    private final double maxShare;
    private final float[] sum;
    private final float[][] heavy;
    private final double[] heavyWeights;
    private final boolean[] heavyDelta;
    private final String[] heavySites;
    private int heavyCount;
    private int positive;
    private java.util.List<WeightCaps.Capped> capped = java.util.List.of();
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
        this(global, weighting, serverLearningRate, round, 1.0);
    }

    /**
     * As the four-argument form, with each site's weight capped at share {@code maxShare} of the round's total.
     *
     * @param maxShare the largest share of the total weight one update may hold, in (0, 1]; 1 caps nothing
     */
    public WeightedMeanAggregator(ModelParameters global, ToDoubleFunction<FitResult> weighting,
                                  double serverLearningRate, int round, double maxShare) {
        if (!(maxShare > 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("max_site_weight_share must be in (0, 1], got " + maxShare);
        }
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate)) {
            throw new IllegalArgumentException("server_lr must be a positive finite number, got " + serverLearningRate);
        }
        this.global = Objects.requireNonNull(global);
        this.weighting = weighting;
        this.serverLearningRate = serverLearningRate;
        this.round = round;
        this.maxShare = maxShare;
        this.sum = new float[global.size()];
        int held = WeightCaps.mostCapped(maxShare);
        this.heavy = new float[held][];
        this.heavyWeights = new double[held];
        this.heavyDelta = new boolean[held];
        this.heavySites = new String[held];
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
        accepted++;
        if (a == 0) {
            return;
        }
        positive++;
        float[] x = update.parameters().flat();
        boolean delta = update.isDelta();
        String site = update.siteId();
        if (heavy.length > 0) {
            if (heavyCount < heavy.length) {
                hold(heavyCount++, x, a, delta, site);
                return;
            }
            int lightest = 0;
            for (int k = 1; k < heavyCount; k++) {
                if (heavyWeights[k] < heavyWeights[lightest]) {
                    lightest = k;
                }
            }
            if (a > heavyWeights[lightest]) {
                float[] outX = heavy[lightest];
                double outA = heavyWeights[lightest];
                boolean outDelta = heavyDelta[lightest];
                hold(lightest, x, a, delta, site);
                x = outX;
                a = outA;
                delta = outDelta;
            }
        }
        fold(x, a, delta);
    }

    private void hold(int k, float[] x, double a, boolean delta, String site) {
        heavy[k] = x;
        heavyWeights[k] = a;
        heavyDelta[k] = delta;
        heavySites[k] = site;
    }

    private void fold(float[] x, double a, boolean delta) {
        totalWeight += a;
        if (delta) {
            deltaWeight += a;
        }
        pending[pendingCount] = x;
        pendingWeights[pendingCount] = a;
        pendingCount++;
        if (pendingCount == GROUP) {
            flush();
        }
    }

    /** Folds the held heaviest updates in, heaviest first, with their weights capped. */
    private void foldHeavy() {
        if (heavyCount == 0) {
            return;
        }
        Integer[] order = new Integer[heavyCount];
        for (int k = 0; k < heavyCount; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (p, q) -> Double.compare(heavyWeights[q], heavyWeights[p]));
        double[] sorted = new double[heavyCount];
        for (int k = 0; k < heavyCount; k++) {
            sorted[k] = heavyWeights[order[k]];
        }
        double[] cap = new double[2];
        WeightCaps.cap(sorted, totalWeight, positive, maxShare, cap);
        double c = cap[1];
        java.util.List<WeightCaps.Capped> caps = new java.util.ArrayList<>();
        double[] used = new double[heavyCount];
        double total = totalWeight;
        for (int k = 0; k < heavyCount; k++) {
            int i = order[k];
            used[k] = Math.min(heavyWeights[i], c);
            total += used[k];
        }
        for (int k = 0; k < heavyCount; k++) {
            int i = order[k];
            if (used[k] < heavyWeights[i]) {
                caps.add(new WeightCaps.Capped(heavySites[i], heavyWeights[i], used[k], used[k] / total));
            }
            fold(heavy[i], used[k], heavyDelta[i]);
            heavy[i] = null;
        }
        heavyCount = 0;
        capped = java.util.List.copyOf(caps);
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

    /** The sites whose weight was capped by the share bound; known once {@link #result()} ran. */
    @Override
    public java.util.List<WeightCaps.Capped> weightCaps() {
        return capped;
    }

    /** Total weight folded in so far (before normalization; held updates count once they are folded). */
    public double totalWeight() {
        return totalWeight;
    }

    @Override
    public ModelParameters result() {
        if (finished) {
            throw new IllegalStateException("result() already called");
        }
        foldHeavy();
        flush();
        finished = true;
        if (totalWeight == 0) {
            throw new IllegalStateException("no update with positive weight was aggregated");
        }
        float[] theta = global.flat();
        float[] mean = new float[theta.length];
        double thetaShare = deltaWeight / totalWeight;
        for (int i = 0; i < theta.length; i++) {
            mean[i] = (float) (sum[i] / totalWeight + thetaShare * theta[i]);
        }
        ModelParameters aggregate = ModelParameters.ofFlat(global.layout(), mean);
        return serverLearningRate == 1 ? aggregate
                : ServerOptimizerSettings.sgd(serverLearningRate).newOptimizer().step(global, aggregate);
    }
}
