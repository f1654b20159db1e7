package org.fedmed.privacy.fedavg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.Seeds;
import org.fedmed.core.strategy.IndexSampling;
import org.fedmed.core.strategy.SortedSiteIds;

/**
 * Fixed-size sampling: exactly m of the N available sites (all of them if N <= m), drawn uniformly without
 * replacement, as McMahan et al. (2018) did.
 *
 * <p>Accounting charges q = m / N as if sampling were Poisson at that rate. This is the usual approximation (the
 * one of Abadi et al. 2016 and McMahan et al. 2018), not an exact bound: the RDP of sampling without replacement is
 * analysed under substitution adjacency by Wang, Balle and Kasiviswanathan (2019) and is somewhat larger. Use
 * {@link PoissonSiteSampler} when the guarantee must be exact.
 *
 * <p>From a {@link SortedSiteIds} view (a population) the m positions are drawn by the same partial
 * shuffle over positions ({@link IndexSampling#fixedSize}) on the same stream, reading only the ids drawn: the same
 * sites as from a list of the same ids, and the same accounting.
 */
public record FixedSizeSiteSampler(int sitesPerRound) implements SiteSampler {

    public FixedSizeSiteSampler {
        if (sitesPerRound < 1) {
            throw new IllegalArgumentException("sites_per_round must be >= 1, got " + sitesPerRound);
        }
    }

    @Override
    public List<String> sample(List<String> available, long seed, int round) {
        if (available instanceof SortedSiteIds ids) {
            return ids.at(IndexSampling.fixedSize(ids.size(), sitesPerRound,
                    new SplittableRandom(Seeds.ofRound(seed, Seeds.Stream.DP_SITE_SAMPLING, round))));
        }
        List<String> pool = new ArrayList<>(available);
        Collections.sort(pool);
        int k = Math.min(sitesPerRound, pool.size());
        SplittableRandom rng = new SplittableRandom(Seeds.ofRound(seed, Seeds.Stream.DP_SITE_SAMPLING, round));
        for (int i = 0; i < k; i++) {
            Collections.swap(pool, i, i + rng.nextInt(pool.size() - i));
        }
        List<String> chosen = new ArrayList<>(pool.subList(0, k));
        Collections.sort(chosen);
        return List.copyOf(chosen);
    }

    @Override
    public double samplingRate(int available) {
        return available == 0 ? 1 : Math.min(1.0, (double) sitesPerRound / available);
    }

    @Override
    public double expectedSites(int available) {
        return Math.max(1, Math.min(sitesPerRound, available));
    }
}
