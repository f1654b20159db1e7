package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.data.federated.DataOptions;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.stats.Analytics;
import org.fedmed.data.stats.GaussianCountNoise;
import org.fedmed.data.stats.AnalyticsOptions;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedmed server --analytics} with four site processes (one asking for k = 10 in its site.yaml) writes the
 * same analytics as the in-process computation over the same sites' training rows, releases no count from 1 to
 * k-1 of the k that applies, and the sites, started with {@code --once}, leave when it is done.
 */
@Timeout(240)
class AnalyticsProcessesTest {

    static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: 1
            seed: 42
            round_deadline_seconds: 60
            """;

    /** A server with {@code --analytics} and {@code extra} options and four site processes; the server's output. */
    private static String analytics(Federation fed, Path tmp, Path json, String... extra) throws Exception {
        Path serverYaml = fed.serverConfig("server.yaml", "heart-analytics", 4, TRAINING);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("server", "--config", serverYaml.toString(), "--analytics",
                json.toString(), "--cross-tab", "cp"));
        args.addAll(List.of(extra));
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, args.toArray(new String[0]));
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            List<FedmedProcess> sites = new ArrayList<>();
            for (String site : Federation.HOSPITALS) {
                FedmedProcess p = FedmedProcess.start(site, logs, "site", "--once", "--config",
                        fed.siteConfig(site, site, "fedavg", "{type: logistic}", site.equals("va") ? "k: 10" : "")
                                .toString());
                processes.add(p);
                sites.add(p);
            }
            assertEquals(0, server.awaitExit(Duration.ofSeconds(120)), server.output());
            for (FedmedProcess p : sites) {
                assertEquals(0, p.awaitExit(Duration.ofSeconds(60)), p.output());
            }
            return server.output();
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
    }

    @Test
    void noisedAnalyticsOfTheSitesEqualTheInProcessNoisedOnesAndSendNoMoments(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path json = tmp.resolve("noised.json");
        String output = analytics(fed, tmp, json, "--epsilon", "0.5");

        var sites = FederatedDatasets.splitAll(DatasetRegistry.fromEnvironment(), DataOptions.defaults("heart-disease"));
        var local = Analytics.run("heart-disease", sites.siteIds(), sites.split().trains(),
                new AnalyticsOptions(5, Map.of("va", 10L), "cp", 1024, new GaussianCountNoise(0.5, 1e-5, 42)));
        var exact = Analytics.run("heart-disease", sites.siteIds(), sites.split().trains(),
                new AnalyticsOptions(5, Map.of("va", 10L), "cp", 1024, null));
        String deployed = Files.readString(json);
        assertEquals(local.toJson(), deployed, output);
        assertNotEquals(exact.toJson(), deployed, "the counts are noised");
        JsonNode root = new ObjectMapper().readTree(deployed);
        assertEquals(0.5, root.get("noise").get("epsilon").asDouble());
        for (JsonNode site : root.get("sites")) {
            assertNoSmallCount(site, site.get("k").asLong(), site.get("site").asText());
        }
        String va = Files.readString(fed.auditLog("va"));
        assertTrue(va.contains("\"task_id\":\"analytics-release\""), va);
        assertFalse(va.contains("\"task_id\":\"analytics-moments\""), "no moments were asked for:\n" + va);
    }

    @Test
    void theServersAnalyticsEqualTheInProcessOnesAndReleaseNoSmallCount(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path json = tmp.resolve("analytics.json");
        String output = analytics(fed, tmp, json);
        assertTrue(output.contains("supp"), output);

        DataOptions data = DataOptions.defaults("heart-disease");
        var sites = FederatedDatasets.splitAll(DatasetRegistry.fromEnvironment(), data);
        var local = Analytics.run("heart-disease", sites.siteIds(), sites.split().trains(),
                new AnalyticsOptions(5, Map.of("va", 10L), "cp", 1024, null));
        String deployed = Files.readString(json);
        assertEquals(local.toJson(), deployed);

        JsonNode root = new ObjectMapper().readTree(deployed);
        for (JsonNode site : root.get("sites")) {
            long k = site.get("k").asLong();
            assertEquals(site.get("site").asText().equals("va") ? 10 : 5, k, site.get("site").asText());
            assertNoSmallCount(site, k, site.get("site").asText());
        }
        assertNoSmallCount(root.get("pooled"), 10, "pooled");
        try (RunStore store = RunStore.open(fed.store())) {
            var recorded = store.analytics();
            assertEquals(1, recorded.size(), "the exchange is recorded in the run store for the dashboard");
            assertEquals(deployed, recorded.getFirst().resultJson());
            assertEquals("heart-disease", recorded.getFirst().dataset());
            for (String site : Federation.HOSPITALS) {
                assertTrue(store.auditLog().stream().anyMatch(a -> a.event() == AuditEvent.STATISTICS_RECEIVED
                        && a.actor().equals(site) && a.detail().startsWith("analytics-release")), site);
            }
        }
        String va = Files.readString(fed.auditLog("va"));
        assertTrue(va.contains("\"task_id\":\"analytics-release\""), va);
    }

    /** Every count in the subtree is "suppressed", 0 or at least k. */
    private static void assertNoSmallCount(JsonNode node, long k, String where) {
        node.fields().forEachRemaining(e -> {
            String key = e.getKey();
            JsonNode v = e.getValue();
            boolean counts = key.equals("rows") || key.equals("present") || key.equals("missing")
                    || key.equals("label_counts") || key.equals("by_label_class");
            if (counts) {
                List<JsonNode> cells = new ArrayList<>();
                collect(v, cells);
                for (JsonNode c : cells) {
                    assertTrue(c.isTextual() && c.asText().equals("suppressed") || c.asLong() == 0 || c.asLong() >= k,
                            where + " " + key + " released " + c + " under k " + k);
                }
            } else if (v.isContainerNode()) {
                if (v.isArray()) {
                    v.forEach(x -> assertNoSmallCount(x, k, where));
                } else {
                    assertNoSmallCount(v, k, where);
                }
            }
        });
    }

    private static void collect(JsonNode v, List<JsonNode> out) {
        if (v.isContainerNode()) {
            v.forEach(x -> collect(x, out));
        } else {
            out.add(v);
        }
    }
}
