package org.fedmed.imaging;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.data.partition.IidPartitioner;
import org.fedmed.ml.OptimizerSpec;
import org.junit.jupiter.api.Test;

/** FedAvg over DJL image sites through the real round engine and in-process site pool. */
class ImageFederationTest {

    static final long RUN_SEED = 2026;
    static final ImageModel MODEL = ImageModel.build(CnnSpec.simpleCnn().withOptimizer(new OptimizerSpec.Sgd(0.9)),
            FashionMnist.SHAPE, FashionMnist.CLASSES);

    /** Sites with IID shares of the first {@code trainPerSite * sites} training and test images. */
    static List<ImageSiteClient> sites(int count, int trainPerSite, int testPerSite) {
        var dir = FashionMnist.directory();
        long seed = Seeds.of(RUN_SEED, Seeds.Stream.PARTITION);
        List<ImageData> train = ImageSites.split(FashionMnist.train(dir, count * trainPerSite), new IidPartitioner(),
                count, seed);
        List<ImageData> test = ImageSites.split(FashionMnist.test(dir, count * testPerSite), new IidPartitioner(),
                count, seed);
        List<ImageSiteClient> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new ImageSiteClient("site-" + (i + 1), MODEL, train.get(i), test.get(i)));
        }
        return out;
    }

    static RunResult fedAvg(List<ImageSiteClient> sites, int rounds, FitConfig fit) {
        FederatedAveraging strategy = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT,
                SiteSelection.all(sites.size()), fit, 1.0);
        EngineConfig config = EngineConfig.of(StoppingRule.rounds(rounds), RUN_SEED)
                .withRoundDeadline(Duration.ofMinutes(2));
        try (InProcessSitePool pool = new InProcessSitePool(sites, 2)) {
            return new RoundEngine(strategy, pool, config, null).run(MODEL.init(Seeds.of(RUN_SEED, Seeds.Stream.INIT)));
        } finally {
            sites.forEach(ImageSiteClient::close);
        }
    }

    @Test
    void threeSiteFedAvgOverTwoRoundsBeatsChanceOnFashionMnist() {
        RunResult run = fedAvg(sites(3, 400, 200), 2, new FitConfig(2, 16, 0.05, false, 0));
        assertEquals(2, run.rounds().size());
        assertTrue(run.rounds().stream().allMatch(r -> r.completed() && r.failures().isEmpty()), run.rounds()::toString);
        Map<String, Double> eval = run.rounds().getLast().evalMetrics();
        double accuracy = eval.get(ClassificationMetrics.ACCURACY);
        double first = run.rounds().getFirst().evalMetrics().get(ClassificationMetrics.LOG_LOSS);
        double last = eval.get(ClassificationMetrics.LOG_LOSS);
        System.out.printf("imaging FedAvg 3 sites x 400 images, 2 rounds: round 1 log_loss %.4f accuracy %.4f;"
                        + " round 2 log_loss %.4f accuracy %.4f%n", first,
                run.rounds().getFirst().evalMetrics().get(ClassificationMetrics.ACCURACY), last, accuracy);
        // chance is 0.1 on Fashion-MNIST's 10 balanced classes
        assertTrue(accuracy > 0.4, "accuracy " + accuracy);
        assertTrue(last < first, "log loss " + first + " -> " + last);
    }

    @Test
    void aTwoSiteFederatedRunIsReproducibleFromItsSeed() {
        FitConfig fit = new FitConfig(1, 16, 0.05, true, 0);
        ModelParameters one = fedAvg(sites(2, 64, 32), 2, fit).finalModel();
        ModelParameters two = fedAvg(sites(2, 64, 32), 2, fit).finalModel();
        assertEquals(one, two);
        assertNotEquals(MODEL.init(Seeds.of(RUN_SEED, Seeds.Stream.INIT)), one);
    }
}
