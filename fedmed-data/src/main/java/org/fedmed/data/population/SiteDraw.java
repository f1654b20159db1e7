package org.fedmed.data.population;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.Seeds;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.split.Shuffle;

/**
 * How one kind of generator builds a virtual site: from a base dataset's pool ({@link PooledDraw}) or synthetically
 * ({@link WearableDraw}). A draw holds only what every site shares, never anything per site, and builds a site from
 * its index, its id and its own seeded stream alone.
 */
sealed interface SiteDraw permits PooledDraw, WearableDraw {

    /** Site {@code index} (id {@code id}), its rows drawn from {@code rng}, the site's own stream. */
    SiteData site(long index, String id, SplittableRandom rng);

    /** The base dataset's name, or {@code wearable}. */
    String name();

    /** The encoded feature names of every site. */
    List<String> featureNames();

    /** Number of classes, 0 for regression. */
    int classes();

    /** The SHA-256 of every file read, by name. */
    Map<String, String> checksums();

    /**
     * A site's training and test row positions among its n rows, each ascending:
     * {@code max(1, min(n - 1, round(n * testFraction)))} test rows chosen uniformly by the site's
     * {@link Seeds.Stream#SITE_SPLIT} seed.
     */
    static int[][] split(PopulationSpec spec, String id, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Shuffle.shuffle(order, new SplittableRandom(Seeds.ofSite(spec.seed(), Seeds.Stream.SITE_SPLIT, id)));
        int held = (int) Math.max(1, Math.min(n - 1, Math.round(n * spec.testFraction())));
        int[] test = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, n);
        Arrays.sort(test);
        Arrays.sort(train);
        return new int[][] {train, test};
    }

    /** The index whose cumulative probability first exceeds {@code u}; the last index for rounding at the top. */
    static int pick(double[] p, double u) {
        double cumulative = 0;
        for (int c = 0; c < p.length - 1; c++) {
            cumulative += p[c];
            if (u < cumulative) {
                return c;
            }
        }
        return p.length - 1;
    }
}
