package org.fedmed.data.survival;

import java.util.List;

/**
 * How a survival request splits each site's rows into the two groups of a log-rank test, or not at all. Rows that
 * fall in neither group (a missing value in the group column, or a level not named) are counted in neither, and,
 * when there are groups, in no curve: the overall curve is then the two groups pooled, so that no site ever releases
 * counts whose difference from its group counts would describe the rows left out.
 */
public sealed interface SurvivalGrouping permits SurvivalGrouping.None, SurvivalGrouping.ByLevels,
        SurvivalGrouping.ByThreshold {

    /** The group column, or null for {@link None}. */
    String column();

    /** The two group names in order (first, second); empty for {@link None}. */
    List<String> names();

    /** No groups: one curve over all of a site's rows. */
    record None() implements SurvivalGrouping {
        public String column() {
            return null;
        }

        public List<String> names() {
            return List.of();
        }
    }

    /**
     * Two levels of a categorical feature: rows at {@code first} form the first group, rows at {@code second} the
     * second.
     */
    record ByLevels(String column, String first, String second) implements SurvivalGrouping {
        public ByLevels {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("survival grouping: 'column' must name a categorical feature");
            }
            if (first == null || second == null || first.isBlank() || second.isBlank() || first.equals(second)) {
                throw new IllegalArgumentException("survival grouping by '" + column + "': two different levels are"
                        + " needed, got '" + first + "' and '" + second + "'");
            }
            if (first.equals(SurvivalRelease.ALL) || second.equals(SurvivalRelease.ALL)) {
                throw new IllegalArgumentException("survival grouping by '" + column + "': a level may not be named '"
                        + SurvivalRelease.ALL + "', the name of the curve over both groups");
            }
        }

        public List<String> names() {
            return List.of(first, second);
        }
    }

    /**
     * A cut of a numeric feature: rows with a value below {@code cut} form the first group ({@code "column < cut"}),
     * the others the second ({@code "column >= cut"}).
     */
    record ByThreshold(String column, double cut) implements SurvivalGrouping {
        public ByThreshold {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("survival grouping: 'column' must name a numeric feature");
            }
            if (!Double.isFinite(cut)) {
                throw new IllegalArgumentException("survival grouping by '" + column + "': the cut must be finite, got "
                        + cut);
            }
        }

        public List<String> names() {
            String c = cut == Math.rint(cut) && Math.abs(cut) < 1e15 ? Long.toString((long) cut) : Double.toString(cut);
            return List.of(column + " < " + c, column + " >= " + c);
        }
    }
}
