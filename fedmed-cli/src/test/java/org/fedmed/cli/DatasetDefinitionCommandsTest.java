package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset defined here, with its own columns and label, used through the CLI with no rebuild. */
class DatasetDefinitionCommandsTest {

    private static final String DEF = """
            name: clinic-cohort
            columns:
              - {name: record_id, role: drop}
              - {name: sbp, type: numeric, missing: ["?"]}
              - {name: hba1c, type: numeric}
              - {name: smoker, type: binary, levels: [no, yes]}
              - {name: clinic_type, type: categorical, levels: [rural, urban]}
            label: {column: stroke, kind: binary, positive_above: 0}
            sites:
              - {id: clinic-a, file: data/a.csv}
              - {id: clinic-b, file: data/b.csv}
              - {id: clinic-c, file: data/c.csv}
            """;

    /** Seeded rows in which stroke depends on sbp and hba1c, so a model has something to learn. */
    private static Path site(Path dir, String name, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>(List.of("record_id,sbp,hba1c,smoker,clinic_type,stroke"));
        for (int i = 0; i < n; i++) {
            double sbp = 130 + 15 * rng.nextGaussian();
            double hba1c = 6 + rng.nextGaussian();
            int stroke = (sbp - 130) / 15 + (hba1c - 6) + 0.5 * rng.nextGaussian() > 0 ? 1 : 0;
            lines.add("r" + i + "," + (i % 11 == 0 ? "?" : String.format("%.1f", sbp)) + "," + String.format("%.2f", hba1c)
                    + "," + (rng.nextBoolean() ? "yes" : "no") + "," + (rng.nextBoolean() ? "rural" : "urban") + "," + stroke);
        }
        return TestData.write(dir.resolve("data"), name, lines.toArray(new String[0]));
    }

    private static Path cohort(Path dir) {
        site(dir, "a.csv", 80, 1);
        site(dir, "b.csv", 60, 2);
        site(dir, "c.csv", 50, 3);
        return TestData.write(dir, "cohort.yaml", DEF.strip().split("\n"));
    }

    @Test
    void aDefinitionWrittenByTheUserTrainsInSimulateAndItsFilesAreChecksummed(@TempDir Path dir) throws Exception {
        Path def = cohort(dir);
        Path out = dir.resolve("out");
        FedmedCommandTest.Run r = FedmedCommandTest.run("simulate", "--dataset", def.toString(), "--rounds", "3",
                "--out", out.toString(), "--no-progress");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("fedmed simulate: clinic-cohort, 3 sites [clinic-a, clinic-b, clinic-c]"), r.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertTrue(json.at("/regimes/federated/sites/clinic-b/roc_auc").isNumber(), json.toString());
        assertEquals(Sha256.of(dir.resolve("data/a.csv")), json.at("/provenance/dataset_checksums/data~1a.csv").asText());
        assertEquals(4, json.at("/provenance/dataset_checksums").size(), "three files and the definition");
        assertEquals(Sha256.of(def), json.at("/provenance/dataset_checksums").get(def.toString()).asText());
    }

    @Test
    void validatePrintsAProfilePerSiteAndDescribePrintsTheDefinition(@TempDir Path dir) {
        Path def = cohort(dir);
        FedmedCommandTest.Run v = FedmedCommandTest.run("datasets", "validate", def.toString());
        assertEquals(0, v.exit(), v.err());
        assertTrue(v.out().contains("site clinic-a: 80 rows from a.csv\n"), v.out());
        assertTrue(v.out().contains("ok: every file fits the definition (190 rows)"), v.out());
        assertTrue(v.out().lines().anyMatch(l -> l.matches("  sbp +numeric +8 .*")), "80 rows, every 11th '?': " + v.out());
        FedmedCommandTest.Run d = FedmedCommandTest.run("datasets", "describe", def.toString());
        assertEquals(0, d.exit(), d.err());
        assertTrue(d.out().contains("label: binary: positive when stroke > 0\n"), d.out());
        assertTrue(d.out().contains("model inputs (before missing-value indicators): 5\n"), d.out());
        FedmedCommandTest.Run builtIn = FedmedCommandTest.run("datasets", "describe", "heart-disease");
        assertEquals(0, builtIn.exit(), builtIn.err());
        assertTrue(builtIn.out().contains("sites: 4, one file each: cleveland (cleveland.csv)"), builtIn.out());
    }

    @Test
    void aBadDefinitionOrAFileThatDoesNotFitExitsWith2NamingWhere(@TempDir Path dir) {
        Path def = cohort(dir);
        Path bad = TestData.write(dir, "bad.yaml", DEF.replace("type: binary", "type: boolean").strip().split("\n"));
        FedmedCommandTest.Run r = FedmedCommandTest.run("datasets", "validate", bad.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("error: " + bad + ": key 'columns[3].type' (line 6, column 26): unknown type"
                + " 'boolean'"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        TestData.write(dir.resolve("data"), "c.csv", "record_id,sbp,hba1c,smoker,clinic_type,stroke", "r1,120,abc,no,rural,0");
        FedmedCommandTest.Run cell = FedmedCommandTest.run("datasets", "validate", def.toString());
        assertEquals(2, cell.exit());
        assertEquals("error: c.csv line 2, column 'hba1c': cannot parse 'abc' as a number", cell.err().strip());
        FedmedCommandTest.Run sim = FedmedCommandTest.run("simulate", "--dataset", bad.toString(), "--no-progress");
        assertEquals(2, sim.exit());
        assertTrue(sim.err().contains("key 'columns[3].type' (line 6, column 26)"), sim.err());
    }
}
