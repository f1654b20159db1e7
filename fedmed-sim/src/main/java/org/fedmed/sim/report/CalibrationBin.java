package org.fedmed.sim.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One bin of a regression model's calibration on the pooled test rows: its number ({@code 1} holds the lowest
 * predictions), its row count, and the mean prediction and mean observed label of its rows. A model is calibrated
 * where the two means agree, on the line y = x.
 *
 * <p>The rule ({@link #of}): the rows are sorted by predicted value (ties in row order) and cut into
 * {@code k = min(10, max(1, n / 10))} bins of equal count, bin {@code i} (from 0) holding sorted rows
 * {@code floor(i n / k)} to {@code floor((i + 1) n / k) - 1}. So with 100 rows or more the bins are the deciles of
 * the prediction, each within one row of the others in size; with fewer rows there are fewer bins, so that every bin
 * holds at least {@value #MIN_ROWS} rows (all rows in one bin below {@code 2 * }{@value #MIN_ROWS} rows). Equal
 * predictions may fall on both sides of a cut. Means are taken in double over the rows' float values.
 */
public record CalibrationBin(int bin, int n, double meanPredicted, double meanObserved) {

    /** The most bins: deciles. */
    public static final int MAX_BINS = 10;
    /** The fewest rows a bin holds when there are at least this many rows. */
    public static final int MIN_ROWS = 10;

    public CalibrationBin {
        if (bin < 1) {
            throw new IllegalArgumentException("calibration bin: 'bin' must be at least 1, got " + bin);
        }
        if (n < 1) {
            throw new IllegalArgumentException("calibration bin " + bin + ": 'n' must be at least 1, got " + n);
        }
        if (!Double.isFinite(meanPredicted) || !Double.isFinite(meanObserved)) {
            throw new IllegalArgumentException("calibration bin " + bin + ": means must be finite, got predicted "
                    + meanPredicted + ", observed " + meanObserved);
        }
    }

    /** The bins of {@code predictions} against {@code labels} (one each per row), empty when there are no rows. */
    public static List<CalibrationBin> of(float[] predictions, float[] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException("calibration: expected one prediction per label, got "
                    + predictions.length + " predictions for " + labels.length + " labels");
        }
        int n = predictions.length;
        if (n == 0) {
            return List.of();
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(predictions[a], predictions[b])); // stable: ties in row order
        int k = Math.min(MAX_BINS, Math.max(1, n / MIN_ROWS));
        List<CalibrationBin> bins = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int from = (int) ((long) i * n / k);
            int to = (int) ((long) (i + 1) * n / k);
            double p = 0;
            double y = 0;
            for (int j = from; j < to; j++) {
                p += predictions[order[j]];
                y += labels[order[j]];
            }
            bins.add(new CalibrationBin(i + 1, to - from, p / (to - from), y / (to - from)));
        }
        return List.copyOf(bins);
    }
}
