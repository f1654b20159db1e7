package org.fedmed.core.strategy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Draws positions 0..n-1 of a population without touching the others, in O(drawn) time and memory: what a round
 * samples from a {@link SortedSiteIds} view of a million sites. Both draws return ascending positions and are a
 * function of the generator's state only.
 */
public final class IndexSampling {

    private IndexSampling() {
    }

    /**
     * Exactly {@code min(k, n)} distinct positions, uniformly among all such subsets: the first k steps of a
     * Fisher-Yates shuffle of 0..n-1 (step i swaps position i with {@code i + rng.nextInt(n - i)}), with only the
     * swapped positions held in a map, so it costs O(k) whatever n. Drawn with the same generator, the k positions
     * are among the k' &gt;= k ones (over-selection keeps the sites it would draw without it), and they are exactly
     * the sites a list pool's partial shuffle of the same sorted ids with the same generator takes.
     */
    public static int[] fixedSize(int n, int k, RandomGenerator rng) {
        if (n < 0 || k < 0) {
            throw new IllegalArgumentException("fixed-size sampling needs n >= 0 and k >= 0, got n " + n + ", k " + k);
        }
        int m = Math.min(k, n);
        Map<Integer, Integer> moved = new HashMap<>(Math.max(16, m * 2));
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int atJ = moved.getOrDefault(j, j);
            int atI = moved.getOrDefault(i, i);
            moved.put(j, atI);
            out[i] = atJ;
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * Each position independently with probability {@code q} (Poisson sampling), by geometric skips: the gap to the
     * next position taken is {@code floor(ln U / ln(1 - q))} for a uniform U in (0, 1], so the draw costs one
     * uniform per position taken. {@code q = 1} takes every position.
     */
    public static int[] poisson(int n, double q, RandomGenerator rng) {
        if (n < 0 || !(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("Poisson sampling needs n >= 0 and q in (0, 1], got n " + n + ", q " + q);
        }
        if (q == 1) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        double logStay = Math.log1p(-q);
        int[] out = new int[Math.max(16, (int) Math.min(n, 2 * q * n + 16))];
        int count = 0;
        long at = -1;
        while (true) {
            double u = 1.0 - rng.nextDouble();
            at += 1 + (long) Math.floor(Math.log(u) / logStay);
            if (at >= n) {
                break;
            }
            if (count == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[count++] = (int) at;
        }
        return Arrays.copyOf(out, count);
    }
}
