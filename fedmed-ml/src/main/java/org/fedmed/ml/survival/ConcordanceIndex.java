package org.fedmed.ml.survival;

import java.util.Arrays;

/**
 * Harrell's concordance index of risk scores, with ties and censoring handled exactly as lifelines'
 * {@code lifelines.utils.concordance_index(event_times, predicted_scores, event_observed)} handles them when called,
 * as FLamby's Fed-TCGA-BRCA metric calls it, with {@code predicted_scores = -risk}:
 * <ul>
 *   <li>a pair (i, j) is admissible when i's event is observed and j outlived it: {@code T_j > T_i}, or
 *       {@code T_j == T_i} with j censored (a censored row counts as at risk at its own time). Two events at the same
 *       time are not a pair; a censored row is never the earlier member of a pair;</li>
 *   <li>an admissible pair is concordant when {@code risk_i > risk_j}, counts 0.5 when {@code risk_i == risk_j}
 *       (exact equality of the doubles), and is discordant otherwise;</li>
 *   <li>C = (concordant + 0.5 tied) / admissible pairs.</li>
 * </ul>
 * The counting is O(n log n) (a sort by time and a Fenwick tree over the ranks of the risks), like lifelines' own.
 */
public final class ConcordanceIndex {

    private ConcordanceIndex() {
    }

    /** The C-index of {@code risk} (higher = shorter expected survival); NaN when no pair is admissible. */
    public static double of(double[] times, boolean[] events, double[] risk) {
        return counts(times, events, risk).cIndex();
    }

    /** The admissible pairs of {@code data} by how a Cox model with coefficients {@code params} ranks them. */
    public static ConcordanceCounts counts(CoxModel model, float[] params, SurvivalData data) {
        return counts(data.times(), data.events(), model.risk(params, data));
    }

    /**
     * The admissible pairs of these rows by how {@code risk} ranks them.
     *
     * @throws IllegalArgumentException if the arrays differ in length or hold NaN
     */
    public static ConcordanceCounts counts(double[] times, boolean[] events, double[] risk) {
        int n = times.length;
        if (events.length != n || risk.length != n) {
            throw new IllegalArgumentException("C-index: " + n + " times, " + events.length + " event flags and "
                    + risk.length + " risk scores");
        }
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(times[i]) || Double.isNaN(risk[i])) {
                throw new IllegalArgumentException("C-index: row " + i + " has time " + times[i] + " and risk "
                        + risk[i] + "; NaN cannot be ranked");
            }
        }
        double[] distinct = risk.clone();
        Arrays.sort(distinct);
        int levels = 0;
        for (int i = 0; i < n; i++) {
            if (levels == 0 || distinct[i] != distinct[levels - 1]) {
                distinct[levels++] = distinct[i];
            }
        }
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[i] = rankOf(distinct, levels, risk[i]);
        }
        // rows by time, shortest first (the reverse of the risk sets' longest-first order)
        int[] descending = new int[n];
        for (int i = 0; i < n; i++) {
            descending[i] = i;
        }
        RiskSets.sortByTimeDescending(descending, new int[n], times, n);
        int[] byTime = new int[n];
        for (int i = 0; i < n; i++) {
            byTime[i] = descending[n - 1 - i];
        }
        // pool: the risks of events strictly before the group being handled (then also of its events, for its
        // censored rows), as counts per rank
        long[] tree = new long[levels + 1];
        long pool = 0;
        long concordant = 0;
        long tied = 0;
        long pairs = 0;
        int g = 0;
        while (g < n) {
            int end = g + 1;
            while (end < n && times[byTime[end]] == times[byTime[g]]) {
                end++;
            }
            // the group's events against earlier events
            for (int i = g; i < end; i++) {
                int r = byTime[i];
                if (events[r]) {
                    pairs += pool;
                    long atMost = prefix(tree, rank[r] + 1);
                    long below = prefix(tree, rank[r]);
                    concordant += pool - atMost;
                    tied += atMost - below;
                }
            }
            for (int i = g; i < end; i++) {
                int r = byTime[i];
                if (events[r]) {
                    add(tree, rank[r] + 1);
                    pool++;
                }
            }
            // the group's censored rows against every event up to and including this time
            for (int i = g; i < end; i++) {
                int r = byTime[i];
                if (!events[r]) {
                    pairs += pool;
                    long atMost = prefix(tree, rank[r] + 1);
                    long below = prefix(tree, rank[r]);
                    concordant += pool - atMost;
                    tied += atMost - below;
                }
            }
            g = end;
        }
        return new ConcordanceCounts(concordant, pairs - concordant - tied, tied);
    }

    private static int rankOf(double[] distinct, int levels, double v) {
        int lo = 0;
        int hi = levels - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (distinct[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Number of pooled risks with rank below {@code upTo} (1-based Fenwick prefix). */
    private static long prefix(long[] tree, int upTo) {
        long s = 0;
        for (int i = upTo; i > 0; i -= i & -i) {
            s += tree[i];
        }
        return s;
    }

    private static void add(long[] tree, int at) {
        for (int i = at; i < tree.length; i += i & -i) {
            tree[i]++;
        }
    }
}
