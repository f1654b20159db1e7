package org.fedmed.core.strategy.robust;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * {@link AggregationRule.Krum} (m = 1) and {@link AggregationRule.MultiKrum}: of the round's N updates, taken as
 * full weights, m are chosen one at a time, each the update whose summed squared L2 distance to its
 * max(1, r - f - 2) nearest others among the r still unchosen is lowest (ties to the lowest site id); the result is
 * the unweighted mean of the chosen updates (for m = 1, the chosen update itself). No server step is applied.
 *
 * <p>{@link #result()} refuses, naming N, f and m, when N &lt;= 2f + 2 or m &gt; N - f. It holds every accepted
 * update: memory O(N·P) plus the N² distances; time O(N²·P) for the distances, computed once in double precision.
 * The result depends only on the set of updates, not on their arrival order, bit for bit. An update refused at
 * {@link #accept} leaves nothing behind.
 */
public final class KrumAggregator implements Aggregator {

    private final HeldUpdates updates;
    private final int byzantine;
    private final int selected;
    private List<String> chosen = List.of();

    /**
     * @param global    the model the round started from
     * @param round     the round results must belong to (checked against their task id)
     * @param byzantine f, the number of faulty updates to withstand, &gt;= 0
     * @param selected  m, the number of updates chosen and averaged, &gt;= 1
     */
    public KrumAggregator(ModelParameters global, int round, int byzantine, int selected) {
        this(new UpdateIntake(global, round), byzantine, selected);
    }

    /** Krum over the updates {@code intake} admits (its global model, round and norm bound). */
    public KrumAggregator(UpdateIntake intake, int byzantine, int selected) {
        if (byzantine < 0) {
            throw new IllegalArgumentException("aggregation.byzantine must be >= 0, got " + byzantine);
        }
        if (selected < 1) {
            throw new IllegalArgumentException("aggregation.selected must be >= 1, got " + selected);
        }
        this.updates = new HeldUpdates(intake);
        this.byzantine = byzantine;
        this.selected = selected;
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        updates.accept(update);
    }

    @Override
    public int accepted() {
        return updates.count();
    }

    /** The sites whose updates were chosen, in the order they were chosen; empty before {@link #result()}. */
    public List<String> chosenSites() {
        return chosen;
    }

    @Override
    public ModelParameters result() {
        List<String> sites = new ArrayList<>();
        float[][] x = updates.finish(sites);
        int n = x.length;
        int f = byzantine;
        if (n <= 2 * f + 2) {
            throw new IllegalStateException("krum needs more than 2f + 2 = " + (2 * f + 2) + " updates for "
                    + "aggregation.byzantine f = " + f + ", but the round has n = " + n);
        }
        if (selected > n - f) {
            throw new IllegalStateException("multi_krum's aggregation.selected m = " + selected + " exceeds n - f = "
                    + (n - f) + " (n = " + n + " updates, aggregation.byzantine f = " + f + ")");
        }
        double[][] d = distances(x);
        boolean[] taken = new boolean[n];
        int[] order = new int[selected];
        double[] near = new double[n];
        for (int pick = 0; pick < selected; pick++) {
            int left = n - pick;
            int neighbours = Math.max(1, left - f - 2);
            int best = -1;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (taken[i]) {
                    continue;
                }
                int c = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i && !taken[j]) {
                        near[c++] = d[i][j];
                    }
                }
                Arrays.sort(near, 0, c);
                double score = 0;
                for (int j = 0; j < Math.min(neighbours, c); j++) {
                    score += near[j];
                }
                if (best < 0 || score < bestScore) {
                    best = i;
                    bestScore = score;
                }
            }
            taken[best] = true;
            order[pick] = best;
        }
        List<String> names = new ArrayList<>();
        for (int k : order) {
            names.add(sites.get(k));
        }
        chosen = List.copyOf(names);
        return ModelParameters.ofFlat(updates.global().layout(), mean(x, taken));
    }

    /** Squared L2 distances between every pair, in double precision. */
    private static double[][] distances(float[][] x) {
        int n = x.length;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            float[] a = x[i];
            for (int j = i + 1; j < n; j++) {
                float[] b = x[j];
                double s = 0;
                for (int k = 0; k < a.length; k++) {
                    double diff = (double) a[k] - b[k];
                    s += diff * diff;
                }
                d[i][j] = s;
                d[j][i] = s;
            }
        }
        return d;
    }

    /** The unweighted mean of the chosen updates, summed in site-id order. */
    private static float[] mean(float[][] x, boolean[] taken) {
        int p = x[0].length;
        double[] sum = new double[p];
        int m = 0;
        for (int k = 0; k < x.length; k++) {
            if (!taken[k]) {
                continue;
            }
            m++;
            float[] v = x[k];
            for (int i = 0; i < p; i++) {
                sum[i] += v[i];
            }
        }
        float[] out = new float[p];
        for (int i = 0; i < p; i++) {
            out[i] = (float) (sum[i] / m);
        }
        return out;
    }
}
