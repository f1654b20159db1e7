package org.fedmed.data.profile;

import org.fedmed.data.schema.ColumnType;
import org.fedmed.data.schema.FeatureSpec;

/**
 * What one feature column of one site holds, accumulated row by row in bounded memory: how many cells are missing,
 * the range of the values, for a categorical or binary column the rows per level, and for a numeric or integer
 * column how many values are extreme. A value is extreme when it lies more than {@value #FENCE} interquartile ranges
 * below the first quartile or above the third (Tukey's "far out" fences), the quartiles taken from a
 * {@link LogHistogram} (within 1%); a column whose quartiles coincide flags nothing.
 */
public final class ColumnProfile {

    /** How many interquartile ranges beyond the quartiles a value must lie to be flagged as extreme. */
    public static final double FENCE = 3.0;

    private final FeatureSpec spec;
    private final long[] levelCounts;
    private final LogHistogram histogram;
    private long missing;
    private long present;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    ColumnProfile(FeatureSpec spec) {
        this.spec = spec;
        boolean levels = spec.type() == ColumnType.CATEGORICAL || spec.type() == ColumnType.BINARY;
        this.levelCounts = levels ? new long[spec.levels().size()] : null;
        this.histogram = levels ? null : new LogHistogram();
    }

    void add(double v) {
        if (Double.isNaN(v)) {
            missing++;
            return;
        }
        present++;
        if (levelCounts != null) {
            levelCounts[(int) v]++;
            return;
        }
        min = Math.min(min, v);
        max = Math.max(max, v);
        histogram.add(v);
    }

    /** The column as declared. */
    public FeatureSpec spec() {
        return spec;
    }

    /** Cells that are empty or hold a missing marker. */
    public long missing() {
        return missing;
    }

    /** Cells that hold a value. */
    public long present() {
        return present;
    }

    /** True when no row holds a value. */
    public boolean empty() {
        return present == 0;
    }

    /** The smallest value (numeric and integer columns), NaN when none. */
    public double min() {
        return present == 0 || levelCounts != null ? Double.NaN : min;
    }

    /** The largest value (numeric and integer columns), NaN when none. */
    public double max() {
        return present == 0 || levelCounts != null ? Double.NaN : max;
    }

    /** Rows per declared level (categorical and binary columns), in level order; null for a numeric column. */
    public long[] levelCounts() {
        return levelCounts == null ? null : levelCounts.clone();
    }

    /** The quantile {@code q} of the values (within 1%); NaN for a level column or when empty. */
    public double quantile(double q) {
        return histogram == null ? Double.NaN : histogram.quantile(q);
    }

    /** Values beyond the far-out fences; 0 for a level column. */
    public long extreme() {
        if (histogram == null || present == 0) {
            return 0;
        }
        double q1 = histogram.quantile(0.25);
        double q3 = histogram.quantile(0.75);
        double iqr = q3 - q1;
        if (!(iqr > 0)) {
            return 0;
        }
        return histogram.countOutside(q1 - FENCE * iqr, q3 + FENCE * iqr);
    }
}
