package org.fedmed.sim.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.csv.CsvLoader;
import org.fedmed.data.csv.FeatureRows;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.fedmed.server.export.ModelExporter;
import org.fedmed.sim.ComparisonExperiment;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.SimulationData;
import org.fedmed.sim.report.ComparisonReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model exported from a short simulation, applied to raw rows: the encoded vector must be the one worked out by
 * hand from the training data, and the prediction the model's on that vector.
 */
class SimulationExportPredictTest {

    /** w always gets an indicator column, so that a missing w at prediction time can be marked. */
    private static final DatasetSchema SCHEMA = DatasetSchema.of(LabelSpec.threshold("y", 0),
            FeatureSpec.numeric("x"), FeatureSpec.categorical("c", "a", "b", "z"),
            FeatureSpec.numeric("w").withMissingIndicator());

    /**
     * 8 rows of class 0 (x = 2, c = a, w = 1) and 8 of class 1 (x = 4, c = b, w = 3): whatever rows the stratified
     * split (test fraction 0.25) holds out, the training rows are 6 of each, so at two sites x has mean 3 over 24
     * values with squared deviations summing to 24, and w mean 2 with the same spread.
     */
    private static RawTable site(String name, int high) {
        StringBuilder sb = new StringBuilder("id,x,c,w,y\n");
        for (int i = 0; i < 16; i++) {
            boolean one = i % 2 == 1;
            sb.append(name).append(i).append(',').append(one ? high : 2).append(',').append(one ? "b" : "a").append(',')
                    .append(one ? 3 : 1).append(',').append(one ? 1 : 0).append('\n');
        }
        return CsvLoader.load(sb.toString(), name + ".csv", SCHEMA.ignoring("id"));
    }

    /** The run's config; {@code more} adds keys to its simulation section (", key: value"). */
    private static String config(String more) {
        return "rounds: 3\none_hot: drop_first\nsimulation: {regimes: [federated], sd: unbiased, test_fraction: 0.25"
                + more + "}\n";
    }

    private static Path export(Path dir, String yaml) throws Exception {
        return export(dir, yaml, 4);
    }

    /** As {@link #export(Path, String)}, with class-1 rows of site s1 at x = {@code high}. */
    private static Path export(Path dir, String yaml, int high) throws Exception {
        SimulationConfig cfg = ConfigLoader.parse(yaml, "test", Map.of());
        FederatedDataset data = FederatedDatasets.build("toy", List.of("s0", "s1"), List.of(site("s0", 4), site("s1", high)),
                SimulationData.options(cfg), Map.of());
        ComparisonReport report = new ComparisonExperiment(cfg, null).run(data);
        Path model = dir.resolve(SimulationExport.MODEL_FILE);
        SimulationExport.write(report, data, cfg, model);
        return model;
    }

    private static Path csv(Path dir, String text) throws Exception {
        Path f = dir.resolve("new.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aNewRowIsEncodedAsWorkedOutByHandAndScoredAsTheModelScoresThatVector(@TempDir Path dir) throws Exception {
        Path model = export(dir, config(""));
        JsonNode provenance = new ObjectMapper().readTree(ModelExporter.provenancePath(model).toFile());
        List<String> inputs = new ArrayList<>();
        provenance.get("inputs").forEach(n -> inputs.add(n.asText()));
        assertEquals(List.of("x", "c=b", "c=z", "w", "w_missing"), inputs);
        assertEquals("drop_first", provenance.at("/preprocessing/one_hot").asText());
        assertEquals(3.0, provenance.at("/preprocessing/shared/0/center").asDouble(), 1e-12);

        ModelPredictor predictor = ModelPredictor.load(model, Optional.empty());
        Path rows = csv(dir, "id,x,c,w\np1,5,z,\np2,2,a,3\n");
        FeatureRows raw = FeatureRows.read(rows, predictor.preprocessor().schema().features());
        double sd = Math.sqrt(24.0 / 23.0);
        float[] byHand = {
                (float) ((5 - 3) / sd), 0, 1, 0, 1,      // p1: x = 5, c = z, w missing: its mean 2, centred to 0
                (float) ((2 - 3) / sd), 0, 0, (float) ((3 - 2) / sd), 0 // p2: x = 2, c = a (dropped), w = 3
        };
        assertArrayEquals(byHand, predictor.encode(raw, "new.csv"), 1e-6f);
        float[] expected = predictor.predictEncoded(byHand, 2);
        float[] got = predictor.predict(raw, "new.csv");
        assertArrayEquals(expected, got, 1e-6f);

        Path out = dir.resolve("scored.csv");
        assertEquals(2, predictor.predictCsv(rows, out));
        List<String> lines = Files.readAllLines(out);
        assertEquals("id,x,c,w,probability,prediction", lines.get(0));
        assertTrue(lines.get(1).startsWith("p1,5,z,,"), lines.get(1));
        assertEquals(expected[0], Float.parseFloat(lines.get(1).split(",")[4]), 1e-6f);
        assertEquals(expected[0] >= 0.5f ? "1" : "0", lines.get(1).split(",")[5]);
    }

    @Test
    void anUnknownLevelIsRefusedNamingTheLineAndColumn(@TempDir Path dir) throws Exception {
        ModelPredictor predictor = ModelPredictor.load(export(dir, config("")), Optional.empty());
        Path rows = csv(dir, "x,c,w\n5,z,1\n5,q,1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> predictor.predictCsv(rows, dir.resolve("o.csv")));
        assertTrue(e.getMessage().contains("new.csv line 3, column 'c'") && e.getMessage().contains("'q'"), e.getMessage());
    }

    @Test
    void aCsvWithoutAFeatureColumnFailsNamingTheColumnAndTheHeaderLine(@TempDir Path dir) throws Exception {
        ModelPredictor predictor = ModelPredictor.load(export(dir, config("")), Optional.empty());
        Path rows = csv(dir, "x,w\n5,1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> predictor.predictCsv(rows, dir.resolve("o.csv")));
        assertTrue(e.getMessage().startsWith("new.csv line 1: missing feature column 'c'"), e.getMessage());
    }

    @Test
    void underDropAMissingValueIsRefusedNamingTheLineAndTheFeature(@TempDir Path dir) throws Exception {
        ModelPredictor predictor = ModelPredictor.load(export(dir, config(", missing: drop, missing_indicators: false")),
                Optional.empty());
        Path rows = csv(dir, "x,c,w\n5,z,1\n,a,1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> predictor.predictCsv(rows, dir.resolve("o.csv")));
        assertTrue(e.getMessage().contains("new.csv line 3: feature 'x' is missing"), e.getMessage());
    }

    @Test
    void perSiteStatisticsAreStoredForEverySiteAndAppliedForTheSiteNamed(@TempDir Path dir) throws Exception {
        Path model = export(dir, config(", stats: per_site"), 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelPredictor.load(model, Optional.empty()));
        assertTrue(e.getMessage().contains("[s0, s1]"), e.getMessage());
        ModelPredictor s1 = ModelPredictor.load(model, Optional.of("s1"));
        ModelPredictor s0 = ModelPredictor.load(model, Optional.of("s0"));
        FeatureRows raw = FeatureRows.read(csv(dir, "x,c,w\n5,b,1\n"), s1.preprocessor().schema().features());
        // s0 alone: 12 training values of x, six 2s and six 4s: mean 3, squared deviations 12, unbiased sd sqrt(12 / 11)
        assertEquals((5 - 3) / Math.sqrt(12.0 / 11.0), s0.encode(raw, "new.csv")[0], 1e-6);
        // s1 alone: six 2s and six 6s: mean 4, squared deviations 48, unbiased sd sqrt(48 / 11)
        assertEquals((5 - 4) / Math.sqrt(48.0 / 11.0), s1.encode(raw, "new.csv")[0], 1e-6);
    }
}
