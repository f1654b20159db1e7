package org.fedmed.data.profile;

/**
 * A streaming histogram of real numbers in logarithmic buckets, each covering values within 1% of one another
 * (relative accuracy {@value #ACCURACY}): a quantile it reports lies within 1% (relative) of a value at that rank.
 * Memory is bounded by the range of magnitudes seen (at most a few thousand buckets for magnitudes from 1e-9 to 1e15),
 * never by the number of values. Magnitudes below {@value #ZERO} count as zero.
 */
public final class LogHistogram {

    /** Relative accuracy of a bucket's representative value. */
    public static final double ACCURACY = 0.01;
    /** Magnitudes below this count as zero. */
    public static final double ZERO = 1e-9;

    private static final double GAMMA = (1 + ACCURACY) / (1 - ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);

    private final Store positive = new Store();
    private final Store negative = new Store();
    private long zeros;
    private long count;

    /** Adds one finite value. */
    public void add(double v) {
        count++;
        double a = Math.abs(v);
        if (a < ZERO) {
            zeros++;
        } else {
            (v > 0 ? positive : negative).add((int) Math.ceil(Math.log(a) / LOG_GAMMA));
        }
    }

    /** The number of values added. */
    public long count() {
        return count;
    }

    /** The value at quantile {@code q} in [0, 1] (within 1%), or NaN when empty. */
    public double quantile(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.floor(q * (count - 1));
        long seen = 0;
        for (int i = negative.max; i >= negative.min && negative.counts != null; i--) {
            seen += negative.get(i);
            if (seen > rank) {
                return -value(i);
            }
        }
        seen += zeros;
        if (seen > rank) {
            return 0;
        }
        for (int i = positive.min; i <= positive.max && positive.counts != null; i++) {
            seen += positive.get(i);
            if (seen > rank) {
                return value(i);
            }
        }
        return positive.counts != null ? value(positive.max) : 0;
    }

    /** The number of values whose bucket lies below {@code lo} or above {@code hi}. */
    public long countOutside(double lo, double hi) {
        long n = 0;
        for (int i = negative.min; i <= negative.max && negative.counts != null; i++) {
            double v = -value(i);
            if (v < lo || v > hi) {
                n += negative.get(i);
            }
        }
        if (0 < lo || 0 > hi) {
            n += zeros;
        }
        for (int i = positive.min; i <= positive.max && positive.counts != null; i++) {
            double v = value(i);
            if (v < lo || v > hi) {
                n += positive.get(i);
            }
        }
        return n;
    }

    private static double value(int index) {
        return 2 * Math.pow(GAMMA, index) / (GAMMA + 1);
    }

    /** Counts by bucket index, in an array that grows to the range of indexes seen. */
    private static final class Store {
        long[] counts;
        int offset;
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;

        void add(int index) {
            if (counts == null) {
                counts = new long[64];
                offset = index - 32;
            }
            if (index < offset || index >= offset + counts.length) {
                int lo = Math.min(index, Math.min(min, offset));
                int hi = Math.max(index, Math.max(max, offset + counts.length - 1));
                long[] grown = new long[Math.max(counts.length * 2, hi - lo + 65)];
                int newOffset = lo - 32;
                System.arraycopy(counts, 0, grown, offset - newOffset, counts.length);
                counts = grown;
                offset = newOffset;
            }
            counts[index - offset]++;
            min = Math.min(min, index);
            max = Math.max(max, index);
        }

        long get(int index) {
            return counts[index - offset];
        }
    }
}
