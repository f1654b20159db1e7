package org.fedmed.data.survival;

/**
 * What a server asks every site for in survival analytics: counts per time bin of the rows' times ({@code
 * timeColumn}) and events ({@code eventColumn}) on the shared {@code bins}, for all rows or for the two groups of
 * {@code grouping}. It names columns and edges only, no code: each site checks that the two columns are its dataset
 * definition's survival label (time and event) and computes its {@link SurvivalRelease}s itself.
 *
 * @param timeColumn  the survival label's time column
 * @param eventColumn the survival label's event column
 * @param grouping    the two groups of a log-rank test, or {@link SurvivalGrouping.None}
 * @param bins        the shared bin edges, from the request, never from the data
 */
public record SurvivalQuery(String timeColumn, String eventColumn, SurvivalGrouping grouping, TimeBins bins) {

    public SurvivalQuery {
        if (timeColumn == null || timeColumn.isBlank()) {
            throw new IllegalArgumentException("survival request: 'time' must name the survival label's time column");
        }
        if (eventColumn == null || eventColumn.isBlank()) {
            throw new IllegalArgumentException("survival request: 'event' must name the survival label's event column");
        }
        if (grouping == null) {
            grouping = new SurvivalGrouping.None();
        }
        if (bins == null) {
            throw new IllegalArgumentException("survival request: 'bins' (the shared time bin edges) are required");
        }
    }

    /** True when the request splits rows into two groups. */
    public boolean grouped() {
        return !(grouping instanceof SurvivalGrouping.None);
    }

    /** The groups a site releases, in order: {@link SurvivalRelease#ALL}, or the grouping's two names. */
    public java.util.List<String> groups() {
        return grouped() ? grouping.names() : java.util.List.of(SurvivalRelease.ALL);
    }
}
