package org.fedmed.data.schema;

/** How a label cell becomes a class index (or a regression target). */
public enum LabelKind {
    /** Binary: class 1 when the numeric value is greater than the threshold, else class 0. */
    THRESHOLD,
    /** Classification: the cell's text is looked up in a map from value to class index. */
    MAPPING,
    /** Binary: class 1 when the cell is one of the mapped (positive) values, class 0 for any other value. */
    POSITIVE_VALUES,
    /** Regression: the numeric value is the target. */
    REGRESSION
}
