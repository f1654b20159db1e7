package org.fedmed.imaging;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.ml.ModelSpec;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan with an image model and an image dataset runs a federation, reproducibly, with FedProx and site_dp. */
class ImageSimulationTest {

    static final String CNN = "{type: cnn, conv: [{channels: 4, kernel: 3, pool: max}], dense: [8],"
            + " optimizer: {type: sgd, momentum: 0.9}}";

    @TempDir
    Path dir;

    /** 2 classes x 24 PNGs, a quarter held out, dealt IID to 2 sites. */
    private ImageDatasetDefinition dataset() throws IOException {
        TinyImages.folder(dir.resolve("pics"), 24, 5);
        Path def = dir.resolve("tiny.yaml");
        Files.writeString(def, """
                name: tiny
                format: folder
                data_folder: pics
                train: {folder: .}
                test_fraction: 0.25
                size: [8, 8]
                channels: 1
                normalize: {mean: [0.5], std: [0.5]}
                partition: {kind: iid, sites: 2}
                """);
        return ImageDefinitionReader.read(def, List.of());
    }

    private static SimulationConfig plan(String extra) {
        return ConfigLoader.parse("dataset: tiny.yaml\nmodel: " + CNN + "\nrounds: 3\nlocal_epochs: 3\nbatch_size: 8\n"
                + "lr: 0.05\nseed: 11\nmin_rows: 2\n" + extra, "plan", Map.of());
    }

    @Test
    void aPlansCnnSpecIsReadThroughTheRegisteredFamily() {
        ModelSpec spec = ModelSpec.parse(CNN);
        assertInstanceOf(CnnSpec.class, spec);
        assertEquals(ImageModelSpec.parse(CNN), spec);
        assertEquals(spec, ModelSpec.parse(spec.toJson()));
        assertInstanceOf(ResNetSpec.class, ModelSpec.parse("{type: resnet, width: 4, blocks: [1]}"));
    }

    @Test
    void aCnnFederationFromAPlanLearnsAndReproducesBitForBit() throws IOException {
        ImageDatasetDefinition data = dataset();
        ImageSimulation.Result one = ImageSimulation.run(plan(""), data, null);
        ImageSimulation.Result two = ImageSimulation.run(plan(""), data, null);
        assertEquals(3, one.run().rounds().size());
        assertEquals(List.of(18, 18), one.trainImages());
        assertEquals(one.run().finalModel(), two.run().finalModel());
        assertNotEquals(one.run().finalModel(), ImageSimulation.run(plan("").withLocalTraining(0.05,
                org.fedmed.core.LocalWork.epochs(2), 8), data, null).run().finalModel());
        // each round is evaluated on the sites' test images (6 each, so min_rows is 2 in this plan)
        assertTrue(one.run().rounds().getLast().evalMetrics().containsKey(ClassificationMetrics.ACCURACY));
        double accuracy = one.pooledTest().get(ClassificationMetrics.ACCURACY);
        assertTrue(accuracy >= 0.9, "pooled test accuracy " + accuracy + ", rounds " + one.run().rounds());
        Path out = dir.resolve("report");
        ImageSimulationReport.write(one, plan(""), out);
        String results = Files.readString(out.resolve("results.json"));
        assertTrue(results.contains(ImageSimulationReport.sha256(one.run().finalModel().flat())), results);
        assertEquals(4, Files.readAllLines(out.resolve("rounds.csv")).size());
        assertEquals(one.model().parameterCount() * 4L, Files.size(out.resolve("model.bin")));
    }

    @Test
    void fedProxFromThePlanReachesTheImageSites() throws IOException {
        ImageDatasetDefinition data = dataset();
        var plain = ImageSimulation.run(plan(""), data, null).run().finalModel();
        var prox = ImageSimulation.run(plan("strategy: fedprox\nprox_mu: 1.0\n"), data, null).run().finalModel();
        assertNotEquals(plain, prox);
    }

    @Test
    void scaffoldAndPersonalizationAreRefusedBeforeAnyTrainingNamingTheKey() throws IOException {
        ImageDatasetDefinition data = dataset();
        var scaffold = assertThrows(IllegalArgumentException.class,
                () -> ImageSimulation.run(plan("strategy: scaffold\n"), data, null));
        assertEquals("config key 'strategy': 'scaffold' is not available for image models: an image site keeps no"
                + " control variate; use a FedAvg-family strategy or fedprox", scaffold.getMessage());
        var ditto = assertThrows(IllegalArgumentException.class,
                () -> ImageSimulation.run(plan("personalization: {kind: ditto, lambda: 0.1}\n"), data, null));
        assertTrue(ditto.getMessage().startsWith("config key 'personalization' is not available for image models"),
                ditto.getMessage());
    }

    @Test
    void siteDpChargesEachSiteTheAccountantsEpsilonForItsSteps() throws IOException {
        ImageDatasetDefinition data = dataset();
        ImageSimulation.Result run = ImageSimulation.run(plan("site_dp: {clip_norm: 1.0, noise_multiplier: 1.1,"
                + " delta: 1.0e-5}\n"), data, null);
        // 18 images per site, batch 8: q = 8/18, ceil(18/8) = 3 steps an epoch, 3 epochs a round, 3 rounds
        double expected = new RdpAccountant().step(8.0 / 18, 1.1, 27).epsilon(1e-5).epsilon();
        assertEquals(Map.of("site-1", expected, "site-2", expected), run.siteEpsilons());
        assertEquals(expected, run.run().rounds().getLast().fitMetrics().get("dp_epsilon"), 1e-12);
        assertTrue(expected > 0 && Double.isFinite(expected));
    }
}
