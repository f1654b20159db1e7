package org.fedmed.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fedmed.data.survival.SurvivalEstimator;
import org.fedmed.data.survival.SurvivalGrouping;
import org.fedmed.data.survival.SurvivalQuery;
import org.fedmed.data.survival.TimeBins;
import picocli.CommandLine.Option;

/**
 * The flags of survival analytics, shared by {@code fedmed analytics} and {@code fedmed server --analytics} so that
 * they mean the same in simulation and deployment: with {@code --survival-time}, sites release counts per time bin
 * instead of descriptive statistics, and the output is the pooled Kaplan-Meier curves and the log-rank test.
 */
final class SurvivalOptions {

    @Option(names = "--survival-time", paramLabel = "COLUMN", description = "Survival analytics instead of"
            + " descriptive statistics: the survival label's time column.")
    String time;
    @Option(names = "--survival-event", paramLabel = "COLUMN", description = "With --survival-time: the survival"
            + " label's event column.")
    String event;
    @Option(names = "--survival-edges", paramLabel = "E0,E1,...", split = ",", description = "With --survival-time:"
            + " the shared time bin edges, strictly increasing; bin j is [Ej, Ej+1), follow-up ends at the last.")
    List<Double> edges;
    @Option(names = "--survival-group", paramLabel = "COLUMN", description = "With --survival-time: a feature that"
            + " splits rows into the two groups of a log-rank test (with --survival-levels or --survival-cut).")
    String group;
    @Option(names = "--survival-levels", paramLabel = "A,B", split = ",", description = "With --survival-group: the"
            + " two levels of a categorical feature that form the groups.")
    List<String> levels;
    @Option(names = "--survival-cut", paramLabel = "X", description = "With --survival-group: a numeric feature's cut;"
            + " the groups are 'COLUMN < X' and 'COLUMN >= X'.")
    Double cut;
    @Option(names = "--survival-estimator", paramLabel = "NAME", description = "kaplan_meier (default) or actuarial.")
    String estimator = SurvivalEstimator.KAPLAN_MEIER.key();
    @Option(names = "--survival-confidence", paramLabel = "C", description = "Confidence of the Greenwood band."
            + " Default: ${DEFAULT-VALUE}.")
    double confidence = 0.95;
    @Option(names = "--plot", paramLabel = "FILE", description = "With --survival-time: where the Kaplan-Meier plot"
            + " (PNG) goes. Default: the JSON file's name with .png.")
    Path plot;

    /** True when survival analytics was asked for. */
    boolean asked() {
        return time != null;
    }

    /**
     * The query the flags describe.
     *
     * @throws IllegalArgumentException naming the flag, for a missing or inconsistent one
     */
    SurvivalQuery query() {
        if (event == null || event.isBlank()) {
            throw new IllegalArgumentException("--survival-time needs --survival-event (the survival label's event"
                    + " column)");
        }
        if (edges == null || edges.size() < 2) {
            throw new IllegalArgumentException("--survival-time needs --survival-edges with at least two edges, e.g."
                    + " 0,12,24,60");
        }
        SurvivalGrouping grouping = new SurvivalGrouping.None();
        if (group != null) {
            if ((levels == null) == (cut == null)) {
                throw new IllegalArgumentException("--survival-group needs exactly one of --survival-levels A,B and"
                        + " --survival-cut X");
            }
            if (levels != null && levels.size() != 2) {
                throw new IllegalArgumentException("--survival-levels needs two levels, got " + levels);
            }
            grouping = levels != null ? new SurvivalGrouping.ByLevels(group, levels.get(0), levels.get(1))
                    : new SurvivalGrouping.ByThreshold(group, cut);
        } else if (levels != null || cut != null) {
            throw new IllegalArgumentException("--survival-levels and --survival-cut need --survival-group");
        }
        return new SurvivalQuery(time, event, grouping,
                new TimeBins(edges.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    /** The estimator named by {@code --survival-estimator}. */
    SurvivalEstimator estimator() {
        for (SurvivalEstimator e : SurvivalEstimator.values()) {
            if (e.key().equals(estimator.strip().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("--survival-estimator: expected kaplan_meier or actuarial, got '"
                + estimator + "'");
    }

    /** Where the plot goes, beside {@code json} unless {@code --plot} names a file. */
    Path plotBeside(Path json) {
        if (plot != null) {
            return plot;
        }
        String name = json.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(stem + ".png");
    }
}
