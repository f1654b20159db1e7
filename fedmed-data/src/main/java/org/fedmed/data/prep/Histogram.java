package org.fedmed.data.prep;

/**
 * Counts of one column's present values in equal-width bins over a range shared by all sites, so that
 * sites' histograms can be added. Its quantiles are an approximation: linear interpolation within a bin,
 * off from the exact pooled quantile by at most one bin width, {@code (high - low) / bins}.
 */
public record Histogram(double low, double high, long[] counts) {

    public Histogram {
        if (!Double.isFinite(low) || !Double.isFinite(high) || high < low) {
            throw new IllegalArgumentException("histogram fields 'low' and 'high' must be finite with low <= high, got "
                    + low + ", " + high);
        }
        if (counts == null || counts.length < 1) {
            throw new IllegalArgumentException("histogram field 'counts' must have at least one bin");
        }
    }

    /** The present values (NaN skipped) counted into {@code bins} bins over [low, high]; values outside are clamped. */
    public static Histogram of(double[] values, double low, double high, int bins) {
        long[] counts = new long[bins];
        double width = (high - low) / bins;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                int b = width == 0 ? 0 : (int) Math.floor((v - low) / width);
                counts[Math.clamp(b, 0, bins - 1)]++;
            }
        }
        return new Histogram(low, high, counts);
    }

    /** Bin-wise sum with another histogram over the same range and bins. */
    public Histogram merge(Histogram other) {
        if (other.low != low || other.high != high || other.counts.length != counts.length) {
            throw new IllegalArgumentException("cannot merge histograms over different bins: [" + low + ", " + high + "]x"
                    + counts.length + " and [" + other.low + ", " + other.high + "]x" + other.counts.length);
        }
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.counts[i];
        }
        return new Histogram(low, high, sum);
    }

    /** Number of values counted. */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Approximate q-quantile (q in [0, 1]); NaN when the histogram is empty. */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile q must lie in [0, 1], got " + q);
        }
        long total = total();
        if (total == 0) {
            return Double.NaN;
        }
        if (high == low) {
            return low;
        }
        double width = (high - low) / counts.length;
        double target = q * total;
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && cumulative + counts[i] >= target) {
                double within = (target - cumulative) / counts[i];
                return low + width * (i + within);
            }
            cumulative += counts[i];
        }
        return high;
    }
}
