package org.fedmed.data.stats;

/**
 * What analytics releases about one feature column at one site, or pooled: counts of present and missing values
 * ({@link SmallCells#SUPPRESSED} when suppressed), and for a numeric column the mean, the population standard
 * deviation (divisor n) and the quartiles, each NaN when not released (fewer than k values behind it, its count
 * suppressed, a categorical column, noise on, or quartiles of a single site, which are only released pooled).
 */
public record ColumnFigures(String name, boolean categorical, long present, long missing, double mean, double sd,
                            double q25, double median, double q75) {

    public ColumnFigures {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("column figures field 'name' is required");
        }
    }
}
