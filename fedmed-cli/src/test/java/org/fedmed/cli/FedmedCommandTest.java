package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FedmedCommandTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = FedmedCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void simulatePrintsTheThreeRegimeTableAndWritesTheReport(@TempDir Path dir) throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        Run r = run("simulate", "--rounds", "5", "--out", dir.toString(), "--no-progress");
        assertEquals(0, r.exit(), r.err());
        for (String regime : new String[]{"local", "federated", "centralized"}) {
            assertEquals(5, r.out().lines().filter(l -> l.matches("^\\S+\\s+" + regime + "\\s.*")).count(),
                    regime + " has a row for each of 4 sites plus pooled:\n" + r.out());
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(5, json.at("/provenance/config/rounds").asInt());
        assertTrue(json.at("/regimes/federated/sites/cleveland/roc_auc").isNumber());
        assertTrue(json.at("/regimes/centralized/pooled/accuracy").isNumber());
        assertTrue(Files.size(dir.resolve("learning_curves.png")) > 1000);
    }

    @Test
    void unknownConfigKeyExitsWithCode2AndNamesKeyAndFile(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("sim.yaml");
        Files.writeString(cfg, "rounds: 3\nlocal_epocs: 2\n");
        Run r = run("simulate", "--config", cfg.toString(), "--no-progress");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown key 'local_epocs'") && r.err().contains("sim.yaml"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace for a user error");
    }

    @Test
    void localStepsFlagReplacesTheConfigsLocalEpochsAndBothFlagsAreRefused(@TempDir Path dir) throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        Path cfg = dir.resolve("sim.yaml");
        Files.writeString(cfg, "rounds: 2\nlocal_epochs: 4\nsimulation: {regimes: [federated]}\n");
        Run r = run("simulate", "--config", cfg.toString(), "--local-steps", "3", "--out", dir.resolve("out").toString(),
                "--no-progress");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("2 rounds x 3 local steps"), r.out());
        JsonNode config = new ObjectMapper().readTree(dir.resolve("out").resolve("results.json").toFile())
                .at("/provenance/config");
        assertEquals(3, config.get("local_steps").asInt());
        assertFalse(config.has("local_epochs"), config.toString());

        Run both = run("simulate", "--local-epochs", "1", "--local-steps", "3", "--no-progress");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("--local-epochs and --local-steps exclude each other"), both.err());
    }

    @Test
    void anOutThatIsAFileIsRefusedBeforeTheRunAndTheFileIsKept(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("results.txt"), "an earlier run's notes");
        Run r = run("simulate", "--rounds", "3", "--out", file.toString(), "--no-progress");
        assertEquals(2, r.exit(), r.err());
        assertEquals("error: --out " + file + ": is a file, not a folder; name a folder for the report",
                r.err().strip());
        assertFalse(r.out().contains("fedmed simulate:"), "nothing ran: " + r.out());
        assertEquals("an earlier run's notes", Files.readString(file));
    }

    @Test
    void aMistypedFlagValueGivesTheReasonAndWhereTheOptionsAreNotTheWholeUsage() {
        Run r = run("simulate", "--rounds", "abc");
        assertEquals(2, r.exit());
        assertEquals(List.of("error: Invalid value for option '--rounds': 'abc' is not an int",
                "Try 'fedmed simulate --help' for its options."), r.err().lines().toList());
        Run unknown = run("simulate", "--roundz", "3");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("Unknown options: '--roundz', '3'")
                && unknown.err().contains("--rounds"), unknown.err());
        assertFalse(unknown.err().contains("Usage:"), unknown.err());
    }

    @Test
    void tuneChecksTheWholeGridBeforeAnyCandidateRunsAndNamesTheFlag(@TempDir Path dir) {
        Run lr = run("tune", "--rounds", "2", "--grid-lr", "0.1,-1", "--out", dir.toString(), "--no-progress");
        assertEquals(2, lr.exit());
        assertEquals("error: --grid-lr value -1.0: config key 'lr' must be a positive number, got -1.0",
                lr.err().strip());
        assertEquals("", lr.out(), "no candidate ran");
        Run batch = run("tune", "--rounds", "2", "--grid-batch-size", "16,0", "--out", dir.toString(), "--no-progress");
        assertEquals(2, batch.exit());
        assertTrue(batch.err().startsWith("error: --grid-batch-size value 0: "), batch.err());
    }

    @Test
    void badFlagValueNamesTheKey() {
        Run r = run("simulate", "--fraction", "0", "--no-progress");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("'fraction'"), r.err());
    }

    @Test
    void unknownDatasetIsAClearError() {
        Run r = run("simulate", "--dataset", "no-such-data", "--no-progress");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("no-such-data"), r.err());
        assertTrue(r.err().contains("heart-disease"), "lists the known datasets: " + r.err());
    }

    @Test
    void datasetsListsEveryKnownDatasetWithItsStatus() {
        Run r = run("datasets");
        assertEquals(0, r.exit(), r.err());
        for (String name : new String[]{"heart-disease", "pima-diabetes", "breast-cancer-wisconsin"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " ")
                    && (l.contains("present") || l.contains("missing"))), r.out());
        }
    }

    @Test
    void dpTradeoffReportsEpsilonFallingAsNoiseGrowsAndWritesAPlot(@TempDir Path dir) throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        Run r = run("dp-tradeoff", "--rounds", "5", "--noise", "1,4", "--out", dir.toString(), "--no-progress");
        assertEquals(0, r.exit(), r.err());
        var csv = Files.readAllLines(dir.resolve("tradeoff.csv"));
        assertEquals(4, csv.size(), "header, baseline and two noise levels: " + csv);
        assertTrue(csv.get(1).startsWith("none,inf,"));
        double eps1 = Double.parseDouble(csv.get(2).split(",")[1]);
        double eps4 = Double.parseDouble(csv.get(3).split(",")[1]);
        assertTrue(eps1 > eps4, "more noise spends less epsilon: " + csv);
        assertTrue(Files.size(dir.resolve("tradeoff.png")) > 1000);
    }

    @Test
    void tuneAndDpTradeoffOnARegressionShowItsLossAndMetrics(@TempDir Path dir) throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        String config = Path.of("..", "examples", "heart-age", "simulate.yaml").toString();
        Run tune = run("tune", "--config", config, "--rounds", "2", "--grid-lr", "0.02", "--grid-local-epochs", "1",
                "--grid-batch-size", "32", "--out", dir.resolve("tune").toString(), "--no-progress");
        assertEquals(0, tune.exit(), tune.err());
        assertTrue(tune.out().contains("val_mse") && tune.out().contains("val_r2"), tune.out());
        Run dp = run("dp-tradeoff", "--config", config, "--rounds", "2", "--noise", "2", "--out",
                dir.resolve("dp").toString(), "--no-progress");
        assertEquals(0, dp.exit(), dp.err());
        assertTrue(dp.out().lines().anyMatch(l -> l.matches("z\\s+epsilon\\s+rmse\\s+mae\\s+r2\\s+mse")), dp.out());
        assertFalse(dp.out().contains("roc_auc"), dp.out());
    }
}
