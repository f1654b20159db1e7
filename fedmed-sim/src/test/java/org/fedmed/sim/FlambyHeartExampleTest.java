package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalWork;
import org.fedmed.data.TestData;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.junit.jupiter.api.Test;

/**
 * The example under examples/flamby-heart/ prepares the data as FLamby's Fed-Heart-Disease does: the row counts and
 * per-center sizes FLamby documents (flamby/datasets/fed_heart_disease/README.md), its 13 inputs, and per-center
 * standardization with the unbiased standard deviation of the training rows.
 */
class FlambyHeartExampleTest {

    private static final Path CONFIG = Path.of("..", "examples", "flamby-heart", "simulate.yaml");

    private static FederatedDataset load() {
        SimulationConfig cfg = ConfigLoader.load(CONFIG);
        return SimulationData.load(cfg, TestData.requireDataset(BuiltInDatasets.HEART_DISEASE));
    }

    @Test
    void keeps740RowsWith486ForTrainingAnd254ForTestingInFlambysPerCenterSizes() {
        FederatedDataset fd = load();
        Map<String, int[]> expected = Map.of("cleveland", new int[] {199, 104}, "hungary", new int[] {172, 89},
                "switzerland", new int[] {30, 16}, "va", new int[] {85, 45});
        assertEquals(List.of("cleveland", "hungary", "switzerland", "va"), fd.siteIds());
        int train = 0;
        int test = 0;
        for (String site : fd.siteIds()) {
            int[] sizes = {fd.site(site).train().rows(), fd.site(site).test().rows()};
            assertArrayEquals(expected.get(site), sizes, site);
            train += sizes[0];
            test += sizes[1];
        }
        assertEquals(486, train);
        assertEquals(254, test);
        assertEquals(740, train + test);
    }

    @Test
    void hasFlambysThirteenInputsWithTheFirstLevelOfEachCategoryDropped() {
        assertEquals(List.of("age", "sex", "cp=2", "cp=3", "cp=4", "trestbps", "chol", "fbs", "restecg=1", "restecg=2",
                "thalach", "exang", "oldpeak"), load().featureNames());
    }

    @Test
    void switzerlandTrainsOnItsThirtyPositiveRowsAndItsClassBalanceIsFlambys() {
        FederatedDataset fd = load();
        assertArrayEquals(new int[] {0, 30}, fd.site("switzerland").train().classCounts());
        assertArrayEquals(new int[] {1, 15}, fd.site("switzerland").test().classCounts());
        assertArrayEquals(new int[] {108, 91}, fd.site("cleveland").train().classCounts());
        assertArrayEquals(new int[] {56, 48}, fd.site("cleveland").test().classCounts());
    }

    @Test
    void eachCentersNumericColumnsAreStandardizedWithTheUnbiasedDeviationOfItsTrainingRows() {
        LabeledData train = load().site("hungary").train();
        int age = train.featureNames().indexOf("age");
        double sum = 0;
        double squares = 0;
        for (int r = 0; r < train.rows(); r++) {
            double v = train.features()[r * train.cols() + age];
            sum += v;
            squares += v * v;
        }
        assertEquals(0.0, sum / train.rows(), 1e-5, "centred on the center's own training mean");
        assertEquals(1.0, squares / (train.rows() - 1), 1e-5, "unit variance with divisor n - 1");
    }

    @Test
    void followsFlambysTrainingSettings() {
        SimulationConfig cfg = ConfigLoader.load(CONFIG);
        assertEquals(new LocalWork.Steps(100), cfg.localWork());
        assertEquals(4, cfg.batchSize());
        assertEquals(0.001, cfg.lr());
        assertEquals(15, cfg.rounds());
        assertEquals(1.0, cfg.fraction());
    }
}
