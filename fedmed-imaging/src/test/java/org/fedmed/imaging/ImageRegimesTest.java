package org.fedmed.imaging;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.LocalTerms;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.SimulationConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image plan compares the federated model with local-only models and a centralized model on pooled images: each
 * regime is present in plan order, seeded, trained on the right images, and reported keyed by regime.
 */
class ImageRegimesTest {

    static final String CNN = "{type: cnn, conv: [{channels: 2, kernel: 3, pool: max}], dense: [],"
            + " optimizer: {type: sgd, momentum: 0.9}}";

    @TempDir
    static Path dir;

    /** 2 classes x 16 PNGs, a quarter held out; site-1 gets only class 0, site-2 only class 1. */
    static ImageDatasetDefinition oneClassPerSite;

    @BeforeAll
    static void images() throws IOException {
        TinyImages.folder(dir.resolve("pics"), 16, 7);
        Path def = dir.resolve("tiny.yaml");
        Files.writeString(def, """
                name: tiny
                format: folder
                data_folder: pics
                train: {folder: .}
                test_fraction: 0.25
                size: [8, 8]
                channels: 1
                partition: {kind: classes, sites: 2, classes_per_site: 1}
                """);
        oneClassPerSite = ImageDefinitionReader.read(def, List.of());
    }

    private static SimulationConfig plan(String extra) {
        return ConfigLoader.parse("dataset: tiny.yaml\nmodel: " + CNN + "\nrounds: 2\nlocal_epochs: 2\nbatch_size: 8\n"
                + "lr: 0.05\nseed: 5\nmin_rows: 2\n" + extra, "plan", Map.of());
    }

    @Test
    void allThreeRegimesRunByDefaultReproduceFromTheSeedAndKeepTheFederatedRunBitForBit() {
        ImageComparison one = ImageComparison.run(plan(""), oneClassPerSite, null);
        ImageComparison two = ImageComparison.run(plan(""), oneClassPerSite, null);
        assertEquals(List.of("local", "federated", "centralized"), List.copyOf(one.regimes().keySet()));
        for (String regime : one.regimes().keySet()) {
            assertEquals(one.regimes().get(regime).models(), two.regimes().get(regime).models(), regime);
            assertEquals(one.regimes().get(regime).sites(), two.regimes().get(regime).sites(), regime);
            assertEquals(one.regimes().get(regime).pooled(), two.regimes().get(regime).pooled(), regime);
            assertEquals(Map.of("site-1", 1.0, "site-2", 1.0).keySet(), one.regimes().get(regime).sites().keySet());
            assertTrue(one.regimes().get(regime).pooled().containsKey(ClassificationMetrics.ACCURACY), regime);
        }
        ImageSimulation.Result alone = ImageSimulation.run(plan(""), oneClassPerSite, null);
        assertEquals(alone.run().finalModel(), one.federated().run().finalModel());
        assertEquals(alone.pooledTest().get(ClassificationMetrics.ACCURACY),
                one.regimes().get("federated").pooled().get(ClassificationMetrics.ACCURACY));
        assertEquals(alone.run().finalModel(), one.regimes().get("federated").models().get("site-1"));
        assertNotEquals(one.regimes().get("local").models().get("site-1"),
                one.regimes().get("local").models().get("site-2"));
    }

    @Test
    void aLocalSiteModelLearnsOnlyItsOwnSitesClass() {
        ImageComparison c = ImageComparison.run(plan("simulation: {regimes: [local]}\n"), oneClassPerSite,
                null);
        assertEquals(List.of("local"), List.copyOf(c.regimes().keySet()));
        assertNull(c.federated());
        ImageModel model = c.model();
        List<ImageDatasetDefinition.Loaded> shares = ImageSimulation.siteData(oneClassPerSite,
                oneClassPerSite.partition().orElseThrow(), 5);
        ImageData allTest = ImageData.concat(shares.stream().map(ImageDatasetDefinition.Loaded::test).toList());
        try (ImageNetwork net = model.open()) {
            for (int s = 0; s < 2; s++) {
                int[] counts = shares.get(s).train().classCounts();
                assertEquals(0, counts[1 - s], "site-" + (s + 1) + " trains on class " + s + " only");
                net.load(c.regimes().get("local").models().get("site-" + (s + 1)));
                float[] probs = net.probabilities(allTest);
                for (int i = 0; i < allTest.count(); i++) {
                    assertTrue(probs[i * 2 + s] > 0.5f, "site-" + (s + 1) + "'s model on test image " + i
                            + " gives its own class " + probs[i * 2 + s]);
                }
            }
        }
        // each site is tested on its own class only, which its model predicts; pooled, half the images are the other
        // site's class
        assertEquals(1.0, c.regimes().get("local").sites().get("site-1").get(ClassificationMetrics.ACCURACY));
        assertEquals(1.0, c.regimes().get("local").sites().get("site-2").get(ClassificationMetrics.ACCURACY));
        assertEquals(1.0, c.regimes().get("local").pooled().get(ClassificationMetrics.ACCURACY));
    }

    @Test
    void theCentralizedModelIsTrainingOnThePooledTrainingImagesWithTheSameBudget() throws IOException {
        SimulationConfig cfg = plan("simulation: {regimes: [centralized]}\n");
        ImageComparison c = ImageComparison.run(cfg, oneClassPerSite, null);
        List<ImageDatasetDefinition.Loaded> shares = ImageSimulation.siteData(oneClassPerSite,
                oneClassPerSite.partition().orElseThrow(), 5);
        ImageData pooled = ImageData.concat(List.of(shares.get(0).train(), shares.get(1).train()));
        assertEquals(shares.get(0).train().count() + shares.get(1).train().count(), pooled.count());
        ImageModel model = c.model();
        ModelParameters init = model.init(Seeds.of(5, Seeds.Stream.INIT));
        float[] params = init.copyFlat();
        FitConfig fit = PlanSettings.fitConfig(cfg);
        BatchCursor cursor = new BatchCursor();
        try (ImageNetwork net = model.open()) {
            for (int round = 1; round <= 2; round++) {
                FitConfig f = fit.withSeed(Seeds.ofRound(5, Seeds.Stream.CENTRALIZED_FIT, round));
                ImageTrainer.train(net, params, pooled, f, cursor, LocalTerms.bind(f, params), ImageGradient.PLAIN);
            }
        }
        ModelParameters expected = ModelParameters.ofFlat(init.layout(), params);
        assertEquals(expected, c.regimes().get("centralized").models().get("site-1"));
        assertEquals(expected, c.regimes().get("centralized").models().get("site-2"));
        assertNotEquals(init, expected);

        Path out = dir.resolve("centralized-report");
        List<Path> files = ImageSimulationReport.write(c, cfg, out);
        assertEquals(List.of(out.resolve("results.json"), out.resolve("regimes.csv")), files);
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(c.regimes().get("centralized").pooled().get(ClassificationMetrics.ACCURACY),
                json.at("/regimes/centralized/pooled/accuracy").asDouble());
        assertFalse(json.has("final_model_sha256"), "no federated model without the federated regime");
    }

    @Test
    void theReportKeysResultsByRegimeAndKeepsTheFederatedFiles() throws IOException {
        SimulationConfig cfg = plan("simulation: {regimes: [federated, local]}\n");
        ImageComparison c = ImageComparison.run(cfg, oneClassPerSite, null);
        assertEquals(List.of("federated", "local"), List.copyOf(c.regimes().keySet()));
        Path out = dir.resolve("report");
        ImageSimulationReport.write(c, cfg, out);
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(ImageSimulationReport.sha256(c.federated().run().finalModel().flat()),
                json.get("final_model_sha256").asText());
        assertEquals(c.regimes().get("local").sites().get("site-2").get(ClassificationMetrics.LOG_LOSS),
                json.at("/regimes/local/sites/site-2/log_loss").asDouble());
        assertEquals(c.testImages().get(0).intValue(), json.at("/regimes/federated/test_images/site-1").asInt());
        assertEquals(3, Files.readAllLines(out.resolve("rounds.csv")).size());
        List<String> csv = Files.readAllLines(out.resolve("regimes.csv"));
        assertEquals(1 + 2 * 3, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("regime,site,test_images,"), csv.get(0));
        assertTrue(csv.get(3).startsWith("federated,pooled," + (c.testImages().get(0) + c.testImages().get(1)) + ","),
                csv.get(3));
        String table = ImageSimulationReport.table(c);
        assertTrue(table.contains("POOLED"), table);
        assertEquals(2 + 2 * 2 + 1 + 2, table.lines().count(), table);
    }
}
