package org.fedmed.deploy.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedmed.core.engine.DeliveryOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    static final String MINIMAL = """
            kit: kits/server
            run: heart
            training:
              dataset: heart-disease
              min_fit_sites: 3
            """;

    static Path write(Path dir, String text) throws Exception {
        Path file = dir.resolve("conf").resolve("server.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void minimalConfigGetsDefaultsAndPathsRelativeToTheFile(@TempDir Path tmp) throws Exception {
        ServerConfig c = ServerConfig.load(write(tmp, MINIMAL));
        Path dir = tmp.resolve("conf").toAbsolutePath();
        assertEquals(dir.resolve("kits/server"), c.kit());
        assertEquals(dir.resolve("fedmed.db"), c.store());
        assertEquals(dir.resolve("checkpoints"), c.checkpoints());
        assertEquals("0.0.0.0", c.listenHost());
        assertNull(c.listenPort(), "the kit's port is used");
        assertEquals(3, c.waitForSites(), "waits for min_fit_sites by default");
        assertEquals(DeliveryOrder.TASK_ORDER, c.deliveryOrder());
        assertEquals(Double.POSITIVE_INFINITY, c.maxUpdateNorm());
        assertEquals(Duration.ofSeconds(5), c.heartbeatInterval());
        assertEquals("heart-disease", c.training().dataset());
    }

    @Test
    void dashboardIsOffByDefaultAndOnLoopbackWhenEnabled(@TempDir Path tmp) throws Exception {
        assertEquals(new ServerConfig.Dashboard(false, "127.0.0.1", 8480),
                ServerConfig.load(write(tmp, MINIMAL)).dashboard());
        assertEquals(new ServerConfig.Dashboard(true, "127.0.0.1", 9000),
                ServerConfig.load(write(tmp, MINIMAL + "dashboard:\n  enabled: true\n  port: 9000\n")).dashboard());
        var e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.load(write(tmp, MINIMAL + "dashboard:\n  enabled: true\n  bind: 1.2.3.4\n")));
        assertTrue(e.getMessage().contains("bind"), e.getMessage());
    }

    @Test
    void unknownKeyIsNamedWithTheKnownOnes(@TempDir Path tmp) throws Exception {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.load(write(tmp, MINIMAL + "listen_on: 1.2.3.4:5\n")));
        assertTrue(e.getMessage().contains("unknown key 'listen_on'") && e.getMessage().contains("listen"), e.getMessage());
    }

    @Test
    void unknownTrainingKeyIsNamedWithItsSection(@TempDir Path tmp) throws Exception {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.load(write(tmp, MINIMAL + "  roundz: 3\n")));
        assertTrue(e.getMessage().contains("section 'training'") && e.getMessage().contains("roundz"), e.getMessage());
    }

    @Test
    void missingTrainingRunOrKitIsNamed(@TempDir Path tmp) throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(write(tmp,
                "kit: k\nrun: r\n"))).getMessage().contains("key 'training' is missing"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(write(tmp,
                "kit: k\ntraining: {rounds: 2}\n"))).getMessage().contains("key 'run' is missing"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(write(tmp,
                "run: r\ntraining: {rounds: 2}\n"))).getMessage().contains("key 'kit' is missing"));
    }

    @Test
    void badValuesAreNamedByKey(@TempDir Path tmp) throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(write(tmp,
                MINIMAL + "listen: nowhere\n"))).getMessage().contains("key 'listen' must be HOST:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(write(tmp,
                MINIMAL + "listen: 0.0.0.0:70000\n"))).getMessage().contains("key 'listen' has port '70000'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(write(tmp,
                MINIMAL + "heartbeat_interval_seconds: 30\n"))).getMessage().contains("heartbeat_timeout_seconds"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(write(tmp,
                MINIMAL + "delivery_order: random\n"))).getMessage().contains("key 'delivery_order'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(write(tmp,
                MINIMAL + "max_update_norm: -1\n"))).getMessage().contains("key 'max_update_norm'"));
    }

    @Test
    void valuesCheckedAfterBindingAreLocatedInTheFileToo(@TempDir Path tmp) throws Exception {
        Path order = write(tmp, MINIMAL + "delivery_order: random\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(order));
        assertTrue(e.getMessage().startsWith(order + ": key 'delivery_order'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(line 6, column 17)"), e.getMessage());
        Path listen = write(tmp, MINIMAL + "listen: localhost\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(listen)).getMessage()
                .endsWith("got 'localhost' (line 6, column 9)"));
        Path beats = write(tmp, MINIMAL + "heartbeat_interval_seconds: 5\nheartbeat_timeout_seconds: 2\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(beats)).getMessage()
                .endsWith("(line 7, column 28)"));
    }

    @Test
    void resumeRefusesChangedTrainingSettingsNamingThem(@TempDir Path tmp) throws Exception {
        ServerConfig before = ServerConfig.load(write(tmp, MINIMAL));
        String stored = RunConfigJson.of(before);
        assertDoesNotThrow(() -> RunConfigJson.requireSameTraining(stored, ServerConfig.load(write(tmp,
                MINIMAL + "wait_for_sites: 4\n"))), "server keys may change between restarts");
        ServerConfig changed = ServerConfig.load(write(tmp, MINIMAL.replace("min_fit_sites: 3", "min_fit_sites: 2")));
        var e = assertThrows(IllegalArgumentException.class, () -> RunConfigJson.requireSameTraining(stored, changed));
        assertTrue(e.getMessage().contains("min_fit_sites (was 3, now 2)"), e.getMessage());
    }

    @Test
    void resumeNamesTheOneSettingThatChangedInsideASection(@TempDir Path tmp) throws Exception {
        String dp = "  dp: {noise: local, noise_multiplier: 1.0, clip_norm: 1.0}\n";
        String stored = RunConfigJson.of(ServerConfig.load(write(tmp, MINIMAL + dp)));
        ServerConfig changed = ServerConfig.load(write(tmp, MINIMAL + dp.replace("noise_multiplier: 1.0",
                "noise_multiplier: 1.2")));
        var e = assertThrows(IllegalArgumentException.class, () -> RunConfigJson.requireSameTraining(stored, changed));
        assertTrue(e.getMessage().endsWith("changed since it started: dp.noise_multiplier (was 1.0, now 1.2). Restore"
                + " them, or start a new run under another name"), e.getMessage());
        ServerConfig without = ServerConfig.load(write(tmp, MINIMAL));
        var removed = assertThrows(IllegalArgumentException.class, () -> RunConfigJson.requireSameTraining(stored,
                without));
        assertTrue(removed.getMessage().contains("changed since it started: dp (was set, now not set)."),
                removed.getMessage());
    }

    @Test
    void aRunStoredBeforeAKeyExistedResumesWhenTheKeyHasItsDefault(@TempDir Path tmp) throws Exception {
        ServerConfig config = ServerConfig.load(write(tmp, MINIMAL));
        var json = org.fedmed.plan.ConfigLoader.jsonWriter();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(RunConfigJson.of(config));
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("training")).remove("min_rows");
        String stored = json.writeValueAsString(root);
        assertTrue(!stored.contains("min_rows"), stored);
        assertDoesNotThrow(() -> RunConfigJson.requireSameTraining(stored, config));
        ServerConfig stricter = ServerConfig.load(write(tmp, MINIMAL + "  min_rows: 20\n"));
        var e = assertThrows(IllegalArgumentException.class, () -> RunConfigJson.requireSameTraining(stored, stricter));
        assertTrue(e.getMessage().contains("min_rows (was 10, now 20)"), e.getMessage());
    }

    @Test
    void errorsInTheTrainingSectionGiveTheirLineInTheServerConfig(@TempDir Path tmp) throws Exception {
        Path file = write(tmp, MINIMAL + "  rounds: many\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file));
        assertEquals(file + " (section 'training'): key 'rounds' expects an integer, got 'many' (line 6, column 11)",
                e.getMessage());
    }

    @Test
    void aFractionalNumberForAnIntegerKeyIsRefusedAtTheTopLevelAndInTraining(@TempDir Path tmp) throws Exception {
        Path top = write(tmp, MINIMAL + "wait_for_sites: 2.7\n");
        var waitFor = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(top));
        assertEquals(top + ": key 'wait_for_sites' expects an integer, got '2.7' (line 6, column 17)",
                waitFor.getMessage());
        Path training = write(tmp, MINIMAL + "  rounds: 3.9\n");
        var rounds = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(training));
        assertEquals(training + " (section 'training'): key 'rounds' expects an integer, got '3.9' (line 6, column 11)",
                rounds.getMessage());
    }

    @Test
    void theTrainingSectionTakesLocalStepsAndRefusesItBesideLocalEpochs(@TempDir Path tmp) throws Exception {
        ServerConfig steps = ServerConfig.load(write(tmp, MINIMAL + "  local_steps: 100\n"));
        assertEquals(org.fedmed.core.LocalWork.steps(100), steps.training().localWork());
        Path both = write(tmp, MINIMAL + "  local_epochs: 1\n  local_steps: 100\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(both));
        assertTrue(e.getMessage().startsWith(both + " (section 'training'): config key 'local_steps' cannot be used with "
                + "'local_epochs'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(line 7, column 16)"), e.getMessage());
        // a run stored with epochs does not resume under steps
        ServerConfig epochs = ServerConfig.load(write(tmp, MINIMAL));
        var resume = assertThrows(IllegalArgumentException.class,
                () -> RunConfigJson.requireSameTraining(RunConfigJson.of(epochs), steps));
        assertTrue(resume.getMessage().contains("local_steps (was not set, now 100)"), resume.getMessage());
    }

    @Test
    void aSimulationOnlyTrainingKeyIsRefusedNamingItAndWhy(@TempDir Path tmp) throws Exception {
        Path file = write(tmp, MINIMAL + "  stats: per_site\n");
        var stats = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file));
        assertEquals(file + " (section 'training'): key 'stats' only means something to 'fedmed simulate' (line 6,"
                + " column 3): the server reads no data; each site prepares its own data as its site.yaml says;"
                + " remove it from the server config", stats.getMessage());
        var section = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(write(tmp,
                MINIMAL + "  simulation: {stats: per_site}\n")));
        assertTrue(section.getMessage().contains("key 'simulation' only means something to 'fedmed simulate' (line 6,"
                + " column 3): "), section.getMessage());
        for (String key : java.util.List.of("partition: iid", "alpha: 0.5", "sites: 4", "test_fraction: 0.25",
                "missing: mean", "missing_indicators: false", "regimes: [federated]", "parallelism: 2",
                "fill: 0", "standardize: false", "sd: unbiased", "clip_quantiles: [0.01, 0.99]")) {
            var e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(write(tmp,
                    MINIMAL + "  " + key + "\n")), key);
            assertTrue(e.getMessage().contains("key '" + key.substring(0, key.indexOf(':'))
                    + "' only means something to 'fedmed simulate' (line 6, column 3): "), e.getMessage());
        }
    }

    @Test
    void theKeysADeploymentUsesStayAccepted(@TempDir Path tmp) throws Exception {
        ServerConfig c = ServerConfig.load(write(tmp, MINIMAL + """
                  model: {type: logistic}
                  strategy: uniform
                  rounds: 4
                  local_epochs: 1
                  batch_size: 16
                  lr: 0.05
                  server_lr: 0.5
                  send: delta
                  seed: 7
                  round_deadline_seconds: 30
                  fraction: 0.5
                  sites_per_round: 3
                  over_selection: 0.2
                  patience: 2
                  min_delta: 0.01
                  max_site_weight_share: 0.4
                  max_count_growth: 3
                  min_rows: 12
                  one_hot: drop_first
                """));
        assertEquals(org.fedmed.data.prep.OneHot.DROP_FIRST, c.training().oneHot());
        assertEquals(4, c.training().rounds());
        assertEquals(3, c.training().sitesPerRound());
        assertEquals(12, c.training().minRows());
    }

    @Test
    void theStoredConfigHoldsOnlyKeysAServerTakes(@TempDir Path tmp) throws Exception {
        var json = org.fedmed.plan.ConfigLoader.jsonWriter();
        var training = json.readTree(RunConfigJson.of(ServerConfig.load(write(tmp, MINIMAL)))).get("training");
        for (String key : org.fedmed.plan.SimulationConfig.SIMULATION_ONLY_KEYS.keySet()) {
            assertNull(training.get(key), key + " is refused in server.yaml, so it is not stored or exported");
        }
        assertEquals(3, training.get("min_fit_sites").asInt());
        assertTrue(training.has("rounds"), "the server's keys keep their defaults");
    }

    @Test
    void aRunStoredWithSimulationOnlyKeysResumesWithoutThem(@TempDir Path tmp) throws Exception {
        ServerConfig config = ServerConfig.load(write(tmp, MINIMAL));
        var json = org.fedmed.plan.ConfigLoader.jsonWriter();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(RunConfigJson.of(config));
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("training")).put("stats", "per_site")
                .put("missing_indicators", false);
        assertDoesNotThrow(() -> RunConfigJson.requireSameTraining(json.writeValueAsString(root), config));
    }

    @Test
    void syntaxErrorInTheServerConfigGivesTheLineAndColumn(@TempDir Path tmp) throws Exception {
        Path file = write(tmp, MINIMAL + " rounds: 3\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(file));
        assertTrue(e.getMessage().startsWith(file + ": not valid YAML at line 6, column 2: "), e.getMessage());
    }
}
