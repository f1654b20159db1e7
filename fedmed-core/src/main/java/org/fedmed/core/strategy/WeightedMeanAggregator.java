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
 * <p>Updates are admitted by the round's {@link UpdateIntake} (task, layout, duplicates, norm bound) and folded
 * into one float accumulator in arrival order, in groups of up to {@value #GROUP}: the accumulator gets
 * {@code (a_0 x_0 + a_1 x_1) + (a_2 x_2 + a_3 x_3)} once per group. Each update's values are read once, in
 * {@link #accept}: the finiteness check runs inside the loop that folds it into the group's partial sums (two
 * float vectors beside the accumulator), so memory stays O(P) (three vectors of P floats) whatever N is. A
 * non-finite value is refused in the same call, naming the site, and the partial sums and the accumulator are
 * restored exactly (the fold that completes a group keeps the accumulator's previous values in the second
 * partial vector until the check passed), so a refused update leaves the aggregate bit for bit as if it had never
 * arrived. The same arrival order gives bit-identical results.
 *
 * <p>With a largest site share s &lt; 1 ({@link InfluenceLimits}), the weights are capped by {@link WeightCaps}
 * so that no site holds more than s of the round's total. Only the {@link WeightCaps#mostCapped(double)} heaviest
 * updates can be capped, so those (one for s = 0.5) are held aside and folded in last with their final weights;
 * every other update is folded in as it arrives. Memory stays O(P): at most ceil(1/s) - 1 updates are held. An
 * update that is held aside is checked when it arrives and read a second time when it is folded.
 */
public final class WeightedMeanAggregator implements Aggregator {

    static final int GROUP = 4;

    private final UpdateIntake intake;
    private final ModelParameters global;
    private final ToDoubleFunction<FitResult> weighting;
    private final double serverLearningRate;
    private final double maxShare;
    private final float[] sum;
    /** w_0 x_0, then w_0 x_0 + w_1 x_1, of the group being folded; allocated on first use. */
    private float[] pairA;
    /** w_2 x_2 of the group being folded; while its last update is folded, the accumulator's previous values. */
    private float[] pairB;
    private final float[][] heavy;
    private final double[] heavyWeights;
    private final boolean[] heavyDelta;
    private final String[] heavySites;
    private int heavyCount;
    private int positive;
    private java.util.List<WeightCaps.Capped> capped = java.util.List.of();
    private final float[][] pending = new float[GROUP][];
    private final float[] pendingWeights = new float[GROUP];
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
        this(new UpdateIntake(Objects.requireNonNull(global), round), weighting, serverLearningRate, maxShare);
    }

    /**
     * A weighted mean over the updates {@code intake} admits (its global model, round and norm bound).
     *
     * @param maxShare the largest share of the total weight one update may hold, in (0, 1]; 1 caps nothing
     */
    public WeightedMeanAggregator(UpdateIntake intake, ToDoubleFunction<FitResult> weighting,
                                  double serverLearningRate, double maxShare) {
        if (!(maxShare > 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("max_site_weight_share must be in (0, 1], got " + maxShare);
        }
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate)) {
            throw new IllegalArgumentException("server_lr must be a positive finite number, got " + serverLearningRate);
        }
        this.intake = Objects.requireNonNull(intake);
        this.global = intake.global();
        this.weighting = weighting;
        this.serverLearningRate = serverLearningRate;
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
        intake.admitForFold(update);
        double a = weighting.applyAsDouble(update);
        if (!(a >= 0) || !Double.isFinite(a)) {
            intake.withdraw(update);
            throw new UpdateRejectedException(update.siteId(), "aggregation weight is " + a);
        }
        float[] x = update.parameters().flat();
        boolean delta = update.isDelta();
        String site = update.siteId();
        if (a == 0 || heavy.length > 0) {
            // not folded now: checked on its own (a held update is read again when it is folded)
            if (!allFinite(x)) {
                throw intake.refuseNonFinite(update);
            }
            accepted++;
            if (a == 0) {
                return;
            }
            positive++;
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
            if (!fold(x, a, delta)) {
                throw new IllegalStateException("an update that passed its check holds a non-finite value");
            }
            return;
        }
        if (!fold(x, a, delta)) {
            throw intake.refuseNonFinite(update);
        }
        accepted++;
        positive++;
    }

    private void hold(int k, float[] x, double a, boolean delta, String site) {
        heavy[k] = x;
        heavyWeights[k] = a;
        heavyDelta[k] = delta;
        heavySites[k] = site;
    }

    /** Whether every value is finite: one vectorizable read, no early exit. */
    private static boolean allFinite(float[] x) {
        float m = 0f;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        return m <= Float.MAX_VALUE;
    }

    /**
     * Folds one update into the group being built, checking its values in the same loop; returns false, with
     * the partial sums and the accumulator as they were, if a value is not finite.
     */
    private boolean fold(float[] x, double a, boolean delta) {
        float w = (float) a;
        int n = sum.length;
        float m = 0f;
        switch (pendingCount) {
            case 0 -> {
                if (pairA == null) {
                    pairA = new float[n];
                }
                float[] p = pairA;
                for (int i = 0; i < n; i++) {
                    float v = x[i];
                    p[i] = w * v;
                    m = Math.max(m, Math.abs(v));
                }
            }
            case 1 -> {
                float[] p = pairA;
                for (int i = 0; i < n; i++) {
                    float v = x[i];
                    p[i] += w * v;
                    m = Math.max(m, Math.abs(v));
                }
                if (!(m <= Float.MAX_VALUE)) {
                    float w0 = pendingWeights[0];
                    float[] x0 = pending[0];
                    for (int i = 0; i < n; i++) {
                        p[i] = w0 * x0[i];
                    }
                    return false;
                }
            }
            case 2 -> {
                if (pairB == null) {
                    pairB = new float[n];
                }
                float[] q = pairB;
                for (int i = 0; i < n; i++) {
                    float v = x[i];
                    q[i] = w * v;
                    m = Math.max(m, Math.abs(v));
                }
            }
            default -> {
                float[] p = pairA;
                float[] q = pairB;
                float[] s = sum;
                for (int i = 0; i < n; i++) {
                    float v = x[i];
                    float before = s[i];
                    s[i] = before + (p[i] + (q[i] + w * v));
                    q[i] = before;
                    m = Math.max(m, Math.abs(v));
                }
                if (!(m <= Float.MAX_VALUE)) {
                    float w2 = pendingWeights[2];
                    float[] x2 = pending[2];
                    for (int i = 0; i < n; i++) {
                        s[i] = q[i];
                        q[i] = w2 * x2[i];
                    }
                    return false;
                }
            }
        }
        if (!(m <= Float.MAX_VALUE)) {
            return false;
        }
        totalWeight += a;
        if (delta) {
            deltaWeight += a;
        }
        pending[pendingCount] = x;
        pendingWeights[pendingCount] = w;
        pendingCount++;
        if (pendingCount == GROUP) {
            clearPending();
        }
        return true;
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
            if (!fold(heavy[i], used[k], heavyDelta[i])) {
                throw new IllegalStateException("an update that passed its check holds a non-finite value");
            }
            heavy[i] = null;
        }
        heavyCount = 0;
        capped = java.util.List.copyOf(caps);
    }

    /** Adds an incomplete group's partial sums to the accumulator. */
    private void flush() {
        int n = sum.length;
        float[] s = sum;
        switch (pendingCount) {
            case 0 -> {
            }
            case 1, 2 -> {
                float[] p = pairA;
                for (int i = 0; i < n; i++) {
                    s[i] += p[i];
                }
            }
            default -> {
                float[] p = pairA;
                float[] q = pairB;
                for (int i = 0; i < n; i++) {
                    s[i] += p[i] + q[i];
                }
            }
        }
        clearPending();
    }

    private void clearPending() {
        for (int k = 0; k < GROUP; k++) {
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
