package org.fedmed.data.prep;

/** What preprocessing does with a missing feature value. */
public enum MissingPolicy {
    /** Drop every row that lacks any feature value (training and test alike). */
    DROP,
    /** Replace a missing numeric value by the column mean; a missing categorical becomes all zeros. */
    MEAN,
    /**
     * Replace a missing numeric value by the column median (approximate when computed federated, from a
     * shared fixed-bin histogram); a missing categorical becomes all zeros.
     */
    MEDIAN
}
