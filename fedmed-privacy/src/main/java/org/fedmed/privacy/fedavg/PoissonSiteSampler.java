package org.fedmed.privacy.fedavg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.Seeds;
import org.fedmed.core.strategy.IndexSampling;
import org.fedmed.core.strategy.SortedSiteIds;

/**
 * Poisson sampling: each available site takes part independently with probability q, so a round may have any
 * number of sites, none included. This is the sampling the RDP analysis of the sampled Gaussian mechanism assumes,
 * so the accountant's figure is exact for it. Expected sites per round: q N.
 *
 * <p>From a {@link SortedSiteIds} view (a population) the sites are drawn by geometric skips
 * ({@link IndexSampling#poisson}) on the same stream, one uniform per site taken; each site is still taken
 * independently with probability q, so the accounting is unchanged.
 */
public record PoissonSiteSampler(double probability) implements SiteSampler {

    public PoissonSiteSampler {
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("site sampling probability q must be in (0, 1], got " + probability);
        }
    }

    @Override
    public List<String> sample(List<String> available, long seed, int round) {
        if (available instanceof SortedSiteIds ids) {
            return ids.at(IndexSampling.poisson(ids.size(), probability,
                    new SplittableRandom(Seeds.ofRound(seed, Seeds.Stream.DP_SITE_SAMPLING, round))));
        }
        List<String> sorted = new ArrayList<>(available);
        Collections.sort(sorted);
        SplittableRandom rng = new SplittableRandom(Seeds.ofRound(seed, Seeds.Stream.DP_SITE_SAMPLING, round));
        List<String> chosen = new ArrayList<>();
        for (String site : sorted) {
            if (rng.nextDouble() < probability) {
                chosen.add(site);
            }
        }
        return List.copyOf(chosen);
    }

    @Override
    public double samplingRate(int available) {
        return probability;
    }

    @Override
    public double expectedSites(int available) {
        return probability * available;
    }
}
