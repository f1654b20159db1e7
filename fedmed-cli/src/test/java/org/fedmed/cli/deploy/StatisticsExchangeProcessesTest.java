package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.ComparisonExperiment;
import org.fedmed.sim.SimulationData;
import org.fedmed.sim.report.ComparisonReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server and four site processes with default settings (federated statistics, indicator columns for features
 * missing at any site) run the statistics exchange before round 1 and then train exactly what {@code fedmed
 * simulate} trains with its defaults: the final model is equal bit for bit. A fifth site process, reading its rows
 * through a definition file of its own that differs from the server's in the levels of one column ({@code thal}), is
 * refused at admission with that column named, in the server's audit log and in the site's.
 */
@Timeout(300)
class StatisticsExchangeProcessesTest {

    /** The server's training section: no preprocessing key, so every site uses the defaults. */
    static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: 5
            min_fit_sites: 4
            local_epochs: 2
            batch_size: 32
            lr: 0.1
            seed: 42
            round_deadline_seconds: 60
            """;

    /**
     * The heart-disease definition with a fourth level of {@code thal}, as the refused site's own definition file
     * (its one site reads the Cleveland file copied beside it).
     */
    static final String OTHER_DEFINITION = """
            name: heart-other
            columns:
              - {name: age, type: numeric}
              - {name: sex, type: numeric}
              - {name: cp, type: categorical, levels: ["1", "2", "3", "4"]}
              - {name: trestbps, type: numeric, missing: ["0"]}
              - {name: chol, type: numeric, missing: ["0"]}
              - {name: fbs, type: numeric}
              - {name: restecg, type: categorical, levels: ["0", "1", "2"]}
              - {name: thalach, type: numeric}
              - {name: exang, type: numeric}
              - {name: oldpeak, type: numeric}
              - {name: slope, type: categorical, levels: ["1", "2", "3"]}
              - {name: ca, type: numeric}
              - {name: thal, type: categorical, levels: ["3", "6", "7", "8"]}
            label: {column: num, kind: binary, positive_above: 0}
            sites:
              - {id: other, file: cleveland.csv}
            """;

    @Test
    void withDefaultSettingsADeploymentEqualsSimulateBitForBitAndADifferentDefinitionIsRefused(@TempDir Path tmp)
            throws Exception {
        Federation.requireHeartDisease();
        List<String> members = new ArrayList<>(Federation.HOSPITALS);
        members.add("other");
        Federation fed = Federation.provision(tmp, "heart", members);
        Path serverYaml = fed.serverConfig("server.yaml", "heart-defaults", 4, TRAINING);
        Path otherDir = Files.createDirectories(tmp.resolve("other"));
        Files.copy(Federation.dataDir().resolve("heart-disease").resolve("cleveland.csv"),
                otherDir.resolve("cleveland.csv"));
        Files.writeString(otherDir.resolve("heart-other.yaml"), OTHER_DEFINITION);
        Path otherYaml = Files.writeString(tmp.resolve("site-other.yaml"), """
                kit: %s
                data:
                  definition: other/heart-other.yaml
                allow:
                  strategies: [fedavg]
                  model_specs:
                    - {type: logistic}
                audit_log: audit/other.jsonl
                """.formatted(tmp.relativize(fed.layout.siteKit("other"))));
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        FedmedProcess server;
        try {
            server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            FedmedProcess other = FedmedProcess.start("other", logs, "site", "--config", otherYaml.toString());
            processes.add(other);
            assertEquals(3, other.awaitExit(Duration.ofSeconds(60)), other.output());
            assertTrue(other.output().contains("column 13 'thal'"), other.output());
            for (String site : Federation.HOSPITALS) {
                processes.add(FedmedProcess.start(site, logs, "site", "--config",
                        fed.siteConfig(site, site, "fedavg", "{type: logistic}").toString()));
            }
            assertEquals(0, server.awaitExit(Duration.ofSeconds(240)), server.output());
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
        assertTrue(server.output().contains("statistics exchange: merged the training-row statistics of [cleveland,"
                + " hungary, switzerland, va] (in this order)"), server.output());

        ComparisonReport sim = simulate();
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("heart-defaults").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            List<RoundRecord> simRounds = sim.federated().rounds();
            assertEquals(simRounds.size(), rounds.size(), "rounds run");
            for (int r = 0; r < rounds.size(); r++) {
                assertEquals(simRounds.get(r).evalMetrics(), rounds.get(r).evalMetrics(), "round " + (r + 1) + " eval");
            }
            Path last = store.checkpoint(run.id(), rounds.size()).orElseThrow().path();
            float[] deployed = SafetensorsReader.read(last).parameters().flat();
            float[] simulated = sim.federated().finalModel().flat();
            assertTrue(simulated.length > 23, "indicator columns were added: " + simulated.length + " parameters");
            assertArrayEquals(simulated, deployed, "final model, bit for bit");

            List<AuditEntry> audit = store.auditLog();
            assertTrue(audit.stream().anyMatch(a -> a.event() == AuditEvent.ADMISSION_REFUSED
                    && a.detail().contains("'thal'")), audit.toString());
            for (String site : Federation.HOSPITALS) {
                assertTrue(audit.stream().anyMatch(a -> a.event() == AuditEvent.STATISTICS_RECEIVED
                        && a.actor().equals(site) && a.detail().startsWith("stats-moments")), site + ": " + audit);
                assertTrue(audit.stream().anyMatch(a -> a.event() == AuditEvent.STATISTICS_RECEIVED
                        && a.actor().equals(site) && a.detail().startsWith("stats-prepare")), site + ": " + audit);
            }
        }
        for (String site : Federation.HOSPITALS) {
            String log = Files.readString(fed.auditLog(site));
            assertTrue(log.contains("\"task_id\":\"stats-moments\"") && log.contains("\"event\":\"statistics_sent\""),
                    site + ": " + log);
        }
        String refused = Files.readString(fed.auditLog("other"));
        assertTrue(refused.contains("refused_by_server") && refused.contains("'thal'"), refused);
    }

    static ComparisonReport simulate() {
        SimulationConfig cfg = ConfigLoader.parse(TRAINING + "simulation: {regimes: [federated]}\n", "simulation", Map.of());
        return new ComparisonExperiment(cfg, null).run(SimulationData.load(cfg, DatasetRegistry.fromEnvironment()));
    }
}
