package org.fedmed.server.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small client of the MLflow tracking server's REST API (version 2.0), for the calls tracking needs: find or
 * create the experiment by name ({@code experiments/get-by-name}, {@code experiments/create}), create a run
 * ({@code runs/create}), log its metrics and parameters ({@code runs/log-batch}, at most
 * {@value #BATCH_LIMIT} metrics a request, the API's own limit), and mark it ended ({@code runs/update}). A site's
 * metric is logged under {@code sites/<site>/<metric>}. Every call waits at most {@link #TIMEOUT}; an answer other
 * than 2xx is an {@link IOException} naming the URL, the status and the server's message.
 */
public final class MlflowClient {

    public static final int BATCH_LIMIT = 1000;
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    public MlflowClient(URI base) {
        if (base == null || base.getScheme() == null
                || !(base.getScheme().equals("http") || base.getScheme().equals("https"))) {
            throw new IllegalArgumentException("MLflow tracking URL must be http:// or https://, got '" + base + "'");
        }
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The id of the experiment named {@code name}, created if the server has none of that name. */
    public String experiment(String name) throws IOException {
        Answer found = call("GET", "experiments/get-by-name?experiment_name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8), null);
        if (found.status() / 100 == 2) {
            return found.body().path("experiment").path("experiment_id").asText();
        }
        if (found.status() != 404 && !"RESOURCE_DOES_NOT_EXIST".equals(found.body().path("error_code").asText())) {
            throw found.failure();
        }
        ObjectNode create = JSON.createObjectNode().put("name", name);
        return ok(call("POST", "experiments/create", create)).path("experiment_id").asText();
    }

    /** Creates a run named {@code runName} in {@code experimentId} with {@code tags}; returns its run id. */
    public String createRun(String experimentId, String runName, Map<String, String> tags) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("experiment_id", experimentId).put("run_name", runName)
                .put("start_time", System.currentTimeMillis());
        ArrayNode t = body.putArray("tags");
        tags.forEach((k, v) -> t.addObject().put("key", k).put("value", v));
        return ok(call("POST", "runs/create", body)).path("run").path("info").path("run_id").asText();
    }

    /** Logs {@code params} once and {@code rows} as metrics of {@code runId}, at {@code timestampMillis}. */
    public void logBatch(String runId, List<MetricRow> rows, Map<String, String> params, long timestampMillis)
            throws IOException {
        int from = 0;
        do {
            int to = Math.min(rows.size(), from + BATCH_LIMIT);
            ObjectNode body = JSON.createObjectNode().put("run_id", runId);
            ArrayNode metrics = body.putArray("metrics");
            for (MetricRow r : rows.subList(from, to)) {
                metrics.addObject().put("key", key(r)).put("value", r.value()).put("timestamp", timestampMillis)
                        .put("step", r.round());
            }
            ArrayNode p = body.putArray("params");
            if (from == 0) {
                params.forEach((k, v) -> p.addObject().put("key", k).put("value", v));
            }
            body.putArray("tags");
            ok(call("POST", "runs/log-batch", body));
            from = to;
        } while (from < rows.size());
    }

    /** Marks {@code runId} ended with {@code status} ({@code FINISHED}, {@code FAILED} or {@code KILLED}). */
    public void endRun(String runId, String status) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId).put("status", status)
                .put("end_time", System.currentTimeMillis());
        ok(call("POST", "runs/update", body));
    }

    /** The MLflow metric key of {@code row}: its metric, under {@code sites/<site>/} for a site's row. */
    public static String key(MetricRow row) {
        return row.site() == null ? row.metric() : "sites/" + row.site() + "/" + row.metric();
    }

    private record Answer(String url, int status, JsonNode body, String text) {
        IOException failure() {
            return new IOException("MLflow " + url + " answered HTTP " + status + ": " + text);
        }
    }

    private static JsonNode ok(Answer a) throws IOException {
        if (a.status() / 100 != 2) {
            throw a.failure();
        }
        return a.body();
    }

    private Answer call(String method, String path, JsonNode body) throws IOException {
        URI uri = URI.create(base + "/api/2.0/mlflow/" + path);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json");
        if (body == null) {
            req.GET();
        } else {
            req.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> res;
        try {
            res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling MLflow at " + uri, e);
        } catch (IOException e) {
            throw new IOException("cannot reach MLflow at " + uri + ": " + e.getMessage(), e);
        }
        JsonNode parsed;
        try {
            parsed = res.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(res.body());
        } catch (IOException notJson) {
            parsed = JSON.createObjectNode();
        }
        return new Answer(uri.toString(), res.statusCode(), parsed, res.body());
    }
}
