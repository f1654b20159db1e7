package org.fedmed.data.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.FederatedStatistics;
import org.fedmed.data.schema.FeatureSpec;

/**
 * What one site releases in analytics, computed by the site over its own training rows with {@link SmallCells}
 * already applied under the site's k, so that no count below k ever leaves it: its row count, the label's class
 * counts, each column's present and missing counts with its mean and standard deviation (released when at least k
 * values lie behind them, even where the present count itself is suppressed: a mean reveals no count), and the
 * cross-tabulation
 * of one categorical column (its levels, then a {@code (missing)} row) by the label's classes. With
 * {@link GaussianCountNoise} every count is noised before suppression and means and deviations are left out.
 *
 * @param k          the k applied to this site's cells
 * @param crossTab   {@code crossTab[level][class]}, the last row for missing values; empty when none was asked for
 */
public record SiteAnalytics(String siteId, long k, long rows, long[] labelCounts, List<ColumnFigures> columns,
                            String crossTabColumn, List<String> crossTabLevels, long[][] crossTab) {

    public SiteAnalytics {
        columns = List.copyOf(columns);
        crossTabLevels = List.copyOf(crossTabLevels);
    }

    /**
     * The release of a site with training rows {@code train}.
     *
     * @param crossTabColumn a categorical feature to cross-tabulate by the label, or null for none
     * @param noise          noise on the counts, or null for none
     * @param random         the site's noise stream (unused without noise)
     * @throws IllegalArgumentException if the site has fewer than k rows (it releases nothing about so few), or the
     *                                  cross-tabulated column is not a categorical feature
     */
    public static SiteAnalytics of(String siteId, RawTable train, long k, String crossTabColumn,
                                   GaussianCountNoise noise, SplittableRandom random) {
        if (train.rows() < k) {
            throw new IllegalArgumentException("site '" + siteId + "' has " + train.rows() + " training rows, fewer"
                    + " than its k " + k + "; it releases nothing about so few rows");
        }
        int classes = Math.max(1, train.classes());
        int crossCol = crossTabColumn == null ? -1 : categoricalIndex(train, crossTabColumn);
        int tables = 2 + train.cols() + (crossCol >= 0 ? 1 : 0);
        double sigma = noise == null ? 0 : noise.sigma(tables);
        java.util.function.LongUnaryOperator count = c -> noise == null ? c : GaussianCountNoise.noisy(c, sigma, random);

        long rows = count.applyAsLong(train.rows());
        rows = SmallCells.releasable(rows, k) ? rows : SmallCells.SUPPRESSED;
        long[] labels = new long[classes];
        int[] perClass = train.classCounts();
        for (int c = 0; c < classes; c++) {
            labels[c] = count.applyAsLong(perClass[c]);
        }
        labels = SmallCells.suppressLine(labels, k);

        List<ColumnFigures> columns = new ArrayList<>();
        List<ColumnMoments> moments = FederatedStatistics.moments(train);
        for (int f = 0; f < train.cols(); f++) {
            FeatureSpec spec = train.schema().features().get(f);
            ColumnMoments m = moments.get(f);
            long[] pm = SmallCells.suppressLine(new long[] {count.applyAsLong(m.count()),
                    count.applyAsLong(m.missing())}, k);
            boolean moments_ = noise == null && !spec.categorical() && m.count() >= k;
            columns.add(new ColumnFigures(spec.name(), spec.categorical(), pm[0], pm[1],
                    moments_ ? m.mean() : Double.NaN, moments_ ? Math.sqrt(m.variance()) : Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN));
        }

        List<String> levels = List.of();
        long[][] cross = new long[0][];
        if (crossCol >= 0) {
            levels = train.schema().features().get(crossCol).levels();
            cross = new long[levels.size() + 1][classes];
            int[] strata = train.strata();
            for (int r = 0; r < train.rows(); r++) {
                double v = train.values()[r][crossCol];
                cross[Double.isNaN(v) ? levels.size() : (int) v][strata[r]]++;
            }
            for (long[] line : cross) {
                for (int c = 0; c < classes; c++) {
                    line[c] = count.applyAsLong(line[c]);
                }
            }
            cross = SmallCells.suppress(cross, k);
        }
        return new SiteAnalytics(siteId, k, rows, labels, columns, crossTabColumn, levels, cross);
    }

    private static int categoricalIndex(RawTable train, String column) {
        List<FeatureSpec> features = train.schema().features();
        for (int f = 0; f < features.size(); f++) {
            if (features.get(f).name().equals(column)) {
                if (!features.get(f).categorical()) {
                    throw new IllegalArgumentException("cross-tabulation column '" + column + "' is numeric; name a"
                            + " categorical feature (categorical: " + categoricalNames(features) + ")");
                }
                return f;
            }
        }
        throw new IllegalArgumentException("cross-tabulation column '" + column + "' is not a feature of the dataset"
                + " (categorical features: " + categoricalNames(features) + ")");
    }

    private static List<String> categoricalNames(List<FeatureSpec> features) {
        return features.stream().filter(FeatureSpec::categorical).map(FeatureSpec::name).toList();
    }
}
