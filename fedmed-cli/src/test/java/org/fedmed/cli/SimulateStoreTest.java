package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.dashboard.Dashboard;
import org.fedmed.dashboard.DashboardSettings;
import org.fedmed.dashboard.StoreView;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.pki.OperatorToken;
import org.fedmed.server.store.ExportRecord;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedmed simulate --store FILE} records its federated run into a real SQLite run store, and the dashboard,
 * reading that store, shows the values {@code results.json} holds; {@code fedmed export} exports the run from it.
 */
class SimulateStoreTest {

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void simulateWithAStoreRecordsTheRunThatTheDashboardShowsWithTheValuesOfResultsJson(@TempDir Path dir)
            throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        Path db = dir.resolve("store").resolve("sim.db");
        Path out = dir.resolve("out");
        FedmedCommandTest.Run r = FedmedCommandTest.run("simulate", "--rounds", "3", "--regimes", "federated",
                "--out", out.toString(), "--store", db.toString(), "--keep-checkpoints", "0", "--no-progress");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("recorded in "), r.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode rounds = json.at("/federated/rounds");
        assertEquals(3, rounds.size(), json.toString());

        List<RoundRecord> stored;
        long runId;
        try (StoreView view = StoreView.open(db)) {
            RunInfo run = view.run(null).orElseThrow();
            runId = run.id();
            assertEquals("heart-disease-federated", run.name());
            assertEquals(RunStatus.COMPLETED, run.status());
            assertEquals(json.at("/provenance/seed").asLong(), run.seed());
            stored = view.rounds(run.id());
            assertEquals(3, stored.size());
            for (int i = 0; i < 3; i++) {
                JsonNode expected = rounds.get(i);
                RoundRecord got = stored.get(i);
                assertEquals(expected.get("round").asInt(), got.round());
                assertEquals(strings(expected.get("selected")), got.selected());
                assertEquals(strings(expected.get("succeeded")), got.succeeded());
                expected.get("eval_metrics").properties().forEach(m -> assertEquals(m.getValue().asDouble(),
                        got.evalMetrics().get(m.getKey()), "round " + got.round() + " " + m.getKey()));
                expected.get("site_eval_metrics").properties().forEach(site -> site.getValue().properties()
                        .forEach(m -> assertEquals(m.getValue().asDouble(),
                                got.siteEvalMetrics().get(site.getKey()).get(m.getKey()),
                                "round " + got.round() + " site " + site.getKey() + " " + m.getKey())));
                expected.get("fit_claims").properties().forEach(c -> assertEquals(c.getValue().asLong(),
                        got.fitClaims().get(c.getKey()), "claim of " + c.getKey()));
                assertEquals(4, got.siteEvalMetrics().size(), "heart-disease has four sites");
            }
            assertEquals(Set.of(1, 2, 3), view.checkpoints(run.id()).keySet(), "--keep-checkpoints 0 keeps all");
            view.checkpoints(run.id()).values().forEach(c -> assertTrue(Files.isRegularFile(c.path()), c.path() + ""));
            List<ExportRecord> exports = view.exports();
            assertEquals(1, exports.size());
            Path model = out.resolve("federated_model.safetensors").toAbsolutePath().normalize();
            assertEquals(model, exports.getFirst().path());
            assertEquals(3, exports.getFirst().round());
            byte[] bytes = Files.readAllBytes(model);
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                    exports.getFirst().sha256());
        }

        FedmedCommandTest.Run export = FedmedCommandTest.run("export", "--store", db.toString(), "--run",
                "heart-disease-federated", "--out", dir.resolve("again.safetensors").toString());
        assertEquals(0, export.exit(), export.err());
        assertTrue(export.out().contains("after round 3"), export.out());

        OperatorToken token = OperatorToken.generate(new SecureRandom(new byte[]{4}));
        HttpClient http = HttpClient.newHttpClient();
        try (Dashboard d = Dashboard.start(DashboardSettings.local(db, token))) {
            String page = http.send(HttpRequest.newBuilder(URI.create(d.url() + "/?live=0"))
                    .header("Authorization", "Bearer " + token.value()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(page.contains("status <b id=\"status\">completed</b>, round <b id=\"round\">3</b> of"
                    + " <b id=\"total\">3</b>"), page);
            String metric = rounds.get(0).get("eval_metrics").properties().iterator().next().getKey();
            for (JsonNode round : rounds) {
                String point = "data-series=\"global\" data-round=\"" + round.get("round").asInt() + "\" data-value=\""
                        + round.get("eval_metrics").get(metric).asDouble() + "\"";
                assertTrue(page.contains(point), "learning curve point " + point);
            }
            String site = rounds.get(2).get("fit_claims").properties().iterator().next().getKey();
            long claim = rounds.get(2).get("fit_claims").get(site).asLong();
            assertTrue(page.matches("(?s).*<tr data-site=\"" + site + "\">.*?<td class=\"claimed\">" + claim
                    + "</td>.*?<td class=\"taken\">3</td>.*"), "site row of " + site);
            String downloads = http.send(HttpRequest.newBuilder(URI.create(d.url() + "/downloads"))
                    .header("Authorization", "Bearer " + token.value()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(downloads.contains("<a href=\"/download/checkpoint/" + runId + "/3\">"), downloads);
            assertTrue(downloads.contains("federated_model.safetensors</a>"), downloads);
            assertTrue(downloads.contains("<a href=\"/download/export/2\">again.safetensors</a>"),
                    "fedmed export from the simulation's store is offered too: " + downloads);
        }
    }
}
