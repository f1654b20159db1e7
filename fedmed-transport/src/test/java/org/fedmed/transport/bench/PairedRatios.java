package org.fedmed.transport.bench;

import java.util.Arrays;

/**
 * Summarises ratios of paired measurements: each ratio compares two quantities timed one right after the other in
 * the same repetition, so a slow stretch of the machine moves both and cancels out of the ratio instead of landing on
 * whichever side was timed then. The summary is the median with the lower and upper quartile.
 */
final class PairedRatios {

    private PairedRatios() {
    }

    /**
     * The {@code q}-quantile of {@code ratios} (0 &lt;= q &lt;= 1), interpolated linearly between the two nearest
     * order statistics; {@code ratios} is left as it is.
     */
    static double quantile(double[] ratios, double q) {
        if (ratios.length == 0) {
            throw new IllegalArgumentException("no ratios to summarise");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile " + q + " is outside [0, 1]");
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        double at = q * (sorted.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
    }

    /**
     * The median as a percentage with the quartiles in brackets, for example {@code 84% [80-88]}. A value above
     * 999% reads {@code >999}: a ratio that large means the measurement was lost in the noise (a difference of two
     * timings at or below zero), not that one side was ten times faster.
     */
    static String describe(double[] ratios) {
        return percent(quantile(ratios, 0.5)) + "% [" + percent(quantile(ratios, 0.25)) + "-"
                + percent(quantile(ratios, 0.75)) + "]";
    }

    private static String percent(double ratio) {
        return ratio > 9.99 ? ">999" : String.format("%.0f", 100 * ratio);
    }
}
