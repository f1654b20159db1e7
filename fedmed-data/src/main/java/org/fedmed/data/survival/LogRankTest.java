package org.fedmed.data.survival;

import java.util.ArrayList;
import java.util.List;

/**
 * The log-rank test between two groups, computed by the server from the sites' released per-bin counts alone. Both
 * groups are pooled on the bins every release of both kept, and each pooled bin j is one time at which its events are
 * tied: with {@code n_j = n1_j + n2_j} at risk and {@code d_j = d1_j + d2_j} events,
 * <pre>
 * E1 = sum_j d_j n1_j / n_j
 * V  = sum_j d_j (n1_j / n_j) (n2_j / n_j) (n_j - d_j) / (n_j - 1)     (bins with n_j > 1)
 * chi-square = (O1 - E1)^2 / V,  1 degree of freedom,  p = P(chi-square_1 > chi-square)
 * </pre>
 * where O1 is the first group's events: the statistic of lifelines' {@code logrank_test} and of the square of
 * scipy's {@code scipy.stats.logrank} on the pooled rows with every time moved to the start of its bin. With coarse
 * bins it is the grouped log-rank test, which treats events within a bin as tied. A site that withheld either group's
 * counts is left out of both, so both groups are compared over the same sites.
 *
 * @param observedFirst  O1, the first group's events
 * @param expectedFirst  E1, its events expected under equal hazards
 * @param observedSecond O2
 * @param expectedSecond E2 = O1 + O2 - E1
 * @param variance       V, the hypergeometric variance of O1 - E1
 * @param chiSquare      the statistic; NaN when V is 0 (no bin with events and two rows at risk)
 * @param pValue         its upper tail with 1 degree of freedom; NaN with the statistic
 * @param bins           the pooled bins the test used
 * @param sites          the sites whose counts it uses
 * @param withheld       the sites left out
 */
public record LogRankTest(String firstGroup, String secondGroup, long observedFirst, double expectedFirst,
                          long observedSecond, double expectedSecond, double variance, double chiSquare,
                          double pValue, TimeBins bins, List<String> sites, List<String> withheld) {

    public LogRankTest {
        sites = List.copyOf(sites);
        withheld = List.copyOf(withheld);
    }

    /**
     * The test between the releases of the first group and those of the second, one of each per site.
     *
     * @throws IllegalArgumentException if a group's releases name two groups, or no site released both groups
     */
    public static LogRankTest of(List<? extends SurvivalRelease> first, List<? extends SurvivalRelease> second) {
        String g1 = groupOf(first);
        String g2 = groupOf(second);
        List<String> withheld = PooledSurvivalCounts.withheldSites(first);
        for (String s : PooledSurvivalCounts.withheldSites(second)) {
            if (!withheld.contains(s)) {
                withheld.add(s);
            }
        }
        List<SurvivalRelease> a = new ArrayList<>();
        List<SurvivalRelease> b = new ArrayList<>();
        for (SurvivalRelease r : first) {
            if (!withheld.contains(r.siteId())) {
                a.add(r);
            }
        }
        for (SurvivalRelease r : second) {
            if (!withheld.contains(r.siteId())) {
                b.add(r);
            }
        }
        if (a.isEmpty() || b.isEmpty()) {
            throw new IllegalArgumentException("no site released counts for both '" + g1 + "' and '" + g2
                    + "' (withheld: " + withheld + "); the log-rank test needs both groups");
        }
        List<SurvivalCounts> ca = PooledSurvivalCounts.released(a);
        List<SurvivalCounts> cb = PooledSurvivalCounts.released(b);
        List<SurvivalCounts> both = new ArrayList<>(ca);
        both.addAll(cb);
        PooledSurvivalCounts.released(both);
        int[] starts = PooledSurvivalCounts.commonStarts(both);
        PooledSurvivalCounts pa = PooledSurvivalCounts.poolOn(ca, starts, withheld);
        PooledSurvivalCounts pb = PooledSurvivalCounts.poolOn(cb, starts, withheld);
        long[] n1 = pa.atRisk();
        long[] n2 = pb.atRisk();
        long[] d1 = pa.events();
        long[] d2 = pb.events();
        long o1 = 0;
        long o2 = 0;
        double e1 = 0;
        double v = 0;
        for (int j = 0; j < starts.length; j++) {
            double n = n1[j] + n2[j];
            double d = d1[j] + d2[j];
            o1 += d1[j];
            o2 += d2[j];
            if (n > 0) {
                e1 += d * n1[j] / n;
            }
            if (n > 1) {
                v += d * (n1[j] / n) * (n2[j] / n) * (n - d) / (n - 1);
            }
        }
        double chi = v > 0 ? (o1 - e1) * (o1 - e1) / v : Double.NaN;
        double p = v > 0 ? Distributions.chiSquare1Survival(chi) : Double.NaN;
        List<String> sites = new ArrayList<>(pa.sites());
        for (String s : pb.sites()) {
            if (!sites.contains(s)) {
                sites.add(s);
            }
        }
        return new LogRankTest(g1, g2, o1, e1, o2, o1 + o2 - e1, v, chi, p, pa.pooledBins(), sites, withheld);
    }

    private static String groupOf(List<? extends SurvivalRelease> releases) {
        if (releases.isEmpty()) {
            throw new IllegalArgumentException("the log-rank test needs releases for each group, got none");
        }
        String g = releases.getFirst().group();
        for (SurvivalRelease r : releases) {
            if (!r.group().equals(g)) {
                throw new IllegalArgumentException("releases of one log-rank group name two groups: '" + g + "' and '"
                        + r.group() + "' (site '" + r.siteId() + "')");
            }
        }
        return g;
    }
}
