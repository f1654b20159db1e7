package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.report.ComparisonReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset defined in this test (its own column names, label and missing marker) trains in a server and three site
 * processes with no rebuild: the server sizes the model from the definition file named in {@code training.dataset},
 * each site reads its rows through {@code data.definition} and {@code data.site}, and with default settings on both
 * sides (federated statistics from the statistics exchange, indicator columns) the run reaches what {@code simulate}
 * reaches from the same definition, bit for bit.
 */
@Timeout(240)
class OwnDefinitionProcessesTest {

    private static final List<String> CLINICS = List.of("clinic-a", "clinic-b", "clinic-c");

    private static final String DEFINITION = """
            name: own-cohort
            columns:
              - {name: record, role: drop}
              - {name: sbp, type: numeric, missing: ["?"]}
              - {name: hba1c, type: numeric}
              - {name: smoker, type: binary, levels: [no, yes]}
              - {name: setting, type: categorical, levels: [rural, urban]}
            label: {column: stroke, kind: binary, positive: ["1"], negative: ["0"]}
            sites:
              - {id: clinic-a, file: data/a.csv}
              - {id: clinic-b, file: data/b.csv}
              - {id: clinic-c, file: data/c.csv}
            """;

    private static final String TRAINING = """
            dataset: cohort/own.yaml
            model: {type: logistic}
            strategy: fedavg
            rounds: 4
            min_fit_sites: 3
            local_epochs: 1
            batch_size: 16
            lr: 0.1
            seed: 42
            round_deadline_seconds: 60
            """;

    private static void writeSite(Path dir, String name, int n, long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("record,sbp,hba1c,smoker,setting,stroke\n");
        for (int i = 0; i < n; i++) {
            double sbp = 130 + 15 * rng.nextGaussian();
            double hba1c = 6 + rng.nextGaussian();
            int stroke = (sbp - 130) / 15 + (hba1c - 6) + 0.5 * rng.nextGaussian() > 0 ? 1 : 0;
            sb.append("r").append(i).append(',').append(i % 9 == 0 ? "?" : String.format("%.1f", sbp)).append(',')
                    .append(String.format("%.2f", hba1c)).append(',').append(rng.nextBoolean() ? "yes" : "no").append(',')
                    .append(rng.nextBoolean() ? "rural" : "urban").append(',').append(stroke).append('\n');
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), sb.toString());
    }

    @Test
    void aServerAndThreeSitesTrainOnADefinitionWrittenHereAsSimulateDoes(@TempDir Path tmp) throws Exception {
        Path cohort = tmp.resolve("cohort");
        writeSite(cohort.resolve("data"), "a.csv", 90, 1);
        writeSite(cohort.resolve("data"), "b.csv", 70, 2);
        writeSite(cohort.resolve("data"), "c.csv", 60, 3);
        Path definition = Files.writeString(cohort.resolve("own.yaml"), DEFINITION);
        Federation fed = Federation.provision(tmp, "own", CLINICS);
        Path serverYaml = fed.serverConfig("server.yaml", "own-fedavg", 3, TRAINING);
        MatchedRun.runToEnd(serverYaml, tmp.resolve("logs"), CLINICS, (site, logs) -> FedmedProcess.start(site, logs,
                "site", "--config", fed.definitionSiteConfig(site, "cohort/own.yaml", "fedavg", "{type: logistic}", "")
                        .toString()), Duration.ofSeconds(180), sites -> { });

        ComparisonReport sim = MatchedRun.simulateDefinition(TRAINING, "cohort/own.yaml", definition,
                UnaryOperator.identity());
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("own-fedavg").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            MatchedRun.assertSameRounds(sim, store.rounds(run.id()), 4, CLINICS);
            float[] deployed = SafetensorsReader.read(store.checkpoint(run.id(), 4).orElseThrow().path()).parameters().flat();
            assertEquals(7, deployed.length, "sbp, hba1c, smoker, setting=rural, setting=urban, sbp_missing (its '?'"
                    + " marker, an indicator column by default) and a bias");
            assertArrayEquals(sim.federated().finalModel().flat(), deployed, "final model, bit for bit");
        }
    }
}
