package org.fedmed.data.prep;

/**
 * Aggregates of one column at one site, or merged over sites: the number of present and missing values,
 * their sum, the sum of squared deviations from their mean, and their range. This is all a site shares for
 * the federated mean and variance; merging follows Chan, Golub and LeVeque's pairwise update, which is exact
 * up to rounding and gives the same mean and variance as computing over the pooled rows.
 */
public record ColumnMoments(long count, long missing, double sum, double sumSquaredDeviations, double min, double max) {

    /** Aggregates of nothing. */
    public static final ColumnMoments EMPTY =
            new ColumnMoments(0, 0, 0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);

    public ColumnMoments {
        if (count < 0 || missing < 0) {
            throw new IllegalArgumentException("moments fields 'count' and 'missing' must be >= 0, got " + count + ", " + missing);
        }
        if (!(sumSquaredDeviations >= 0)) {
            throw new IllegalArgumentException("moments field 'sumSquaredDeviations' must be >= 0, got " + sumSquaredDeviations);
        }
    }

    /** Aggregates of the values, where NaN counts as missing. */
    public static ColumnMoments of(double[] values) {
        long n = 0;
        long missing = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isNaN(v)) {
                missing++;
            } else {
                n++;
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double ssd = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                ssd += (v - mean) * (v - mean);
            }
        }
        return new ColumnMoments(n, missing, sum, ssd, min, max);
    }

    /** Aggregates of both sets of values together. */
    public ColumnMoments merge(ColumnMoments other) {
        long n = count + other.count;
        double ssd = sumSquaredDeviations + other.sumSquaredDeviations;
        if (count > 0 && other.count > 0) {
            double delta = other.mean() - mean();
            ssd += delta * delta * ((double) count * other.count / n);
        }
        return new ColumnMoments(n, missing + other.missing, sum + other.sum, ssd,
                Math.min(min, other.min), Math.max(max, other.max));
    }

    /** Mean of the present values; 0 when there are none. */
    public double mean() {
        return count == 0 ? 0.0 : sum / count;
    }

    /** Population variance (divisor n) of the present values; 0 when there are none. */
    public double variance() {
        return count == 0 ? 0.0 : sumSquaredDeviations / count;
    }
}
