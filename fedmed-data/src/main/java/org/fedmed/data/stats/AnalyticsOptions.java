package org.fedmed.data.stats;

import java.util.Map;

/**
 * What {@link Analytics} computes and releases.
 *
 * @param k              the federation's k: no count from 1 to k-1 is released (default {@value #DEFAULT_K})
 * @param siteK          a larger k some sites ask for, by site id; the larger of {@code k} and a site's own applies
 *                       to that site's cells, and the largest of the sites pooled applies to the pooled cells
 * @param crossTabColumn a categorical feature to cross-tabulate by the label; null for none
 * @param bins           bins of the histograms behind the pooled quartiles (each within one bin of the exact one)
 * @param noise          Gaussian noise on released counts; null for none
 */
public record AnalyticsOptions(long k, Map<String, Long> siteK, String crossTabColumn, int bins,
                               GaussianCountNoise noise) {

    /** The default k. */
    public static final long DEFAULT_K = 5;

    public AnalyticsOptions {
        if (k < 1) {
            throw new IllegalArgumentException("analytics option 'k' must be >= 1, got " + k);
        }
        siteK = siteK == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(siteK));
        siteK.forEach((site, v) -> {
            if (v == null || v < 1) {
                throw new IllegalArgumentException("analytics option 'k' of site '" + site + "' must be >= 1, got "
                        + v);
            }
        });
        if (bins < 2) {
            throw new IllegalArgumentException("analytics option 'bins' must be >= 2, got " + bins);
        }
    }

    /** k 5, no site k, no cross-tabulation, 1024 bins, no noise. */
    public static AnalyticsOptions defaults() {
        return new AnalyticsOptions(DEFAULT_K, Map.of(), null, 1024, null);
    }

    /** The k applied to site {@code siteId}'s cells. */
    public long kOf(String siteId) {
        return Math.max(k, siteK.getOrDefault(siteId, k));
    }

    public AnalyticsOptions withCrossTab(String column) {
        return new AnalyticsOptions(k, siteK, column, bins, noise);
    }

    public AnalyticsOptions withK(long newK, Map<String, Long> perSite) {
        return new AnalyticsOptions(newK, perSite, crossTabColumn, bins, noise);
    }

    public AnalyticsOptions withNoise(GaussianCountNoise n) {
        return new AnalyticsOptions(k, siteK, crossTabColumn, bins, n);
    }
}
