package org.fedmed.ml.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Harrell's C-index against hand-computed cases, the literals of lifelines' own tests
 * ({@code lifelines/tests/utils/test_concordance.py}, {@code test_utils.py}), and a port of lifelines'
 * {@code _naive_concordance_summary_statistics} (the O(n^2) definition lifelines checks its fast version against).
 * lifelines takes predicted survival times, where higher means longer survival; a risk is their negation.
 */
class ConcordanceIndexTest {

    private static double[] negate(double... v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = -v[i];
        }
        return r;
    }

    private static boolean[] all(int n, boolean v) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, v);
        return b;
    }

    @Test
    void lifelinesTiedEventTimesAreNoPairSoTheirTestCaseIsOne() {
        // test_both_concordance_index_function_deal_with_ties_the_same_way
        assertEquals(1.0, ConcordanceIndex.of(new double[] {1, 1, 2}, all(3, true), negate(1, 2, 3)));
    }

    @Test
    void lifelinesShiftTestCaseIsTenConcordantPairsOfFifteen() {
        // test_concordance_index_returns_same_after_shifting, T = 1..6, T_ = 2 1 4 6 5 3: by hand, the 15 pairs
        // hold 10 concordant ones (4 from T=1, 4 from T=2, 2 from T=3)
        double[] t = {1, 2, 3, 4, 5, 6};
        double[] shifted = {-4, -3, -2, -1, 0, 1};
        ConcordanceCounts c = ConcordanceIndex.counts(t, all(6, true), negate(2, 1, 4, 6, 5, 3));
        assertEquals(new ConcordanceCounts(10, 5, 0), c);
        assertEquals(2.0 / 3, c.cIndex(), 1e-15);
        assertEquals(c, ConcordanceIndex.counts(shifted, all(6, true), negate(-3, -4, -1, 1, 0, -2)));
    }

    @Test
    void lifelinesPerfectAndReversedOrderingsAreOneAndZero() {
        // test_concordance_index_will_not_overflow, on 65537 rows
        int n = 65537;
        double[] b = new double[n];
        double[] reversed = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = i;
            reversed[i] = n - 1 - i;
        }
        assertEquals(1.0, ConcordanceIndex.of(b, all(n, true), negate(b)));
        assertEquals(0.0, ConcordanceIndex.of(b, all(n, true), negate(reversed)));
        assertEquals((long) n * (n - 1) / 2, ConcordanceIndex.counts(b, all(n, true), negate(b)).pairs());
    }

    @Test
    void equalRisksAreExactlyHalfAndOnlyCensoredRowsHaveNoPair() {
        // test_concordance_index: "Zeros is exactly random"; only censoring: lifelines raises, here NaN
        SplittableRandom rng = new SplittableRandom(4);
        double[] t = new double[200];
        boolean[] e = new boolean[200];
        for (int i = 0; i < t.length; i++) {
            t[i] = rng.nextDouble();
            e[i] = rng.nextBoolean();
        }
        assertEquals(0.5, ConcordanceIndex.of(t, e, new double[200]));
        assertTrue(Double.isNaN(ConcordanceIndex.of(new double[] {1, 2, 3}, all(3, false), new double[3])));
    }

    @Test
    void handCaseWithCensoringTiedTimesAndTiedRisks() {
        // times 2 2 3 3 5, events 1 0 1 1 0. Pairs: row 0 (event at 2) with row 1 (censored at 2: at risk at its
        // own time), 2, 3, 4; rows 2 and 3 (events at 3) with row 4 only, not with each other; censored rows are
        // never the earlier member: 6 pairs. Risks 0.9 0.9 0.5 0.7 0.1: row 0 ties row 1, the rest concordant.
        double[] t = {2, 2, 3, 3, 5};
        boolean[] e = {true, false, true, true, false};
        ConcordanceCounts c = ConcordanceIndex.counts(t, e, new double[] {0.9, 0.9, 0.5, 0.7, 0.1});
        assertEquals(new ConcordanceCounts(5, 0, 1), c);
        assertEquals(5.5 / 6, c.cIndex(), 1e-15);
        // row 3's risk above row 0's makes the pair (0, 3) discordant
        assertEquals(new ConcordanceCounts(4, 1, 1),
                ConcordanceIndex.counts(t, e, new double[] {0.9, 0.9, 0.5, 0.95, 0.1}));
    }

    @Test
    void fastCountsEqualTheNaiveDefinitionOnDataFullOfTies() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + rng.nextInt(120);
            double[] t = new double[n];
            boolean[] e = new boolean[n];
            double[] risk = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = rng.nextInt(10);
                e[i] = rng.nextInt(3) > 0;
                risk[i] = rng.nextInt(6) * 0.25 - 0.5;
            }
            assertEquals(naive(t, e, negate(risk)), ConcordanceIndex.counts(t, e, risk), "trial " + trial);
        }
    }

    @Test
    void pooledCountsArePairsWithinSitesAndDifferFromTheUnionOfTheRows() {
        // site a: times 1 (event), 2 (censored); site b: times 3 (event), 4 (censored)
        ConcordanceCounts a = ConcordanceIndex.counts(new double[] {1, 2}, new boolean[] {true, false},
                new double[] {1, 0});
        ConcordanceCounts b = ConcordanceIndex.counts(new double[] {3, 4}, new boolean[] {true, false},
                new double[] {5, 4});
        ConcordanceCounts pooled = ConcordanceCounts.sum(List.of(a, b));
        assertEquals(new ConcordanceCounts(2, 0, 0), pooled);
        assertEquals(1.0, pooled.cIndex());
        // the union also pairs a's event (time 1, risk 1) with b's rows (risks 5, 4): 2 more pairs, both
        // discordant; a's censored row (time 2) left before b's event (time 3), so those two are no pair
        double union = ConcordanceIndex.of(new double[] {1, 2, 3, 4}, new boolean[] {true, false, true, false},
                new double[] {1, 0, 5, 4});
        assertEquals(2.0 / 4, union, 1e-15);
        assertNotEquals(pooled.cIndex(), union);
    }

    /** lifelines' _naive_concordance_summary_statistics, on predicted survival times. */
    private static ConcordanceCounts naive(double[] t, boolean[] e, double[] pred) {
        long correct = 0;
        long tied = 0;
        long pairs = 0;
        for (int a = 0; a < t.length; a++) {
            for (int b = a + 1; b < t.length; b++) {
                if (!valid(t[a], t[b], e[a], e[b])) {
                    continue;
                }
                pairs++;
                if (pred[a] == pred[b]) {
                    tied++;
                } else if (pred[a] < pred[b]) {
                    correct += (t[a] < t[b]) || (t[a] == t[b] && e[a] && !e[b]) ? 1 : 0;
                } else {
                    correct += (t[a] > t[b]) || (t[a] == t[b] && !e[a] && e[b]) ? 1 : 0;
                }
            }
        }
        return new ConcordanceCounts(correct, pairs - correct - tied, tied);
    }

    private static boolean valid(double ta, double tb, boolean ea, boolean eb) {
        if (ta == tb) {
            return ea != eb;
        }
        if (ea && eb) {
            return true;
        }
        if (ea && ta < tb) {
            return true;
        }
        return eb && tb < ta;
    }
}
