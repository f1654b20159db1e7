package org.fedmed.data.survival;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.definition.LabelRule;
import org.fedmed.data.schema.FeatureSpec;

/**
 * A site's side of survival analytics: its {@link SurvivalRelease}s for a {@link SurvivalQuery}, computed over its own
 * training rows under its k. Only counts per bin leave the site, merged or withheld as {@link SurvivalRelease}
 * decides; never a time, an event flag or a group value of a row. The simulation and a deployed site call the same
 * method, so both release the same counts.
 */
public final class SiteSurvival {

    private SiteSurvival() {
    }

    /**
     * The releases of site {@code siteId} for {@code query}, one per group of {@link SurvivalQuery#groups()}, in that
     * order.
     *
     * @param label the site's dataset definition's label: it must be a survival label on the query's two columns
     * @param train the site's training rows, with their event flags
     * @param k     the k that applies to the site's counts
     * @throws IllegalArgumentException naming the site and the column, when the query's columns are not the survival
     *                                  label's, or its group column is not a feature of the right kind or lacks a
     *                                  level named
     */
    public static List<SurvivalRelease> release(String siteId, LabelRule label, RawTable train, SurvivalQuery query,
                                                long k) {
        if (!(label instanceof LabelRule.Survival s)) {
            throw new IllegalArgumentException("site '" + siteId + "': survival counts need a survival label (time"
                    + " and event), but the dataset's label is " + label.describe());
        }
        if (!s.time().equals(query.timeColumn()) || !s.event().equals(query.eventColumn())) {
            throw new IllegalArgumentException("site '" + siteId + "': the request names time '" + query.timeColumn()
                    + "' and event '" + query.eventColumn() + "', but the dataset's survival label is time '"
                    + s.time() + "', event '" + s.event() + "'");
        }
        if (!train.survival()) {
            throw new IllegalArgumentException("site '" + siteId + "': the training rows of " + train.source()
                    + " carry no event flags");
        }
        double[] times = train.labels();
        boolean[] events = train.events();
        return switch (query.grouping()) {
            case SurvivalGrouping.None n ->
                    List.of(SurvivalRelease.of(siteId, SurvivalRelease.ALL, times, events, query.bins(), k));
            case SurvivalGrouping.ByLevels g -> grouped(siteId, train, query, k, levels(siteId, train, g));
            case SurvivalGrouping.ByThreshold g -> grouped(siteId, train, query, k, cut(siteId, train, g));
        };
    }

    /** Releases of the two groups, {@code group[r]} being row r's group (0, 1) or -1 for neither. */
    private static List<SurvivalRelease> grouped(String siteId, RawTable train, SurvivalQuery query, long k,
                                                 int[] group) {
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < group.length; r++) {
            if (group[r] >= 0) {
                keep.add(r);
            }
        }
        double[] t = new double[keep.size()];
        boolean[] e = new boolean[keep.size()];
        int[] g = new int[keep.size()];
        for (int i = 0; i < keep.size(); i++) {
            int r = keep.get(i);
            t[i] = train.labels()[r];
            e[i] = train.events()[r];
            g[i] = group[r];
        }
        return SurvivalRelease.byGroup(siteId, t, e, g, query.grouping().names(), query.bins(), k);
    }

    private static int[] levels(String siteId, RawTable train, SurvivalGrouping.ByLevels g) {
        int f = feature(siteId, train, g.column());
        FeatureSpec spec = train.schema().features().get(f);
        if (!spec.categorical()) {
            throw new IllegalArgumentException("site '" + siteId + "': survival group column '" + g.column()
                    + "' is numeric; group by two of a categorical feature's levels, or by a cut of a numeric one");
        }
        int first = spec.levels().indexOf(g.first());
        int second = spec.levels().indexOf(g.second());
        if (first < 0 || second < 0) {
            throw new IllegalArgumentException("site '" + siteId + "': survival group column '" + g.column()
                    + "' has levels " + spec.levels() + ", not both '" + g.first() + "' and '" + g.second() + "'");
        }
        int[] group = new int[train.rows()];
        for (int r = 0; r < group.length; r++) {
            double v = train.values()[r][f];
            group[r] = v == first ? 0 : v == second ? 1 : -1;
        }
        return group;
    }

    private static int[] cut(String siteId, RawTable train, SurvivalGrouping.ByThreshold g) {
        int f = feature(siteId, train, g.column());
        if (train.schema().features().get(f).categorical()) {
            throw new IllegalArgumentException("site '" + siteId + "': survival group column '" + g.column()
                    + "' is categorical; name two of its levels instead of a cut");
        }
        int[] group = new int[train.rows()];
        for (int r = 0; r < group.length; r++) {
            double v = train.values()[r][f];
            group[r] = Double.isNaN(v) ? -1 : v < g.cut() ? 0 : 1;
        }
        return group;
    }

    private static int feature(String siteId, RawTable train, String column) {
        List<String> names = train.schema().featureNames();
        int f = names.indexOf(column);
        if (f < 0) {
            throw new IllegalArgumentException("site '" + siteId + "': survival group column '" + column
                    + "' is not a feature of the dataset (features: " + names + ")");
        }
        return f;
    }
}
