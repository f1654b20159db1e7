package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server and four sites with {@code --log-format json}: every line each process writes is a JSON event (the
 * server's rounds with their round, every site event with its site), and the server's tracking files beside its
 * store hold exactly the evaluation metrics its store recorded.
 */
class ServerTrackingProcessesTest {

    private static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: 3
            min_fit_sites: 4
            local_epochs: 1
            batch_size: 32
            lr: 0.1
            seed: 42
            round_deadline_seconds: 60
            """;

    @Test
    void jsonLogsParseLineByLineAndTheTrackedMetricsEqualTheStore(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", "heart-track", 4, TRAINING);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        FedmedProcess server;
        try {
            server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString(),
                    "--log-format", "json");
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : Federation.HOSPITALS) {
                processes.add(FedmedProcess.start(site, logs, "site", "--once", "--log-format", "json", "--config",
                        fed.siteConfig(site, site, "fedavg", "{type: logistic}", MatchedRun.PER_SITE_DATA).toString()));
            }
            assertEquals(0, server.awaitExit(Duration.ofSeconds(180)), server.output());
            for (FedmedProcess site : processes.subList(1, processes.size())) {
                assertEquals(0, site.awaitExit(Duration.ofSeconds(60)), site.output());
            }
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
        ObjectMapper json = new ObjectMapper();
        List<Integer> rounds = new ArrayList<>();
        for (JsonNode e : events(json, server.output())) {
            if (e.get("event").asText().equals("round.finished")) {
                rounds.add(e.get("round").asInt());
            }
        }
        assertEquals(List.of(1, 2, 3), rounds, server.output());
        for (int i = 1; i < processes.size(); i++) {
            String site = Federation.HOSPITALS.get(i - 1);
            List<JsonNode> events = events(json, processes.get(i).output());
            assertFalse(events.isEmpty());
            for (JsonNode e : events) {
                if (e.get("event").asText().equals("site")) {
                    assertEquals(site, e.get("site").asText(), e.toString());
                }
            }
        }

        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("heart-track").orElseThrow();
            Map<String, java.time.Instant> contacts = store.contacts(run.id());
            assertEquals(new java.util.TreeSet<>(Federation.HOSPITALS), contacts.keySet(),
                    "the server recorded when it last heard from every site");
            for (var c : contacts.entrySet()) {
                assertTrue(!c.getValue().isBefore(run.created()) && !c.getValue().isAfter(java.time.Instant.now()),
                        c + " lies within the run, created " + run.created());
            }
            Path tracking = fed.store().toAbsolutePath().resolveSibling("tracking");
            String name = "heart-track-" + run.id();
            Map<String, Double> expected = new TreeMap<>();
            for (RoundRecord r : store.rounds(run.id())) {
                r.evalMetrics().forEach((m, v) -> expected.put(r.round() + "|eval/" + m, v));
            }
            Map<String, Double> expectedMeasured = new TreeMap<>();
            for (RoundRecord r : store.rounds(run.id())) {
                assertTrue(r.aggregationNanos() > 0, "round " + r.round() + " records its aggregation time");
                assertEquals(4, r.traffic().size(), "round " + r.round() + ": every site's bytes: " + r.traffic());
                expectedMeasured.put(r.round() + "||round/aggregation_ms", r.aggregationNanos() / 1e6);
                r.traffic().forEach((site, t) -> {
                    expectedMeasured.put(r.round() + "|" + site + "|traffic/bytes_sent", (double) t.bytesSent());
                    expectedMeasured.put(r.round() + "|" + site + "|traffic/bytes_received", (double) t.bytesReceived());
                });
            }
            Map<String, Double> tracked = new TreeMap<>();
            Map<String, Double> trackedMeasured = new TreeMap<>();
            for (String line : Files.readAllLines(tracking.resolve("metrics.csv"))) {
                String[] f = line.split(",");
                if (f[0].equals(name) && f[2].isEmpty() && f[3].startsWith("eval/")) {
                    tracked.put(f[1] + "|" + f[3], Double.parseDouble(f[4]));
                }
                if (f[0].equals(name) && (f[3].equals("round/aggregation_ms") || f[3].startsWith("traffic/"))) {
                    trackedMeasured.put(f[1] + "|" + f[2] + "|" + f[3], Double.parseDouble(f[4]));
                }
            }
            assertEquals(expected, tracked);
            assertEquals(expectedMeasured, trackedMeasured, "aggregation time and bytes tracked as stored");
            try (var tb = Files.list(tracking.resolve("tensorboard").resolve(name))) {
                assertTrue(tb.anyMatch(f -> f.getFileName().toString().startsWith("events.out.tfevents.")));
            }
        }
    }

    private static List<JsonNode> events(ObjectMapper json, String output) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : output.lines().toList()) {
            try {
                JsonNode o = json.readTree(line);
                assertTrue(o.has("time") && o.has("level") && o.has("event") && o.has("message"), line);
                events.add(o);
            } catch (Exception e) {
                throw new AssertionError("not a JSON event: " + line + "\nwhole output:\n" + output, e);
            }
        }
        return events;
    }
}
