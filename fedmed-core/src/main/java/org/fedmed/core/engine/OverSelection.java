package org.fedmed.core.engine;

/**
 * The rules every {@link SitePool} applies when a round over-selects sites and closes once it has {@code enough}
 * results: which values of {@code enough} make sense, and the reason recorded for the sites cut, so simulation and
 * deployment report the same thing.
 */
public final class OverSelection {

    private OverSelection() {
    }

    /**
     * Whether a fit of {@code tasks} tasks wanting {@code enough} successes may close before every task has
     * answered; refuses an {@code enough} below 1 for a non-empty fit.
     */
    public static boolean closesEarly(int enough, int tasks) {
        if (enough < 1 && tasks > 0) {
            throw new IllegalArgumentException("enough (the fit results a round waits for) must be >= 1, got "
                    + enough);
        }
        return enough < tasks;
    }

    /** The reason recorded for a site cut because the round already had {@code enough} results. */
    public static String cutReason(int enough) {
        return "cut: the round had its " + enough + " result" + (enough == 1 ? "" : "s") + " (over-selection)";
    }
}
