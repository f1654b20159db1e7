package org.fedmed.sim.report;

import java.util.Locale;

/**
 * The console summary of a population run: its size, sample and engine (with Spark's master URL), then one line per round with the sites sampled and
 * aggregated and the round's time split into building sites, training and aggregating (build and train summed over
 * sites), then the means over rounds. The same figures are in {@code results.json} under {@code population}.
 */
public final class PopulationTable {

    private PopulationTable() {
    }

    /** The summary as lines of text, each ending in a newline. */
    public static String render(PopulationSummary p) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "population: %d virtual sites (%s, %s), %d region(s)%s; evaluated on %d"
                        + " sampled sites; engine %s%s%n", p.size(), p.source(), p.mix(), p.regions(),
                p.hierarchical() ? ", aggregated by region" : "", p.evaluationSites().size(), p.engine().key(),
                p.master().isEmpty() ? "" : " " + p.master()));
        out.append(String.format(Locale.ROOT, "%6s %8s %10s %9s %9s %10s %9s %8s%n", "round", "sampled", "aggregated",
                "build_ms", "train_ms", "aggreg_ms", "eval_ms", "wall_ms"));
        long build = 0;
        long train = 0;
        long aggregate = 0;
        long wall = 0;
        long sampled = 0;
        for (PopulationSummary.Round r : p.rounds()) {
            out.append(String.format(Locale.ROOT, "%6d %8d %10d %9d %9d %10d %9d %8d%n", r.round(), r.sampled(),
                    r.aggregated(), r.buildMillis(), r.trainMillis(), r.aggregateMillis(), r.evaluateMillis(),
                    r.wallMillis()));
            build += r.buildMillis();
            train += r.trainMillis();
            aggregate += r.aggregateMillis();
            wall += r.wallMillis();
            sampled += r.sampled();
        }
        int n = Math.max(1, p.rounds().size());
        out.append(String.format(Locale.ROOT, "per round (mean of %d): %.1f sites sampled, build %.1f ms, train %.1f ms,"
                        + " aggregate %.1f ms (build and train summed over sites), wall %.1f ms%n", p.rounds().size(),
                (double) sampled / n, (double) build / n, (double) train / n, (double) aggregate / n, (double) wall / n));
        return out.toString();
    }
}
