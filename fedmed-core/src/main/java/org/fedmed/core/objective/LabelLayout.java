package org.fedmed.core.objective;

/** How an objective's labels are laid out per row. */
public enum LabelLayout {
    /** One value per row: the class index, 0..k-1. */
    CLASS_INDEX(1),
    /** One value per row: the numeric target. */
    TARGET(1),
    /** Two values per row: the time to the event or to censoring, then 1 for an observed event and 0 for censoring. */
    TIME_AND_EVENT(2);

    private final int width;

    LabelLayout(int width) {
        this.width = width;
    }

    /** The number of label values each row carries. */
    public int width() {
        return width;
    }
}
