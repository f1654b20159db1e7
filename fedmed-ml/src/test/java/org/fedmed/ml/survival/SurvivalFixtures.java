package org.fedmed.ml.survival;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded survival rows for tests. */
final class SurvivalFixtures {

    private SurvivalFixtures() {
    }

    /**
     * Rows from a Cox model with coefficients {@code beta} and a unit exponential baseline, Gaussian features, and
     * uniform censoring on [0, censorAt); times rounded to {@code 1 / resolution} so that ties occur (resolution 0
     * keeps them exact).
     */
    static SurvivalData cox(int rows, double[] beta, double censorAt, double resolution, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int cols = beta.length;
        float[] x = new float[rows * cols];
        double[] t = new double[rows];
        boolean[] e = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            double eta = 0;
            for (int c = 0; c < cols; c++) {
                float v = (float) gaussian(rng);
                x[r * cols + c] = v;
                eta += beta[c] * v;
            }
            double event = -Math.log(1 - rng.nextDouble()) / Math.exp(eta);
            double censor = rng.nextDouble() * censorAt;
            double time = Math.min(event, censor);
            t[r] = resolution > 0 ? Math.round(time * resolution) / resolution : time;
            e[r] = event <= censor;
        }
        return new SurvivalData(x, t, e, rows, cols, names(cols));
    }

    static List<String> names(int cols) {
        List<String> n = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            n.add("x" + c);
        }
        return n;
    }

    static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
