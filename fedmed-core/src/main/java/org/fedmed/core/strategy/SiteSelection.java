package org.fedmed.core.strategy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.fedmed.core.Seeds;

/**
 * Which sites take part in a round: a fraction C of the available sites, or a fixed count m, never fewer
 * than a minimum. The draw is made with a RNG seeded from the run seed and the round (stream
 * {@link Seeds.Stream#SITE_SELECTION}), so a run is reproducible, and the chosen sites are returned in sorted
 * order so that aggregation order is too.
 *
 * <p>From a {@link SortedSiteIds} view (a population) the draw is of positions, by {@link IndexSampling#fixedSize}
 * with a {@link java.util.SplittableRandom} on the same stream, and reads only the ids drawn; from any other list it
 * is a seeded shuffle of the sorted ids, as it always was. The two draws differ, so a pool offers the same sites
 * the same way in every run.
 */
public record SiteSelection(double fraction, int count, int minSites) {

    public SiteSelection {
        if (count < 0) {
            throw new IllegalArgumentException("sites_per_round must be >= 0, got " + count);
        }
        if (count == 0 && !(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        if (minSites < 1) {
            throw new IllegalArgumentException("min_fit_sites must be >= 1, got " + minSites);
        }
    }

    /** Every available site, every round. */
    public static SiteSelection all(int minSites) {
        return new SiteSelection(1.0, 0, minSites);
    }

    public static SiteSelection fraction(double c, int minSites) {
        return new SiteSelection(c, 0, minSites);
    }

    public static SiteSelection count(int m, int minSites) {
        return new SiteSelection(0, m, minSites);
    }

    /** How many of {@code available} sites to draw. */
    public int sampleSize(int available) {
        int k = count > 0 ? count : (int) Math.ceil(fraction * available);
        return Math.min(available, Math.max(k, minSites));
    }

    /** Draws this round's sites. */
    public List<String> sample(List<String> available, long seed, int round) {
        if (available.size() < minSites) {
            throw new IllegalStateException("round " + round + ": only " + available.size()
                    + " site(s) available " + available + " but min_fit_sites is " + minSites);
        }
        if (available instanceof SortedSiteIds ids) {
            int k = sampleSize(ids.size());
            return k >= ids.size() ? ids : ids.at(IndexSampling.fixedSize(ids.size(), k,
                    new java.util.SplittableRandom(Seeds.ofRound(seed, Seeds.Stream.SITE_SELECTION, round))));
        }
        List<String> pool = new ArrayList<>(available);
        Collections.sort(pool);
        int k = sampleSize(pool.size());
        if (k < pool.size()) {
            Collections.shuffle(pool, new Random(Seeds.ofRound(seed, Seeds.Stream.SITE_SELECTION, round)));
            pool = new ArrayList<>(pool.subList(0, k));
            Collections.sort(pool);
        }
        return List.copyOf(pool);
    }
}
