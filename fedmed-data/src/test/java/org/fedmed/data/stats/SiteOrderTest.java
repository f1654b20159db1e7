package org.fedmed.data.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.federated.DataOptions;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;

class SiteOrderTest {

    private static final DatasetSchema SCHEMA = DatasetSchema.of(LabelSpec.threshold("y", 0),
            FeatureSpec.numeric("x"), FeatureSpec.numeric("z"));

    private static RawTable table(String name, int rows, double offset, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] v = new double[rows][2];
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            v[r][0] = rng.nextDouble() < 0.1 ? Double.NaN : offset + 1e3 * rng.nextGaussian();
            v[r][1] = 0.1 + rng.nextDouble() * 1e-3;
            y[r] = r % 2;
        }
        return new RawTable(name, SCHEMA, v, y);
    }

    @Test
    void canonicalOrderIsAscendingJavaStringOrder() {
        assertEquals(List.of("site-0", "site-1", "site-10", "site-2"),
                SiteOrder.sorted(List.of("site-2", "site-10", "site-0", "site-1")));
        assertArrayEquals(new int[] {1, 2, 0}, SiteOrder.canonical(List.of("va", "cleveland", "hungary")));
        assertThrows(IllegalArgumentException.class, () -> SiteOrder.canonical(List.of("a", "a")));
    }

    @Test
    void theSimulationMergesInCanonicalOrderWhateverOrderItsSitesAreListedIn() {
        RawTable a = table("a", 97, 1e9, 1);
        RawTable b = table("b", 41, -3e8, 2);
        RawTable c = table("c", 260, 7.5, 3);
        DataOptions opts = DataOptions.defaults("toy").withMissing(MissingPolicy.MEDIAN, true);
        FederatedDataset listed = FederatedDatasets.build("toy", List.of("c", "a", "b"), List.of(c, a, b), opts, Map.of());
        FederatedDataset sorted = FederatedDatasets.build("toy", List.of("a", "b", "c"), List.of(a, b, c), opts, Map.of());
        for (String id : List.of("a", "b", "c")) {
            assertArrayEquals(sorted.site(id).train().features(), listed.site(id).train().features(), id);
            assertArrayEquals(sorted.site(id).test().features(), listed.site(id).test().features(), id);
        }
    }
}
