package org.fedmed.imaging;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalWork;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.PrivacyBudgetExhaustedException;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.fedmed.privacy.dpsgd.BatchSampling;
import org.fedmed.privacy.dpsgd.DpSgdConfig;
import org.fedmed.privacy.dpsgd.DpSgdSiteClient;
import org.junit.jupiter.api.Test;

/**
 * An image site under DP-SGD is charged exactly what the plain-Java DP-SGD site is charged for the same q, z and
 * steps, and refuses a fit over its budget as that site does.
 */
class ImageDpSgdAccountingTest {

    static final ImageShape SHAPE = new ImageShape(1, 6, 6);
    static final ImageModel MODEL = ImageModel.build(ImageModelSpec.parse(
            "{type: cnn, conv: [{channels: 2, kernel: 3}], dense: []}"), SHAPE, 10);
    static final int ROWS = 37;
    static final double Z = 1.3;
    static final double DELTA = 1e-5;
    static final Model PLAIN_MODEL = Models.build(ModelSpec.logistic(), 4, 2);

    /** A plain-Java DP-SGD site with {@code ROWS} random rows, shuffled batches like the image trainer's. */
    static DpSgdSiteClient plainSite(double maxEpsilon) {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[ROWS * 4];
        float[] y = new float[ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < ROWS; i++) {
            y[i] = i % 2;
        }
        LabeledData data = new LabeledData(x, y, ROWS, 4, 2, List.of("a", "b", "c", "d"));
        return new DpSgdSiteClient("site-1", PLAIN_MODEL, data, data, 1.0,
                new DpSgdConfig(1.0, Z, BatchSampling.SHUFFLE, DELTA, maxEpsilon), NoiseSource.seeded(9));
    }

    static ImageSiteClient imageSite(double maxEpsilon) {
        ImageData images = DjlMappingTest.images(SHAPE, ROWS, 4);
        return new ImageSiteClient("site-1", MODEL, images, images, new ImageDpSgd(1.0, Z, DELTA, maxEpsilon, 9));
    }

    static List<FitConfig> fits() {
        return List.of(new FitConfig(LocalWork.epochs(2), 8, 0.05, false, 1),
                new FitConfig(LocalWork.steps(5), 16, 0.05, false, 2),
                new FitConfig(LocalWork.epochs(1), 64, 0.05, false, 3));
    }

    @Test
    void anImageSiteSpendsWhatThePlainJavaDpSgdSiteSpendsForTheSameQSigmaAndSteps() {
        DpSgdSiteClient plain = plainSite(Double.POSITIVE_INFINITY);
        List<Double> image = new ArrayList<>();
        List<Double> java = new ArrayList<>();
        try (ImageSiteClient site = imageSite(Double.POSITIVE_INFINITY)) {
            int round = 1;
            for (FitConfig fit : fits()) {
                FitResult a = site.fit(new FitTask(round, "site-1", MODEL.init(5), fit));
                FitResult b = plain.fit(new FitTask(round, "site-1", PLAIN_MODEL.init(5), fit));
                assertEquals(Map.of("dp_epsilon", b.trainMetrics().get("dp_epsilon")), a.trainMetrics());
                image.add(a.trainMetrics().get("dp_epsilon"));
                java.add(b.trainMetrics().get("dp_epsilon"));
                round++;
            }
            assertEquals(site.privacySpent().orElseThrow(), plain.privacySpent());
        }
        // and independently: 2 epochs of ceil(37/8) = 5 steps at q = 8/37, 5 steps at 16/37, 1 step at 37/37
        RdpAccountant expected = new RdpAccountant().step(8.0 / 37, Z, 10).step(16.0 / 37, Z, 5).step(1.0, Z, 1);
        assertEquals(expected.epsilon(DELTA).epsilon(), image.getLast(), 1e-12);
        assertTrue(image.get(0) < image.get(1) && image.get(1) < image.get(2), image.toString());
        assertEquals(java, image);
    }

    @Test
    void aFitOverTheBudgetIsRefusedBeforeTrainingAsThePlainJavaSiteRefusesIt() {
        double afterOne = new RdpAccountant().step(8.0 / 37, Z, 10).epsilon(DELTA).epsilon();
        double afterTwo = new RdpAccountant().step(8.0 / 37, Z, 20).epsilon(DELTA).epsilon();
        double max = (afterOne + afterTwo) / 2;
        FitConfig fit = fits().getFirst();
        DpSgdSiteClient plain = plainSite(max);
        try (ImageSiteClient site = imageSite(max)) {
            site.fit(new FitTask(1, "site-1", MODEL.init(5), fit));
            plain.fit(new FitTask(1, "site-1", PLAIN_MODEL.init(5), fit));
            var image = assertThrows(PrivacyBudgetExhaustedException.class,
                    () -> site.fit(new FitTask(2, "site-1", MODEL.init(5), fit)));
            var java = assertThrows(PrivacyBudgetExhaustedException.class,
                    () -> plain.fit(new FitTask(2, "site-1", PLAIN_MODEL.init(5), fit)));
            assertEquals(java.getMessage(), image.getMessage());
            assertTrue(image.getMessage().contains("over the site's max_epsilon"), image.getMessage());
            assertEquals(afterOne, site.privacySpent().orElseThrow().epsilon(), 1e-12);
        }
    }
}
