package org.fedmed.core;

/**
 * The identifier a task carries and its result must echo, {@code r<round>-<kind>-<site>} on the wire and in
 * logs (for example {@code r3-fit-hospital-a}). Parsing and formatting are exact inverses: {@code parse(id.toString())}
 * equals {@code id} for every valid id, and a string that is not of that form is refused with what was expected,
 * so no caller compares prefixes by hand.
 *
 * @param round  the round, &gt;= 0 (round 0 is the evaluation of the initial model)
 * @param kind   fit or evaluate
 * @param siteId the site the task is addressed to, not blank
 */
public record TaskId(int round, Kind kind, String siteId) {

    /** The kinds of task, with the word each is written as. */
    public enum Kind {
        FIT("fit"),
        EVAL("eval");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The word in the formatted id. */
        public String word() {
            return word;
        }
    }

    public TaskId {
        if (round < 0) {
            throw new IllegalArgumentException("task id round must be >= 0, got " + round);
        }
        if (kind == null) {
            throw new IllegalArgumentException("task id kind must be fit or eval, got null");
        }
        if (siteId == null || siteId.isBlank()) {
            throw new IllegalArgumentException("task id site must not be blank, got '" + siteId + "'");
        }
    }

    /** The id of a fit task of {@code round} for {@code siteId}. */
    public static TaskId fit(int round, String siteId) {
        return new TaskId(round, Kind.FIT, siteId);
    }

    /** The id of {@code task}. */
    public static TaskId of(Task task) {
        return new TaskId(task.round(), task instanceof FitTask ? Kind.FIT : Kind.EVAL, task.siteId());
    }

    /**
     * Parses {@code r<round>-<kind>-<site>}; the site is everything after the second dash, so it may contain
     * dashes itself.
     *
     * @throws IllegalArgumentException naming the string and the expected form when it is not a task id
     */
    public static TaskId parse(String id) {
        if (id != null && id.length() > 1 && id.charAt(0) == 'r') {
            int dash = id.indexOf('-');
            int second = dash < 0 ? -1 : id.indexOf('-', dash + 1);
            if (dash > 1 && second > dash + 1 && second + 1 < id.length() && digits(id, 1, dash)
                    && (dash == 2 || id.charAt(1) != '0')) {
                String word = id.substring(dash + 1, second);
                for (Kind k : Kind.values()) {
                    if (k.word.equals(word) && dash - 1 <= 9) {
                        String site = id.substring(second + 1);
                        if (!site.isBlank()) {
                            return new TaskId(Integer.parseInt(id, 1, dash, 10), k, site);
                        }
                    }
                }
            }
        }
        throw new IllegalArgumentException("'" + id + "' is not a task id (expected r<round>-fit-<site> or "
                + "r<round>-eval-<site>)");
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code r<round>-<kind>-<site>}. */
    @Override
    public String toString() {
        return "r" + round + "-" + kind.word + "-" + siteId;
    }
}
