package org.fedmed.core;

import java.util.List;

/**
 * A site's preprocessed examples, ready for training: a dense row-major feature matrix and one label
 * per row. For classification a label is the class index (0..classes-1); for regression it is the target
 * and {@code classes} is 0 (the layouts of {@link org.fedmed.core.objective.LabelLayout}'s {@code CLASS_INDEX} and
 * {@code TARGET}; the objective says which). This is the hand-off between the data layer and the training layer,
 * and it never leaves the site.
 */
public record LabeledData(float[] features, float[] labels, int rows, int cols, int classes, List<String> featureNames) {

    public LabeledData {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + "x" + cols);
        }
        if (features.length != (long) rows * cols) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected rows*cols = "
                    + rows + "*" + cols);
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException("labels hold " + labels.length + " values, expected " + rows);
        }
        if (featureNames.size() != cols) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for " + cols + " columns");
        }
        if (classes < 0 || classes == 1) {
            throw new IllegalArgumentException("classes must be 0 (regression) or >= 2, got " + classes);
        }
        featureNames = List.copyOf(featureNames);
    }

    /** The rows at the given indices, in that order. */
    public LabeledData select(int[] indices) {
        float[] f = new float[indices.length * cols];
        float[] l = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * cols, f, i * cols, cols);
            l[i] = labels[indices[i]];
        }
        return new LabeledData(f, l, indices.length, cols, classes, featureNames);
    }

    /** Rows of several datasets with the same columns, stacked in order. */
    public static LabeledData concat(List<LabeledData> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        LabeledData first = parts.getFirst();
        int rows = 0;
        for (LabeledData p : parts) {
            if (p.cols != first.cols || p.classes != first.classes || !p.featureNames.equals(first.featureNames)) {
                throw new IllegalArgumentException("cannot concatenate datasets with different columns: "
                        + first.featureNames + " vs " + p.featureNames);
            }
            rows += p.rows;
        }
        float[] f = new float[rows * first.cols];
        float[] l = new float[rows];
        int r = 0;
        for (LabeledData p : parts) {
            System.arraycopy(p.features, 0, f, r * first.cols, p.features.length);
            System.arraycopy(p.labels, 0, l, r, p.rows);
            r += p.rows;
        }
        return new LabeledData(f, l, rows, first.cols, first.classes, first.featureNames);
    }

    /** Number of rows per class (empty for regression). */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (float y : labels) {
            counts[(int) y]++;
        }
        return counts;
    }
}
