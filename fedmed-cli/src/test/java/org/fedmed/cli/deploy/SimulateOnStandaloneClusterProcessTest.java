package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.fedmed.server.checkpoint.CheckpointRef;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStore;
import org.fedmed.spark.StandaloneCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code fedmed simulate --engine spark --master spark://HOST:PORT}, run in its own JVM as a user runs it, against a
 * standalone cluster (a Master and a Worker JVM from the Maven jars, on 127.0.0.1, one for the class): the same final
 * model as {@code --engine spark} on {@code local[2]}, trained on the worker's executor, with the master recorded.
 */
class SimulateOnStandaloneClusterProcessTest {

    /** A population of 300 virtual sites, 30 sampled per round for 3 rounds, aggregated by region. */
    private static final String PLAN = """
            rounds: 3
            sites_per_round: 30
            local_epochs: 1
            max_site_weight_share: 1
            population:
              size: 300
              regions: 3
              hierarchical: true
              evaluation_sites: 6
              rows: {median: 30, min: 20, max: 60}
              wearable: {features: 4}
            """;

    /** The driver's JVM: the test processes' small heap, a little larger for Spark's driver. */
    private static final List<String> DRIVER_JVM = List.of("-Xmx768m", "-XX:TieredStopAtLevel=1");

    private static Path dir;
    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        // under target/, not a JUnit temp dir: the cluster's SPARK_HOME/jars holds links into the Maven repository
        dir = Files.createDirectories(Path.of("target", "standalone-cluster"))
                .resolve("simulate-" + System.nanoTime()).toAbsolutePath();
        cluster = StandaloneCluster.start(dir, 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Runs {@code simulate} on {@code plan} with {@code options}, recording into {@code name/}; its whole output. */
    private static String simulate(Path plan, String name, String... options) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        List<String> args = new java.util.ArrayList<>(List.of("simulate", "--config", plan.toString(), "--out",
                run.resolve("out").toString(), "--store", run.resolve("runs.db").toString(), "--no-progress"));
        args.addAll(List.of(options));
        try (FedmedProcess p = FedmedProcess.start(name, dir, DRIVER_JVM, args.toArray(String[]::new))) {
            int exit = p.awaitExit(Duration.ofMinutes(4));
            assertEquals(0, exit, p.output());
            return p.output();
        }
    }

    /** The one federated run a store holds, and its last checkpoint's parameters. */
    private record StoredRun(RunInfo info, int lastRound, float[] model) {
        static StoredRun of(Path db) throws Exception {
            try (RunStore store = RunStore.openReadOnly(db)) {
                List<RunInfo> runs = store.runs();
                assertEquals(1, runs.size(), runs.toString());
                var checkpoints = store.checkpoints(runs.getFirst().id());
                CheckpointRef last = checkpoints.get(checkpoints.lastKey());
                return new StoredRun(runs.getFirst(), checkpoints.lastKey(),
                        SafetensorsReader.readVerified(last.path(), last.sha256()).parameters().flat());
            }
        }
    }

    /** The executor folders ({@code app-ID/N/}) the cluster's worker has made so far. */
    private static List<Path> executorFolders() throws Exception {
        try (Stream<Path> apps = Files.list(cluster.workDir())) {
            return apps.filter(a -> a.getFileName().toString().startsWith("app-")).flatMap(a -> {
                try {
                    return Files.list(a).filter(Files::isDirectory).toList().stream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void aClusterRunGivesLocal2sModelBitForBitOnTheWorkersExecutorRecordingItsMasterInJsonLogsOnly()
            throws Exception {
        Path plan = Files.writeString(Files.createDirectories(dir).resolve("population.yaml"), PLAN);
        String master = cluster.masterUrl();

        String local = simulate(plan, "local", "--engine", "spark", "--spark-threads", "2");
        assertTrue(local.contains("engine: spark local[2]"), local);
        assertEquals(List.of(), executorFolders(), "the embedded run leaves the cluster alone");

        String onCluster = simulate(plan, "cluster", "--engine", "spark", "--master", master, "--log-format", "json");

        // the control: the rounds ran on the worker's executor, which loaded the fedmed classes shipped to it
        List<Path> executors = executorFolders();
        assertEquals(1, executors.size(), "one application, one executor: " + executors);
        String executorLog = Files.readString(executors.getFirst().resolve("stderr"));
        assertTrue(executorLog.contains("Finished task"), executorLog);
        assertFalse(executorLog.contains("ClassNotFoundException"), executorLog);
        try (Stream<Path> fetched = Files.list(executors.getFirst())) {
            assertTrue(fetched.anyMatch(f -> f.getFileName().toString().startsWith("fedmed")
                    && f.getFileName().toString().endsWith(".jar")), "the executor fetched the fedmed classes");
        }

        // --log-format json: every line out and err is one JSON event (no SLF4J provider warning, no Spark text)
        ObjectMapper json = new ObjectMapper();
        List<String> lines = onCluster.lines().toList();
        assertTrue(lines.size() > 10, onCluster);
        boolean header = false;
        for (String line : lines) {
            JsonNode o;
            try {
                o = json.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + line + "\nwhole output:\n" + onCluster, e);
            }
            assertTrue(o.isObject() && o.has("event") && o.has("message"), line);
            header |= o.get("message").asText().equals("engine: spark " + master);
        }
        assertTrue(header, "the printed header names the master:\n" + onCluster);

        // the same final model, bit for bit, and the same federated results
        StoredRun a = StoredRun.of(dir.resolve("local").resolve("runs.db"));
        StoredRun b = StoredRun.of(dir.resolve("cluster").resolve("runs.db"));
        assertEquals(3, a.lastRound());
        assertEquals(3, b.lastRound());
        assertEquals(a.model().length, b.model().length);
        assertTrue(a.model().length > 4, "a logistic model over 4 features");
        for (int i = 0; i < a.model().length; i++) {
            assertEquals(Float.floatToRawIntBits(a.model()[i]), Float.floatToRawIntBits(b.model()[i]),
                    "parameter " + i + ": local[2] " + a.model()[i] + ", cluster " + b.model()[i]);
        }
        JsonNode ra = json.readTree(dir.resolve("local").resolve("out").resolve("results.json").toFile());
        JsonNode rb = json.readTree(dir.resolve("cluster").resolve("out").resolve("results.json").toFile());
        for (String part : List.of("pooled", "sites", "curve")) {
            assertEquals(ra.at("/regimes/federated/" + part), rb.at("/regimes/federated/" + part), part);
        }
        assertTrue(ra.at("/regimes/federated/pooled/log_loss").isNumber(), ra.at("/regimes/federated").toString());

        // where each run ran, in results.json and in the run store
        assertEquals("spark", ra.at("/population/engine").asText());
        assertEquals("local[2]", ra.at("/population/master").asText());
        assertEquals("spark", rb.at("/population/engine").asText());
        assertEquals(master, rb.at("/population/master").asText());
        JsonNode storedConfig = json.readTree(b.info().configJson());
        assertEquals("spark", storedConfig.get("engine").asText());
        assertEquals(master, storedConfig.get("master").asText());
        assertEquals("local[2]", json.readTree(a.info().configJson()).get("master").asText());
    }
}
