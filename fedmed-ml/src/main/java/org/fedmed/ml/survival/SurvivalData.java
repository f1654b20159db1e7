package org.fedmed.ml.survival;

import java.util.List;

/**
 * A site's preprocessed survival rows, ready for training: a dense row-major feature matrix and, per row, the
 * observed time and whether the event was observed at that time (true) or the row was censored there (false). It
 * is the survival counterpart of {@link org.fedmed.core.LabeledData} and, like it, never leaves the site. Every
 * instance is valid: features and times are finite, times are {@code >= 0}, and the arrays fit {@code rows} and
 * {@code cols}. The record holds its arrays without copying; callers must not change them after construction.
 *
 * @param features     {@code rows * cols} values, row-major
 * @param times        time of event or censoring per row, in the dataset's unit (days for TCGA-BRCA)
 * @param events       per row: the event was observed (true) or the row was censored (false)
 * @param featureNames one name per column
 */
public record SurvivalData(float[] features, double[] times, boolean[] events, int rows, int cols,
                           List<String> featureNames) {

    public SurvivalData {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("survival data: rows and cols must be >= 0, got " + rows + "x" + cols);
        }
        if (features.length != (long) rows * cols) {
            throw new IllegalArgumentException("survival data: features hold " + features.length
                    + " values, expected rows*cols = " + rows + "*" + cols);
        }
        if (times.length != rows || events.length != rows) {
            throw new IllegalArgumentException("survival data: " + times.length + " times and " + events.length
                    + " event flags for " + rows + " rows");
        }
        if (featureNames.size() != cols) {
            throw new IllegalArgumentException("survival data: " + featureNames.size() + " feature names for " + cols
                    + " columns");
        }
        for (int r = 0; r < rows; r++) {
            if (!(times[r] >= 0) || !Double.isFinite(times[r])) {
                throw new IllegalArgumentException("survival data: row " + r + " has time " + times[r]
                        + "; times must be finite and >= 0");
            }
        }
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                throw new IllegalArgumentException("survival data: row " + i / cols + ", column '"
                        + featureNames.get(i % cols) + "' is " + features[i] + "; features must be finite");
            }
        }
        featureNames = List.copyOf(featureNames);
    }

    /** Number of rows whose event was observed. */
    public int eventCount() {
        int e = 0;
        for (boolean b : events) {
            e += b ? 1 : 0;
        }
        return e;
    }

    /** The rows at the given indices, in that order. */
    public SurvivalData select(int[] indices) {
        float[] f = new float[indices.length * cols];
        double[] t = new double[indices.length];
        boolean[] e = new boolean[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * cols, f, i * cols, cols);
            t[i] = times[indices[i]];
            e[i] = events[indices[i]];
        }
        return new SurvivalData(f, t, e, indices.length, cols, featureNames);
    }

    /** Rows of several datasets with the same columns, stacked in order. */
    public static SurvivalData concat(List<SurvivalData> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("survival data: nothing to concatenate");
        }
        SurvivalData first = parts.getFirst();
        int rows = 0;
        for (SurvivalData p : parts) {
            if (!p.featureNames.equals(first.featureNames)) {
                throw new IllegalArgumentException("survival data: cannot concatenate datasets with different"
                        + " columns: " + first.featureNames + " vs " + p.featureNames);
            }
            rows += p.rows;
        }
        float[] f = new float[rows * first.cols];
        double[] t = new double[rows];
        boolean[] e = new boolean[rows];
        int r = 0;
        for (SurvivalData p : parts) {
            System.arraycopy(p.features, 0, f, r * first.cols, p.features.length);
            System.arraycopy(p.times, 0, t, r, p.rows);
            System.arraycopy(p.events, 0, e, r, p.rows);
            r += p.rows;
        }
        return new SurvivalData(f, t, e, rows, first.cols, first.featureNames);
    }
}
