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
 * <p>Updates are admitted by the round's {@link UpdateIntake} (task, layout, duplicates, norm bound) in
 * {@link #accept}, and their values are folded into one float accumulator in arrival order, in groups of
 * {@value #GROUP}: the accumulator gets {@code (a_0 x_0 + a_1 x_1) + (a_2 x_2 + a_3 x_3)} once per group, and an
 * incomplete last group's partial sum at {@link #close}. Each update's values are read once: the first three of a
 * group are held, unread, and the fourth's {@code accept} reads all four in one loop that checks every value (a
 * vectorizable running {@code max(|x|)} per update) while it writes {@code accumulator + group} into a second
 * vector; the two vectors trade places only when all four were finite. So memory stays O(P) whatever N is (two
 * vectors of P floats, and up to three held updates), and the accumulator never holds a value of an update that
 * is then refused.
 *
 * <p>Refusals: an update whose own {@code accept} finds it bad (task, layout, duplicate, weight, or a non-finite
 * value when it completes a group) is refused by that call. A held update found non-finite when its group is
 * folded is refused late: it is dropped from the group, the group's good updates stay held as if it had never
 * arrived, and the refusal is returned by {@link #close()} (and counted out of {@link #accepted()}), so the result
 * is bit for bit the one of the same arrivals without it. The same arrival order gives bit-identical results.
 *
 * <p>With a largest site share s &lt; 1 ({@link InfluenceLimits}), the weights are capped by {@link WeightCaps}
 * so that no site holds more than s of the round's total. Only the {@link WeightCaps#mostCapped(double)} heaviest
 * updates can be capped, so those (one for s = 0.5) are held aside and folded in last with their final weights;
 * every other update is folded in as it arrives. Memory stays O(P): at most ceil(1/s) - 1 updates are held. With
 * a cap every update is checked in its own {@code accept} (one read), and read a second time when it is folded.
 */
public final class WeightedMeanAggregator implements Aggregator {

    static final int GROUP = 4;

    private final UpdateIntake intake;
    private final ModelParameters global;
    private final ToDoubleFunction<FitResult> weighting;
    private final double serverLearningRate;
    private final double maxShare;
    /** The accumulator; it trades places with {@link #spare} each time a group is folded. */
    private float[] sum;
    /** Where a group's fold writes {@code sum + group}; allocated on first use. */
    private float[] spare;
    private final float[][] heavy;
    private final double[] heavyWeights;
    private final boolean[] heavyDelta;
    private final String[] heavySites;
    private int heavyCount;
    private int positive;
    private java.util.List<WeightCaps.Capped> capped = java.util.List.of();
    /** The held updates of the group being built, unread unless {@link #checked} says otherwise. */
    private final Held[] pending = new Held[GROUP];
    private int pendingCount;
    private final java.util.List<UpdateRejectedException> late = new java.util.ArrayList<>();
    private double totalWeight;
    private double deltaWeight;
    private int accepted;
    private boolean closed;
    private boolean finished;
    /** The weighting as a rule a pool can fold by; null when given as a bare function. */
    private final SiteWeighting foldWeighting;
    /** The round's updates when a pool folded them ({@link #acceptFolded}); null otherwise. */
    private LinearFold folded;

    /** An update taken in and not yet folded: its values, float weight and what to count once it is. */
    private record Held(FitResult update, float[] x, float w, double a, boolean delta, boolean checked) {
    }
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
        this(intake, weighting, null, serverLearningRate, maxShare);
    }

    /**
     * As the function form, weighted by {@code weighting}: without a norm bound in {@code intake}, a pool may then
     * fold the round where its sites train ({@link #foldRule()}).
     */
    public WeightedMeanAggregator(UpdateIntake intake, SiteWeighting weighting, double serverLearningRate,
                                  double maxShare) {
        this(intake, weighting::weight, weighting, serverLearningRate, maxShare);
    }

    private WeightedMeanAggregator(UpdateIntake intake, ToDoubleFunction<FitResult> weighting,
                                   SiteWeighting foldWeighting, double serverLearningRate, double maxShare) {
        this.foldWeighting = foldWeighting;
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

    /**
     * The fold rule when the weighting was given as a {@link SiteWeighting}, the intake has no norm bound (a bound
     * needs each update's delta at the server) and no update was taken yet.
     */
    @Override
    public java.util.Optional<FoldRule> foldRule() {
        if (foldWeighting == null || !Double.isInfinite(intake.maxUpdateNorm()) || accepted > 0 || closed) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new FoldRule(foldWeighting, maxShare));
    }

    /** Takes the round as one fold by {@link #foldRule()}; the intake is closed, and {@link #result()} is its mean. */
    @Override
    public void acceptFolded(LinearFold partial) {
        if (foldRule().isEmpty()) {
            throw new IllegalStateException("this aggregator cannot take a fold now (function weighting, a norm bound,"
                    + " updates already taken, or closed)");
        }
        if (partial.size() != global.size()) {
            throw new IllegalArgumentException("the fold holds updates of " + partial.size() + " values, the global model "
                    + global.size());
        }
        folded = partial;
        accepted = (int) Math.min(Integer.MAX_VALUE, partial.count());
        closed = true;
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        if (closed) {
            throw new IllegalStateException("aggregator already closed its intake");
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
            if (!take(new Held(null, x, (float) a, a, delta, true))) {
                throw new IllegalStateException("an update that passed its check holds a non-finite value");
            }
            return;
        }
        accepted++;
        positive++;
        if (!take(new Held(update, x, (float) a, a, delta, false))) {
            accepted--;
            positive--;
            throw intake.refuseNonFinite(update);
        }
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
     * Adds one update to the group being built, folding the group when it completes; returns false if the update
     * itself was found non-finite (it is then not held, and the group is as before). Held updates of the group
     * found non-finite are refused late.
     */
    private boolean take(Held h) {
        if (pendingCount < GROUP - 1) {
            pending[pendingCount++] = h;
            return true;
        }
        pending[pendingCount++] = h;
        int bad = foldGroup();
        if (bad == 0) {
            return true;
        }
        boolean selfBad = (bad & (1 << (GROUP - 1))) != 0;
        // keep the good ones held, in arrival order, as if the bad ones had never arrived
        int kept = 0;
        for (int k = 0; k < GROUP; k++) {
            Held p = pending[k];
            pending[k] = null;
            if ((bad & (1 << k)) == 0) {
                pending[kept++] = p;
            } else if (k < GROUP - 1) {
                refuseLate(p);
            }
        }
        pendingCount = kept;
        return !selfBad;
    }

    private void refuseLate(Held p) {
        if (p.checked()) {
            throw new IllegalStateException("an update that passed its check holds a non-finite value");
        }
        accepted--;
        positive--;
        late.add(intake.refuseNonFinite(p.update()));
    }

    /**
     * Folds the {@code pendingCount} held updates into the accumulator in one read of each, checking them in the
     * same loop; returns 0 when all were finite (the accumulator then holds the sum and the group is emptied),
     * else a bit mask of the non-finite ones, with the accumulator and the group untouched.
     */
    private int foldGroup() {
        int n = sum.length;
        if (spare == null) {
            spare = new float[n];
        }
        float[] s = sum;
        float[] t = spare;
        int c = pendingCount;
        float[] x0 = pending[0].x();
        float w0 = pending[0].w();
        int bad;
        switch (c) {
            case 1 -> {
                float m0 = 0f;
                for (int i = 0; i < n; i++) {
                    float v0 = x0[i];
                    t[i] = s[i] + w0 * v0;
                    m0 = Math.max(m0, Math.abs(v0));
                }
                bad = mask(m0, 0f, 0f, 0f);
            }
            case 2 -> {
                float[] x1 = pending[1].x();
                float w1 = pending[1].w();
                float m0 = 0f;
                float m1 = 0f;
                for (int i = 0; i < n; i++) {
                    float v0 = x0[i];
                    float v1 = x1[i];
                    t[i] = s[i] + (w0 * v0 + w1 * v1);
                    m0 = Math.max(m0, Math.abs(v0));
                    m1 = Math.max(m1, Math.abs(v1));
                }
                bad = mask(m0, m1, 0f, 0f);
            }
            case 3 -> {
                float[] x1 = pending[1].x();
                float[] x2 = pending[2].x();
                float w1 = pending[1].w();
                float w2 = pending[2].w();
                float m0 = 0f;
                float m1 = 0f;
                float m2 = 0f;
                for (int i = 0; i < n; i++) {
                    float v0 = x0[i];
                    float v1 = x1[i];
                    float v2 = x2[i];
                    t[i] = s[i] + ((w0 * v0 + w1 * v1) + w2 * v2);
                    m0 = Math.max(m0, Math.abs(v0));
                    m1 = Math.max(m1, Math.abs(v1));
                    m2 = Math.max(m2, Math.abs(v2));
                }
                bad = mask(m0, m1, m2, 0f);
            }
            default -> {
                float[] x1 = pending[1].x();
                float[] x2 = pending[2].x();
                float[] x3 = pending[3].x();
                float w1 = pending[1].w();
                float w2 = pending[2].w();
                float w3 = pending[3].w();
                float m0 = 0f;
                float m1 = 0f;
                float m2 = 0f;
                float m3 = 0f;
                for (int i = 0; i < n; i++) {
                    float v0 = x0[i];
                    float v1 = x1[i];
                    float v2 = x2[i];
                    float v3 = x3[i];
                    t[i] = s[i] + ((w0 * v0 + w1 * v1) + (w2 * v2 + w3 * v3));
                    m0 = Math.max(m0, Math.abs(v0));
                    m1 = Math.max(m1, Math.abs(v1));
                    m2 = Math.max(m2, Math.abs(v2));
                    m3 = Math.max(m3, Math.abs(v3));
                }
                bad = mask(m0, m1, m2, m3);
            }
        }
        if (bad != 0) {
            return bad;
        }
        sum = t;
        spare = s;
        for (int k = 0; k < c; k++) {
            Held h = pending[k];
            totalWeight += h.a();
            if (h.delta()) {
                deltaWeight += h.a();
            }
            pending[k] = null;
        }
        pendingCount = 0;
        return 0;
    }

    private static int mask(float m0, float m1, float m2, float m3) {
        return (m0 <= Float.MAX_VALUE ? 0 : 1) | (m1 <= Float.MAX_VALUE ? 0 : 2) | (m2 <= Float.MAX_VALUE ? 0 : 4)
                | (m3 <= Float.MAX_VALUE ? 0 : 8);
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
        WeightCaps.cap(sorted, totalWeight + pendingWeight(), positive, maxShare, cap);
        double c = cap[1];
        java.util.List<WeightCaps.Capped> caps = new java.util.ArrayList<>();
        double[] used = new double[heavyCount];
        double total = totalWeight + pendingWeight();
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
            if (!take(new Held(null, heavy[i], (float) used[k], used[k], heavyDelta[i], true))) {
                throw new IllegalStateException("an update that passed its check holds a non-finite value");
            }
            heavy[i] = null;
        }
        heavyCount = 0;
        capped = java.util.List.copyOf(caps);
    }

    private double pendingWeight() {
        double w = 0;
        for (int k = 0; k < pendingCount; k++) {
            w += pending[k].a();
        }
        return w;
    }

    /** Folds an incomplete last group, refusing late any of its updates found non-finite. */
    private void flush() {
        while (pendingCount > 0) {
            int bad = foldGroup();
            if (bad == 0) {
                return;
            }
            int kept = 0;
            for (int k = 0; k < pendingCount; k++) {
                Held p = pending[k];
                pending[k] = null;
                if ((bad & (1 << k)) == 0) {
                    pending[kept++] = p;
                } else {
                    refuseLate(p);
                }
            }
            pendingCount = kept;
        }
    }

    /**
     * Folds what is still held and ends the intake; returns the updates refused after their {@code accept} had
     * returned (held updates found non-finite when their group was folded), in the order they were found. Call
     * once, after the last update; {@link #result()} then gives the mean of the rest.
     */
    @Override
    public java.util.List<UpdateRejectedException> close() {
        if (closed) {
            throw new IllegalStateException("close() already called");
        }
        foldHeavy();
        flush();
        closed = true;
        return java.util.List.copyOf(late);
    }

    @Override
    public java.util.List<UpdateRejectedException> refusedLate() {
        return java.util.List.copyOf(late);
    }

    @Override
    public java.util.Set<String> unsettled() {
        java.util.Set<String> sites = new java.util.LinkedHashSet<>();
        for (int k = 0; k < pendingCount; k++) {
            if (!pending[k].checked()) {
                sites.add(pending[k].update().siteId());
            }
        }
        return sites;
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

    /**
     * The mean, after {@link #close()}; called without it, closes the intake itself and throws if that refused an
     * update late (whose refusal the caller would otherwise never see).
     */
    @Override
    public ModelParameters result() {
        if (finished) {
            throw new IllegalStateException("result() already called");
        }
        if (!closed && !close().isEmpty()) {
            throw new IllegalStateException("updates were refused when their group was folded: " + late
                    + "; call close() to collect such refusals before result()");
        }
        finished = true;
        if (folded != null) {
            ModelParameters mean = folded.mean(global);
            capped = folded.weightCaps();
            return serverLearningRate == 1 ? mean
                    : ServerOptimizerSettings.sgd(serverLearningRate).newOptimizer().step(global, mean);
        }
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
