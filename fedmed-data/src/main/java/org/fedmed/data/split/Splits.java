package org.fedmed.data.split;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded, stratified two-way splits within one site. For each class, {@code round(n_c * fraction)} of its
 * rows (chosen uniformly at random) go to the held-out part, but a class with at least two rows always
 * keeps one in training and a class with one row stays in training. The same labels, fraction and seed
 * always give the same split. The same mechanism serves train/test and train/validation.
 */
public final class Splits {

    private Splits() {
    }

    /**
     * Splits rows by their strata (class indices in 0..strata-1; pass all zeros and 1 for regression).
     *
     * @param fraction share of each stratum held out, in [0, 1)
     */
    public static Split stratified(int[] strata, int strataCount, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("split fraction must lie in [0, 1), got " + fraction);
        }
        if (strataCount < 1) {
            throw new IllegalArgumentException("split strataCount must be >= 1, got " + strataCount);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < strataCount; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < strata.length; i++) {
            if (strata[i] < 0 || strata[i] >= strataCount) {
                throw new IllegalArgumentException("row " + i + " has stratum " + strata[i] + ", outside 0.." + (strataCount - 1));
            }
            byClass.get(strata[i]).add(i);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> rows : byClass) {
            int[] shuffled = Shuffle.shuffled(rows, rng);
            int held = (int) Math.round(rows.size() * fraction);
            if (rows.size() >= 2) {
                held = Math.min(held, rows.size() - 1);
            } else {
                held = 0;
            }
            for (int k = 0; k < shuffled.length; k++) {
                (k < held ? test : train).add(shuffled[k]);
            }
        }
        return new Split(train.stream().mapToInt(Integer::intValue).toArray(),
                test.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Splits labels of a dataset with {@code classes} classes (0 for regression, then unstratified). */
    public static Split stratifiedByLabel(float[] labels, int classes, double fraction, long seed) {
        int[] strata = new int[labels.length];
        if (classes > 0) {
            for (int i = 0; i < strata.length; i++) {
                strata[i] = (int) labels[i];
            }
        }
        return stratified(strata, Math.max(1, classes), fraction, seed);
    }
}
