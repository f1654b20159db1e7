package org.fedmed.data.split;

import java.util.List;
import java.util.random.RandomGenerator;

/** Seeded Fisher-Yates shuffling of row indices, shared by splits and partitioners. */
public final class Shuffle {

    private Shuffle() {
    }

    /** The indices in a uniformly random order drawn from {@code rng}. */
    public static int[] shuffled(List<Integer> indices, RandomGenerator rng) {
        int[] a = indices.stream().mapToInt(Integer::intValue).toArray();
        shuffle(a, rng);
        return a;
    }

    /** Shuffles {@code a} in place. */
    public static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
