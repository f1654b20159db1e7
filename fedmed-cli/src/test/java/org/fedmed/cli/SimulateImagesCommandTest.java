package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedmed simulate --config} with an image dataset definition and a cnn model trains a CNN federation. */
public class SimulateImagesCommandTest {

    /** Two classes of 8x8 grayscale PNGs, bright in the top or in the bottom half, with seeded noise. */
    static void images(Path folder, int perClass) throws IOException {
        images(folder, perClass, 1, "top", "bottom");
    }

    /**
     * {@code perClass} 8x8 grayscale PNGs per class, in folders named {@code top} (bright top half) and
     * {@code bottom} (bright bottom half), written in the order {@code classes} gives, with noise from {@code seed}.
     */
    public static void images(Path folder, int perClass, long seed, String... classes) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        for (String name : classes) {
            Path dir = Files.createDirectories(folder.resolve(name));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        boolean bright = name.equals("top") ? y < 4 : y >= 4;
                        int v = Math.clamp((bright ? 200 : 40) + rng.nextInt(-30, 31), 0, 255);
                        image.getRaster().setSample(x, y, 0, v);
                    }
                }
                ImageIO.write(image, "png", dir.resolve("i" + i + ".png").toFile());
            }
        }
    }

    /** An image folder definition of {@code pics/} with a quarter held out and the given partition. */
    private static void definition(Path dir, String partition) throws IOException {
        Files.writeString(dir.resolve("pics.yaml"), """
                name: pics
                format: folder
                data_folder: pics
                train: {folder: .}
                test_fraction: 0.25
                size: [8, 8]
                channels: 1
                partition: %s
                """.formatted(partition));
    }

    @Test
    void anImagePlanTrainsACnnFederationAndWritesItsReport(@TempDir Path dir) throws IOException {
        images(dir.resolve("pics"), 16);
        definition(dir, "{kind: classes, sites: 2, classes_per_site: 1}");
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                dataset: pics.yaml
                model: {type: cnn, conv: [{channels: 2, kernel: 3, pool: max}], dense: []}
                rounds: 2
                local_epochs: 1
                batch_size: 8
                lr: 0.05
                seed: 3
                min_rows: 2           # the sites' test sets are small
                """);
        Path out = dir.resolve("out");
        FedmedCommandTest.Run r = FedmedCommandTest.run("simulate", "--config", plan.toString(), "--out",
                out.toString(), "--no-progress");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("fedmed simulate: image dataset pics (2 classes), model cnn, strategy fedavg,"
                + " 2 rounds x 1 local epochs, seed 3; regimes local, federated, centralized"), r.out());
        assertTrue(r.out().contains("1 classes per site over 2 sites: 2 sites [site-1, site-2] with [11, 13]"
                + " training images; cnn for 1x8x8 images, 2 classes, 58 parameters"), r.out());
        assertTrue(r.out().contains("round 2: accuracy "), r.out());
        assertFalse(r.out().contains("NaN"), r.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(2, json.get("rounds_run").asInt());
        assertEquals("1x8x8", json.get("input").asText());
        assertTrue(json.at("/pooled_test/accuracy").isNumber(), json.toString());
        assertEquals(json.get("parameters").asLong() * 4, Files.size(out.resolve("model.bin")));
        for (String regime : new String[]{"local", "federated", "centralized"}) {
            assertTrue(json.at("/regimes/" + regime + "/pooled/accuracy").isNumber(), regime + ": " + json);
            assertTrue(json.at("/regimes/" + regime + "/sites/site-2/accuracy").isNumber(), regime + ": " + json);
            assertTrue(r.out().contains("POOLED         " + regime), r.out());
        }
        assertEquals(1 + 3 * 3, Files.readAllLines(out.resolve("regimes.csv")).size());
    }

    @Test
    void theRegimesFlagPicksTheImageRegimes(@TempDir Path dir) throws IOException {
        images(dir.resolve("pics"), 8);
        definition(dir, "{kind: iid, sites: 2}");
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                dataset: pics.yaml
                model: {type: cnn, conv: [{channels: 2, kernel: 3, pool: max}], dense: []}
                rounds: 1
                local_epochs: 1
                batch_size: 8
                lr: 0.05
                seed: 3
                """);
        Path out = dir.resolve("out");
        FedmedCommandTest.Run r = FedmedCommandTest.run("simulate", "--config", plan.toString(), "--out",
                out.toString(), "--no-progress", "--regimes", "local,centralized");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("; regimes local, centralized"), r.out());
        assertFalse(r.out().contains("federated round"), r.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        java.util.List<String> regimes = new java.util.ArrayList<>();
        json.get("regimes").fieldNames().forEachRemaining(regimes::add);
        assertEquals(java.util.List.of("local", "centralized"), regimes);
        assertFalse(Files.exists(out.resolve("model.bin")), "no federated model without the federated regime");
    }

    @Test
    void anImageModelOnATabularDatasetIsRefusedNamingTheKey(@TempDir Path dir) throws IOException {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, "dataset: heart-disease\nmodel: {type: cnn, conv: [{channels: 2, kernel: 3}]}\n");
        FedmedCommandTest.Run r = FedmedCommandTest.run("simulate", "--config", plan.toString(), "--no-progress");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("config key 'dataset': model type 'cnn' trains on images, so 'dataset' must be"
                + " an image dataset definition file"), r.err());
    }
}
