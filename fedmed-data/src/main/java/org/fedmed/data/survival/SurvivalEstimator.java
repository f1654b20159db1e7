package org.fedmed.data.survival;

/**
 * How a curve treats the rows censored within a bin. With one bin per distinct time the two agree; on coarse bins
 * with much censoring they do not, and the Kaplan-Meier product overstates survival, because it keeps every row
 * censored in a bin at risk for all of the bin's events.
 */
public enum SurvivalEstimator {

    /**
     * The Kaplan-Meier product over the bins, {@code prod (1 - d / n)}: exactly the Kaplan-Meier curve of the pooled
     * rows with every time moved to the start of its bin.
     */
    KAPLAN_MEIER("kaplan_meier"),

    /**
     * The actuarial (Cutler-Ederer life-table) estimator for grouped times, {@code prod (1 - d / (n - c / 2))}: a row
     * censored in a bin is taken to be at risk for half of it, the usual assumption for counts per interval.
     */
    ACTUARIAL("actuarial");

    private final String key;

    SurvivalEstimator(String key) {
        this.key = key;
    }

    /** The spelling of this estimator in reports. */
    public String key() {
        return key;
    }
}
