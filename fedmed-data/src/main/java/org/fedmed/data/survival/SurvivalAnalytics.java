package org.fedmed.data.survival;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.definition.LabelRule;
import org.fedmed.data.stats.AnalyticsOptions;
import org.fedmed.data.stats.SiteOrder;

/**
 * Survival analytics in one process, the way deployed sites and their server compute it: each site's releases
 * ({@link SiteSurvival}) under the k that applies to it ({@link AnalyticsOptions#kOf}), taken in
 * {@link SiteOrder canonical order} and pooled into a {@link SurvivalReport}. A deployment's server builds the same
 * report from what its sites send, with {@link SurvivalReport#of}.
 */
public final class SurvivalAnalytics {

    private SurvivalAnalytics() {
    }

    /**
     * The report over sites {@code siteIds} with training rows {@code trains} (same order, one schema, event flags
     * read).
     *
     * @throws IllegalArgumentException naming the site, as {@link SiteSurvival#release} does
     */
    public static SurvivalReport run(String dataset, LabelRule label, List<String> siteIds, List<RawTable> trains,
                                     SurvivalQuery query, AnalyticsOptions options, SurvivalEstimator estimator,
                                     double confidence) {
        int[] order = SiteOrder.canonical(siteIds);
        List<SurvivalRelease> releases = new ArrayList<>();
        for (int i : order) {
            String id = siteIds.get(i);
            releases.addAll(SiteSurvival.release(id, label, trains.get(i), query, options.kOf(id)));
        }
        return SurvivalReport.of(dataset, query, options.k(), estimator, confidence, releases);
    }
}
