package org.fedmed.deploy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.fedmed.data.ListenPorts;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;
import org.fedmed.server.run.FallbackPolicy;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a server start ends before round 1, with no site connecting: refused at once for a config the kit cannot
 * meet, leaving nothing in the store when its port is taken, failed when its sites never arrive, stopped on request
 * while it waits; and none of these keeps the run's name from the next start.
 */
@Timeout(120)
class ServerStartTest {

    @TempDir
    Path dir;

    int port;
    Path kit;

    void provision(List<String> sites) throws IOException {
        port = ListenPorts.free();
        Path fed = dir.resolve("heart");
        new Provisioner().provision(FederationSpec.of("heart", new ServerAddress("127.0.0.1", port), sites), fed, false);
        kit = new KitLayout(fed).serverKit();
    }

    ServerConfig config(String extra, String training) throws IOException {
        Path file = dir.resolve("server.yaml");
        Files.writeString(file, """
                kit: %s
                listen: 127.0.0.1:%d
                run: heart
                store: runs/fedmed.db
                checkpoints: runs/checkpoints
                %s
                training:
                  dataset: heart-disease
                  model: {type: logistic}
                  rounds: 2
                %s""".formatted(dir.relativize(kit), port, extra, training.indent(2)));
        return ServerConfig.load(file);
    }

    static ServerProcess server(ServerConfig config, StringWriter out) {
        return new ServerProcess(config, DatasetRegistry.fromEnvironment(), new PrintWriter(out, true));
    }

    /** Starts the server on another thread, waits until it listens, stops it, and returns its outcome. */
    static ServerProcess.Outcome startListeningThenStop(ServerConfig config, StringWriter out) throws Exception {
        ServerProcess server = server(config, out);
        CompletableFuture<ServerProcess.Outcome> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                return server.run(false, FallbackPolicy.FAIL);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!out.toString().contains("listening on") && !outcome.isDone() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertTrue(out.toString().contains("listening on"), out.toString());
        assertTrue(server.stopAndAwait("test stop", Duration.ofSeconds(30)), "the stop is recorded within 30 s");
        return outcome.get();
    }

    @Test
    void listeningOnAnotherPortThanTheKitsSitesDialIsWarnedAbout() throws Exception {
        provision(List.of("a", "b"));
        int kitPort = port;
        port = ListenPorts.free();
        StringWriter out = new StringWriter();
        ServerConfig config = config("wait_for_sites: 1", "");
        startListeningThenStop(config, out);
        assertTrue(out.toString().contains("warning: 'listen' in " + config.file() + " binds port " + port + ", but the"
                + " sites' kits dial 127.0.0.1:" + kitPort + "; unless a proxy or port forward sits between them, set"
                + " listen to port " + kitPort + " or leave it out"), out.toString());
        port = kitPort;
        StringWriter same = new StringWriter();
        startListeningThenStop(config("wait_for_sites: 1", ""), same);
        assertFalse(same.toString().contains("warning: 'listen'"), same.toString());
    }

    @Test
    void secureAggregationOverAKitOfTwoSitesIsRefusedAtOnce() throws Exception {
        provision(List.of("a", "b"));
        var e = assertThrows(IllegalArgumentException.class, () -> server(config("",
                "min_fit_sites: 2\nsecure_aggregation: {clip_bound: 2}"), new StringWriter()).run(false,
                FallbackPolicy.FAIL));
        assertTrue(e.getMessage().endsWith("server.yaml: key 'training.secure_aggregation' needs at least 3 sites in a"
                + " round, but the server kit " + kit + " provisions 2 sites [a, b], so no round could complete."
                + " Provision more sites, or remove secure_aggregation"), e.getMessage());
    }

    @Test
    void siteCountsAboveTheKitAreRefusedAtOnceNamingTheKeyTheValueAndTheKitsCount() throws Exception {
        provision(List.of("a", "b"));
        var minFit = assertThrows(IllegalArgumentException.class,
                () -> server(config("", "min_fit_sites: 3"), new StringWriter()).run(false, FallbackPolicy.FAIL));
        assertTrue(minFit.getMessage().contains("server.yaml: key 'training.min_fit_sites' is 3, but the server kit "
                + kit + " provisions 2 sites [a, b]"), minFit.getMessage());
        var waitFor = assertThrows(IllegalArgumentException.class, () -> server(config("wait_for_sites: 7", ""),
                new StringWriter()).run(false, FallbackPolicy.FAIL));
        assertTrue(waitFor.getMessage().contains("key 'wait_for_sites' is 7") && waitFor.getMessage().contains(
                "provisions 2 sites"), waitFor.getMessage());
        var perRound = assertThrows(IllegalArgumentException.class, () -> server(config("", "sites_per_round: 5"),
                new StringWriter()).run(true, FallbackPolicy.FAIL));
        assertTrue(perRound.getMessage().contains("key 'training.sites_per_round' is 5"), perRound.getMessage());
        assertFalse(Files.exists(dir.resolve("runs/fedmed.db")), "refused before the store is opened");
    }

    @Test
    void serverServesItsDashboardOverTlsAskingForTheKitsToken() throws Exception {
        provision(List.of("a", "b"));
        ServerConfig config = config("wait_for_sites: 2\ndashboard: {enabled: true, port: 0}", "");
        assertEquals(new ServerConfig.Dashboard(true, "127.0.0.1", 0), config.dashboard());
        StringWriter out = new StringWriter();
        ServerProcess server = server(config, out);
        CompletableFuture<ServerProcess.Outcome> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                return server.run(false, FallbackPolicy.FAIL);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!out.toString().contains("listening on") && !outcome.isDone() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        var m = java.util.regex.Pattern.compile("dashboard on (https://127\\.0\\.0\\.1:\\d+)").matcher(out.toString());
        assertTrue(m.find(), out.toString());
        var ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", org.fedmed.pki.Pem.readCertificate(kit.resolve(KitLayout.CA_CERTIFICATE)));
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        var http = java.net.http.HttpClient.newBuilder().sslContext(ssl).build();
        String token = org.fedmed.pki.OperatorToken.read(kit).value();
        var ok = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1) + "/runs"))
                .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().contains("<td>heart</td>"), ok.body());
        var refused = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1) + "/runs")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode());
        assertTrue(server.stopAndAwait("test stop", Duration.ofSeconds(30)));
        assertTrue(outcome.get().stopped());
    }

    @Test
    void portInUseCreatesNoRunAndTheNextStartWithTheNameListens() throws Exception {
        provision(List.of("a", "b"));
        ServerConfig config = config("wait_for_sites: 1", "");
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            var e = assertThrows(IOException.class, () -> server(config, new StringWriter()).run(false,
                    FallbackPolicy.FAIL));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + port + ": ")
                    && e.getMessage().contains("Set 'listen' in " + config.file()), e.getMessage());
        }
        try (RunStore store = RunStore.open(config.store())) {
            assertEquals(List.of(), store.runs(), "no run record");
            assertEquals(List.of(), store.auditLog(), "no audit entry");
        }
        StringWriter out = new StringWriter();
        ServerProcess.Outcome outcome = startListeningThenStop(config, out);
        assertTrue(outcome.stopped());
        assertTrue(out.toString().contains("stopped before round 1 of 2: test stop while waiting for sites, before"
                + " round 1. No round was recorded; start it again with: fedmed server --config " + config.file()
                + System.lineSeparator()), out.toString());
        try (RunStore store = RunStore.open(config.store())) {
            RunInfo run = store.run(outcome.runId()).orElseThrow();
            assertEquals(RunStatus.STOPPED, run.status());
            assertEquals("before any round (test stop while waiting for sites, before round 1)",
                    run.stopReason().orElseThrow());
            assertEquals(AuditEvent.RUN_STOPPED, store.auditLog(run.id()).getLast().event());
        }
    }

    @Test
    void startWhoseSitesNeverArriveIsMarkedFailedAndLeavesTheNameToTheNextStart() throws Exception {
        provision(List.of("a", "b"));
        ServerConfig config = config("wait_for_sites: 2\nwait_timeout_seconds: 1", "");
        var e = assertThrows(IllegalStateException.class, () -> server(config, new StringWriter()).run(false,
                FallbackPolicy.FAIL));
        assertTrue(e.getMessage().startsWith("only 0 site(s) [] connected within 1 s"), e.getMessage());
        StringWriter out = new StringWriter();
        ServerProcess.Outcome next = startListeningThenStop(config, out);
        assertTrue(out.toString().contains("run 'heart' (id 1) ended failed before recording any round; starting a"
                + " new run of that name"), out.toString());
        try (RunStore store = RunStore.open(config.store())) {
            List<RunInfo> runs = store.runs();
            assertEquals(List.of(RunStatus.FAILED, RunStatus.STOPPED), runs.stream().map(RunInfo::status).toList());
            assertEquals(List.of("heart", "heart"), runs.stream().map(RunInfo::name).toList());
            assertEquals(2, next.runId());
            assertTrue(runs.getFirst().stopReason().orElseThrow().startsWith("only 0 site(s)"));
        }
    }

    @Test
    void runThatRecordedARoundStillKeepsItsName() throws Exception {
        provision(List.of("a", "b"));
        ServerConfig config = config("wait_for_sites: 1", "");
        runWithOneRound(config, RunStatus.STOPPED, "after round 1 (SIGTERM)");
        var e = assertThrows(IllegalArgumentException.class, () -> server(config, new StringWriter()).run(false,
                FallbackPolicy.FAIL));
        assertTrue(e.getMessage().contains("run 'heart' already exists") && e.getMessage().endsWith("(stopped):"
                + " continue it with --resume, or give this run another name (key 'run' in " + config.file() + ")"),
                e.getMessage());
        runWithOneRound(config, RunStatus.COMPLETED, "round budget");
        var done = assertThrows(IllegalArgumentException.class, () -> server(config, new StringWriter()).run(false,
                FallbackPolicy.FAIL));
        assertTrue(done.getMessage().endsWith("(completed): give this run another name (key 'run' in "
                + config.file() + ")"), done.getMessage());
    }

    /** Stores a run named 'heart' that recorded round 1 and ended {@code status} for {@code reason}. */
    private static void runWithOneRound(ServerConfig config, RunStatus status, String reason) {
        try (RunStore store = RunStore.open(config.store())) {
            long id = store.createRun("heart", RunConfigJson.of(config), 42);
            store.recordRound(id, new org.fedmed.core.engine.RoundRecord(1, List.of("a"), List.of("a"), List.of(),
                    true, java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), 5), null);
            store.finishRun(id, status, reason);
        }
    }
}
