package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate} leaves a model beside its report that {@code predict} applies to a hospital's raw file. */
class PredictCommandTest {

    @Test
    void aSimulatedModelScoresEveryRowOfARawSiteFileAndKeepsItsColumns(@TempDir Path dir) throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        var sim = FedmedCommandTest.run("simulate", "--rounds", "2", "--regimes", "federated", "--out",
                dir.toString(), "--no-progress");
        assertEquals(0, sim.exit(), sim.err());
        Path model = dir.resolve("federated_model.safetensors");
        assertTrue(Files.isRegularFile(model) && Files.isRegularFile(dir.resolve("federated_model.provenance.json")));
        Path csv = DatasetRegistry.fromEnvironment().resolve(BuiltInDatasets.HEART_DISEASE).file("switzerland.csv");
        Path out = dir.resolve("scored.csv");
        var r = FedmedCommandTest.run("predict", "--model", model.toString(), "--csv", csv.toString(), "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(out);
        List<String> in = Files.readAllLines(csv);
        assertEquals(in.size(), lines.size());
        assertEquals(in.getFirst() + ",probability,prediction", lines.getFirst());
        assertTrue(lines.get(1).startsWith(in.get(1) + ","), lines.get(1));
        assertTrue(r.out().contains("scored " + (in.size() - 1) + " rows"), r.out());
    }

    @Test
    void aCsvWithoutAFeatureColumnExitsWith2NamingTheColumnAndLine(@TempDir Path dir) throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        var sim = FedmedCommandTest.run("simulate", "--rounds", "1", "--regimes", "federated", "--out",
                dir.toString(), "--no-progress");
        assertEquals(0, sim.exit(), sim.err());
        Path csv = dir.resolve("new.csv");
        Files.writeString(csv, "age,sex\n50,1\n");
        var r = FedmedCommandTest.run("predict", "--model", dir.resolve("federated_model.safetensors").toString(),
                "--csv", csv.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("new.csv line 1: missing feature column 'cp'"), r.err());
    }

    @Test
    void aSimulatedCoxModelScoresEachPatientByItsLogRelativeRisk(@TempDir Path dir) throws Exception {
        TestData.requireDataset(BuiltInDatasets.TCGA_BRCA);
        var sim = FedmedCommandTest.run("simulate", "--config", Path.of("..", "examples", "flamby-tcga",
                "simulate-fedadam.yaml").toString(), "--rounds", "1", "--regimes", "federated", "--out",
                dir.toString(), "--no-progress");
        assertEquals(0, sim.exit(), sim.err());
        Path csv = DatasetRegistry.fromEnvironment().resolve(BuiltInDatasets.TCGA_BRCA).file("brca.csv");
        Path out = dir.resolve("scored.csv");
        var r = FedmedCommandTest.run("predict", "--model", dir.resolve("federated_model.safetensors").toString(),
                "--csv", csv.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(1097, lines.size(), "the header and brca.csv's 1,096 patients");
        assertTrue(lines.getFirst().endsWith(",E,T,prediction"), lines.getFirst());
        java.util.Set<String> risks = new java.util.HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            risks.add(line.substring(line.lastIndexOf(',') + 1));
        }
        assertTrue(risks.size() > 100, "one round moved beta off zero, so patients get different risks: "
                + risks.size());
    }
}
