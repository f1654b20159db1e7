package org.fedmed.core.strategy;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.fedmed.core.ModelParameters;

/**
 * A partial weighted mean of site updates that can be built anywhere (inside a Spark task, in the driver, in an
 * in-process pool) and merged with other partials: it holds the exact sum of {@code a_k x_k} over the sites folded
 * in ({@link ExactSum}), the exact total weight, the weight of the sites that sent deltas, and how many sites it
 * holds. Because every sum is exact, the {@link #mean} of a fold is the same bit for bit whatever order the sites
 * were folded in and however they were split into partials before merging: a round folded across Spark tasks and
 * one folded in one JVM give the same model.
 *
 * <p>The mean is the one {@link WeightedMeanAggregator} defines, {@code sum_k a_k x_k / sum_k a_k}, with x_k taken as
 * theta + delta_k for a site that sent a delta, and with the {@link WeightCaps share cap} of the round applied: the
 * {@link WeightCaps#mostCapped(double)} heaviest updates (one for a cap of 0.5) are held aside unfolded, a merge keeps
 * the heaviest of both sides and folds the rest, and {@link #mean} folds them last with their capped weights. So a
 * partial holds at most that many updates besides its sums: memory O(P), not O(N·P). Its arithmetic differs from
 * {@link WeightedMeanAggregator}'s float fold (that one rounds as it goes), so the two agree to float rounding, not bit
 * for bit; a fold agrees bit for bit with another fold.
 *
 * <p>The caller checks updates before folding them (the round's task, layout, finite values, a positive finite
 * weight: {@link FoldRule#refusal}); a fold takes what it is given. Not thread-safe; serializable, so a partial
 * can travel from a task to the driver.
 */
public final class LinearFold implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int size;
    private final double maxShare;
    private final int held;
    private final ExactSum sum;
    private final ExactSum weights = new ExactSum(2);
    private long count;
    private long positive;
    /** The heaviest updates, not yet folded (at most {@link #held}), heaviest first. */
    private final List<Heavy> heavy = new ArrayList<>();

    /** An update held aside because the share cap may cut its weight. */
    private record Heavy(String siteId, float[] x, double weight, boolean delta) implements Serializable {
    }

    /** How the capped weights of a round came out, once {@link #mean} ran: the sites capped, as the engine reports. */
    private transient List<WeightCaps.Capped> capped = List.of();

    /**
     * An empty fold of updates of {@code size} values.
     *
     * @param maxShare the round's largest site share of the weight, in (0, 1]; 1 caps nothing
     */
    public LinearFold(int size, double maxShare) {
        if (size < 1) {
            throw new IllegalArgumentException("a fold needs at least one parameter, got " + size);
        }
        if (!(maxShare > 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("max_site_weight_share must be in (0, 1], got " + maxShare);
        }
        this.size = size;
        this.maxShare = maxShare;
        this.held = WeightCaps.mostCapped(maxShare);
        this.sum = new ExactSum(size);
    }

    /**
     * Folds one site's update {@code x} (weights, or a delta from the round's global model when {@code delta}) with
     * weight {@code a}; a weight of 0 counts the site and adds nothing.
     *
     * @throws IllegalArgumentException if {@code x} has the wrong size or {@code a} is negative or not finite
     */
    public void add(String siteId, float[] x, double a, boolean delta) {
        if (x.length != size) {
            throw new IllegalArgumentException("site '" + siteId + "': update has " + x.length + " values, the fold "
                    + size);
        }
        if (!(a >= 0) || !Double.isFinite(a)) {
            throw new IllegalArgumentException("site '" + siteId + "': aggregation weight is " + a);
        }
        count++;
        if (a == 0) {
            return;
        }
        positive++;
        if (held == 0) {
            fold(x, a, delta);
            return;
        }
        heavy.add(new Heavy(siteId, x, a, delta));
        trimHeavy();
    }

    /**
     * Folds the mean of a group of {@code sites} sites (a region's aggregate, as a regional relay would send it: full
     * weights, not a delta) with the group's total weight, counting its sites: the second tier of a hierarchical
     * round. Only for a fold without a share cap (the cap applies to sites, inside each group).
     */
    public void addAggregate(String groupId, float[] mean, double weight, long sites) {
        if (held != 0) {
            throw new IllegalStateException("group '" + groupId + "': a capped fold takes sites, not group aggregates");
        }
        if (sites < 1) {
            throw new IllegalArgumentException("group '" + groupId + "': an aggregate holds at least one site, got "
                    + sites);
        }
        add(groupId, mean, weight, false);
        count += sites - 1;
    }

    /**
     * The second-tier aggregate of one region: a fold (without a cap) holding {@code region}'s mean, rounded to float
     * as a regional relay would send it, with the region's total weight, counting its sites. Folding the regions'
     * aggregates together gives the two-tier mean; the same regional folds give the same result bit for bit wherever
     * this runs. {@code fold} is spent; a region with no positive weight gives an empty aggregate counting its sites.
     */
    public static LinearFold regional(String region, LinearFold fold, ModelParameters global) {
        LinearFold top = new LinearFold(global.size(), 1.0);
        if (fold.totalWeight() > 0) {
            double weight = fold.totalWeight();
            long sites = fold.count();
            top.addAggregate(region, fold.mean(global).flat(), weight, sites);
        } else {
            top.count = fold.count();
        }
        return top;
    }

    /** Merges {@code other} into this fold; {@code other} is not used afterwards. */
    public LinearFold merge(LinearFold other) {
        if (other.size != size || other.maxShare != maxShare) {
            throw new IllegalArgumentException("cannot merge a fold of " + other.size + " values (share "
                    + other.maxShare + ") into one of " + size + " (share " + maxShare + ")");
        }
        sum.add(other.sum);
        weights.add(other.weights);
        count += other.count;
        positive += other.positive;
        heavy.addAll(other.heavy);
        trimHeavy();
        return this;
    }

    /** Keeps the {@link #held} heaviest aside (ties broken by site id, so the choice is order-free); folds the rest. */
    private void trimHeavy() {
        heavy.sort(Comparator.comparingDouble(Heavy::weight).reversed().thenComparing(Heavy::siteId));
        while (heavy.size() > held) {
            Heavy h = heavy.removeLast();
            fold(h.x(), h.weight(), h.delta());
        }
    }

    private void fold(float[] x, double a, boolean delta) {
        for (int i = 0; i < size; i++) {
            sum.add(i, a * x[i]);
        }
        weights.add(0, a);
        if (delta) {
            weights.add(1, a);
        }
    }

    /** How many sites were folded in (with any weight). */
    public long count() {
        return count;
    }

    /** The number of values of the updates. */
    public int size() {
        return size;
    }

    /** The total weight folded in so far, before any cap (held updates included). */
    public double totalWeight() {
        double w = weights.get(0);
        for (Heavy h : heavy) {
            w += h.weight();
        }
        return w;
    }

    /**
     * The weighted mean of everything folded in, as a model with {@code global}'s layout: the held heaviest updates
     * are folded in with their weights capped at the round's share, as {@link WeightedMeanAggregator} caps them.
     * This fold is spent afterwards.
     *
     * @throws IllegalStateException if no site with a positive weight was folded in
     */
    public ModelParameters mean(ModelParameters global) {
        if (global.size() != size) {
            throw new IllegalArgumentException("the global model has " + global.size() + " values, the fold " + size);
        }
        foldHeavy();
        double total = weights.get(0);
        if (!(total > 0)) {
            throw new IllegalStateException("no update with positive weight was folded in");
        }
        double thetaShare = weights.get(1) / total;
        float[] theta = global.flat();
        float[] mean = new float[size];
        for (int i = 0; i < size; i++) {
            mean[i] = (float) (sum.get(i) / total + thetaShare * theta[i]);
        }
        return ModelParameters.ofFlat(global.layout(), mean);
    }

    /** The sites whose weight the share cap cut, once {@link #mean} ran. */
    public List<WeightCaps.Capped> weightCaps() {
        return capped == null ? List.of() : capped;
    }

    private void foldHeavy() {
        if (heavy.isEmpty()) {
            capped = List.of();
            return;
        }
        double[] sorted = new double[heavy.size()];
        for (int k = 0; k < sorted.length; k++) {
            sorted[k] = heavy.get(k).weight();
        }
        double rest = weights.get(0);
        double[] out = new double[2];
        WeightCaps.cap(sorted, rest, (int) Math.min(Integer.MAX_VALUE, positive), maxShare, out);
        double c = out[1];
        double total = rest;
        double[] used = new double[sorted.length];
        for (int k = 0; k < sorted.length; k++) {
            used[k] = Math.min(sorted[k], c);
            total += used[k];
        }
        List<WeightCaps.Capped> caps = new ArrayList<>();
        for (int k = 0; k < sorted.length; k++) {
            Heavy h = heavy.get(k);
            if (used[k] < h.weight()) {
                caps.add(new WeightCaps.Capped(h.siteId(), h.weight(), used[k], used[k] / total));
            }
            fold(h.x(), used[k], h.delta());
        }
        heavy.clear();
        capped = List.copyOf(caps);
    }

    @Override
    public String toString() {
        return "LinearFold[" + count + " site(s), " + size + " values, held " + heavy.size() + "]"
                + (heavy.isEmpty() ? "" : Arrays.toString(heavy.stream().map(Heavy::siteId).toArray()));
    }
}
