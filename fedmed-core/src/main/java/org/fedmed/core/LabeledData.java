package org.fedmed.core;

import java.util.List;
import org.fedmed.core.objective.LabelLayout;

/**
 * A site's preprocessed examples, ready for training: a dense row-major feature matrix and each row's label laid out
 * as {@code layout} says, {@code layout.width()} values per row, row-major. For classification
 * ({@link LabelLayout#CLASS_INDEX}) a label is the class index (0..classes-1); for regression
 * ({@link LabelLayout#TARGET}) it is the target and {@code classes} is 0; for survival
 * ({@link LabelLayout#TIME_AND_EVENT}) a row's labels are its time, then 1 for an observed event or 0 for censoring,
 * and {@code classes} is 0. The objective a model trains for names the layout it expects, and a trainer refuses data
 * laid out otherwise. This is the hand-off between the data layer and the training layer, and it never leaves the
 * site.
 */
public record LabeledData(float[] features, float[] labels, int rows, int cols, int classes, List<String> featureNames,
                          LabelLayout layout) {

    /** One label per row: a class index when {@code classes >= 2}, a numeric target when it is 0. */
    public LabeledData(float[] features, float[] labels, int rows, int cols, int classes, List<String> featureNames) {
        this(features, labels, rows, cols, classes, featureNames,
                classes == 0 ? LabelLayout.TARGET : LabelLayout.CLASS_INDEX);
    }

    public LabeledData {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be >= 0, got " + rows + "x" + cols);
        }
        if (features.length != (long) rows * cols) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected rows*cols = "
                    + rows + "*" + cols);
        }
        if (layout == null) {
            throw new IllegalArgumentException("labeled data: 'layout' is required");
        }
        if (labels.length != (long) rows * layout.width()) {
            throw new IllegalArgumentException("labels hold " + labels.length + " values, expected " + rows + " rows * "
                    + layout.width() + " (" + layout + ")");
        }
        if (featureNames.size() != cols) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for " + cols + " columns");
        }
        if (classes < 0 || classes == 1) {
            throw new IllegalArgumentException("classes must be 0 (regression) or >= 2, got " + classes);
        }
        if ((layout == LabelLayout.CLASS_INDEX) != (classes >= 2)) {
            throw new IllegalArgumentException("labels laid out as " + layout + " take " + (layout
                    == LabelLayout.CLASS_INDEX ? "classes >= 2" : "classes 0") + ", got " + classes);
        }
        featureNames = List.copyOf(featureNames);
    }

    /** The rows at the given indices, in that order. */
    public LabeledData select(int[] indices) {
        float[] f = new float[indices.length * cols];
        int w = layout.width();
        float[] l = new float[indices.length * w];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * cols, f, i * cols, cols);
            System.arraycopy(labels, indices[i] * w, l, i * w, w);
        }
        return new LabeledData(f, l, indices.length, cols, classes, featureNames, layout);
    }

    /** Rows of several datasets with the same columns, stacked in order. */
    public static LabeledData concat(List<LabeledData> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        LabeledData first = parts.getFirst();
        int rows = 0;
        for (LabeledData p : parts) {
            if (p.cols != first.cols || p.classes != first.classes || p.layout != first.layout
                    || !p.featureNames.equals(first.featureNames)) {
                throw new IllegalArgumentException("cannot concatenate datasets with different columns: "
                        + first.featureNames + " vs " + p.featureNames);
            }
            rows += p.rows;
        }
        float[] f = new float[rows * first.cols];
        int w = first.layout.width();
        float[] l = new float[rows * w];
        int r = 0;
        for (LabeledData p : parts) {
            System.arraycopy(p.features, 0, f, r * first.cols, p.features.length);
            System.arraycopy(p.labels, 0, l, r * w, p.labels.length);
            r += p.rows;
        }
        return new LabeledData(f, l, rows, first.cols, first.classes, first.featureNames, first.layout);
    }

    /** Number of rows per class (empty for regression and survival). */
    public int[] classCounts() {
        int[] counts = new int[classes];
        if (layout != LabelLayout.CLASS_INDEX) {
            return counts;
        }
        for (float y : labels) {
            counts[(int) y]++;
        }
        return counts;
    }
}
