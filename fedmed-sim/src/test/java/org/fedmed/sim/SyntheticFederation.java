package org.fedmed.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedmed.core.LabeledData;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;

/** Small seeded federations for tests: sites share one true logistic model but differ in feature shift and size. */
final class SyntheticFederation {
    private SyntheticFederation() {
    }

    static FederatedDataset build(long seed, int... siteSizes) {
        Random rnd = new Random(seed);
        int cols = 4;
        float[] truth = {1.5f, -2f, 0.5f, 1f};
        List<String> names = List.of("x0", "x1", "x2", "x3");
        List<SiteData> sites = new ArrayList<>();
        for (int s = 0; s < siteSizes.length; s++) {
            float shift = (s - siteSizes.length / 2f) * 0.5f;
            sites.add(new SiteData("site" + s, sample(rnd, siteSizes[s], cols, truth, shift, names),
                    sample(rnd, Math.max(20, siteSizes[s] / 3), cols, truth, shift, names), 1.0 - 0.1 * s));
        }
        return new FederatedDataset("synthetic", sites, Map.of(), names, 2);
    }

    static LabeledData sample(Random rnd, int rows, int cols, float[] truth, float shift, List<String> names) {
        float[] x = new float[rows * cols];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            double z = 0;
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = (float) (rnd.nextGaussian() + shift);
                z += truth[j] * x[i * cols + j];
            }
            y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return new LabeledData(x, y, rows, cols, 2, names);
    }
}
