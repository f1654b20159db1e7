package org.fedmed.server.track;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RunTracker against a small MLflow stand-in on 127.0.0.1 that records every request it gets. */
class MlflowTrackingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Request(String method, String path, JsonNode body) {
    }

    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean failLogBatch;
    private HttpServer server;

    private URI start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/2.0/mlflow/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath().substring("/api/2.0/mlflow/".length());
            requests.add(new Request(ex.getRequestMethod(), path + (ex.getRequestURI().getQuery() == null ? ""
                    : "?" + ex.getRequestURI().getQuery()), body.isEmpty() ? null : JSON.readTree(body)));
            int status = 200;
            String answer = "{}";
            switch (path) {
                case "experiments/get-by-name" -> {
                    status = 404;
                    answer = "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"no such experiment\"}";
                }
                case "experiments/create" -> answer = "{\"experiment_id\":\"7\"}";
                case "runs/create" -> answer = "{\"run\":{\"info\":{\"run_id\":\"run-abc\"}}}";
                case "runs/log-batch" -> {
                    if (failLogBatch) {
                        status = 503;
                        answer = "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\"}";
                    }
                }
                default -> { }
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void aRunIsCreatedInTheNamedExperimentAndEveryRowIsLoggedAtItsRound() throws Exception {
        URI url = start();
        List<MetricRow> rows = new ArrayList<>();
        try (RunTracker t = RunTracker.open(TrackingSettings.files(dir).withMlflow(url).withMlflowExperiment("study"))) {
            RunListener l = t.listener("federated", Map.of("seed", "42"));
            for (int r = 1; r <= 2; r++) {
                l.roundFinished(Rounds.round(r), null);
                rows.addAll(TrackedMetrics.of("federated", Rounds.round(r)));
            }
            l.runFinished(new RunResult(null, List.of(), RunResult.StopReason.ROUND_BUDGET, "2 rounds"));
        }
        assertEquals(List.of("experiments/get-by-name?experiment_name=study", "experiments/create", "runs/create",
                "runs/log-batch", "runs/log-batch", "runs/log-batch", "runs/update"),
                requests.stream().map(Request::path).toList());
        assertEquals("study", requests.get(1).body().get("name").asText());
        JsonNode create = requests.get(2).body();
        assertEquals("7", create.get("experiment_id").asText());
        assertEquals("federated", create.get("run_name").asText());
        JsonNode params = requests.get(3).body().get("params");
        assertEquals("seed", params.get(0).get("key").asText());
        assertEquals("42", params.get(0).get("value").asText());
        List<String> logged = new ArrayList<>();
        for (Request r : requests.subList(4, 6)) {
            assertEquals("run-abc", r.body().get("run_id").asText());
            r.body().get("metrics").forEach(m -> logged.add(m.get("key").asText() + "@" + m.get("step").asInt()
                    + "=" + m.get("value").asDouble()));
        }
        assertEquals(rows.stream().map(r -> MlflowClient.key(r) + "@" + r.round() + "=" + r.value()).toList(), logged);
        assertTrue(logged.contains("sites/b/round/failed@2=1.0"), logged.toString());
        assertEquals("FINISHED", requests.get(6).body().get("status").asText());
    }

    @Test
    void aTrackingServerThatFailsMidRunStopsMlflowOnlyAndTheFilesGoOn() throws Exception {
        URI url = start();
        try (RunTracker t = RunTracker.open(TrackingSettings.files(dir).withMlflow(url))) {
            RunListener l = t.listener("federated", Map.of());
            failLogBatch = true;
            l.roundFinished(Rounds.round(1), null);
            l.roundFinished(Rounds.round(2), null);
        }
        assertEquals(1, requests.stream().filter(r -> r.path().equals("runs/log-batch")
                && r.body().get("metrics").size() > 0).count(), "no more batches after the failed one");
        assertEquals(1 + TrackedMetrics.of("federated", Rounds.round(1)).size()
                + TrackedMetrics.of("federated", Rounds.round(2)).size(), Files.readAllLines(dir.resolve("metrics.csv")).size());
    }

    @Test
    void anUnreachableTrackingServerIsNamedWhenTheRunIsCreated() {
        URI url = URI.create("http://127.0.0.1:1/");
        try (RunTracker t = RunTracker.open(TrackingSettings.files(dir).withMlflow(url))) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> t.listener("federated", Map.of()));
            assertTrue(e.getMessage().contains("cannot create MLflow run 'federated'")
                    && e.getMessage().contains("127.0.0.1:1"), e.getMessage());
        }
    }
}
