package org.fedmed.cli.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A survival cohort written for a test: a dataset definition ({@code cohort/trial.yaml}) with a survival label
 * (months, status), an age and a treatment arm, and one seeded CSV per clinic, the last one small enough that the
 * small-cell rule merges its bins.
 */
public final class SurvivalCohort {

    /** The clinics, in the definition's order. */
    public static final List<String> CLINICS = List.of("clinic-a", "clinic-b", "clinic-c");

    static final String DEFINITION = """
            name: trial-cohort
            columns:
              - {name: record, role: drop}
              - {name: age, type: numeric}
              - {name: arm, type: categorical, levels: [control, treated]}
            label: {kind: survival, time: months, event: status, event_values: ["1"], censored_values: ["0"]}
            split: {test_fraction: 0.2, seed: 7}
            sites:
              - {id: clinic-a, file: data/a.csv}
              - {id: clinic-b, file: data/b.csv}
              - {id: clinic-c, file: data/c.csv}
            """;

    private SurvivalCohort() {
    }

    /** Writes the definition and the clinics' files under {@code root}; returns the definition's path. */
    public static Path write(Path root) throws IOException {
        Path cohort = root.resolve("cohort");
        Files.createDirectories(cohort.resolve("data"));
        int[] sizes = {400, 300, 150};
        for (int s = 0; s < sizes.length; s++) {
            Files.writeString(cohort.resolve("data").resolve((char) ('a' + s) + ".csv"), rows(sizes[s], 11 + s));
        }
        return Files.writeString(cohort.resolve("trial.yaml"), DEFINITION);
    }

    private static String rows(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("record,age,arm,months,status\n");
        for (int i = 0; i < n; i++) {
            double age = 40 + 40 * rng.nextDouble();
            boolean treated = rng.nextBoolean();
            double hazard = 0.02 * Math.exp(0.03 * (age - 60) - (treated ? 0.6 : 0));
            double event = -Math.log(1 - rng.nextDouble()) / hazard;
            double censor = 24 + 60 * rng.nextDouble();
            sb.append("r").append(i).append(',').append(String.format(Locale.ROOT, "%.1f", age)).append(',')
                    .append(treated ? "treated" : "control").append(',')
                    .append(String.format(Locale.ROOT, "%.1f", Math.min(event, censor))).append(',')
                    .append(event <= censor ? 1 : 0).append('\n');
        }
        return sb.toString();
    }
}
