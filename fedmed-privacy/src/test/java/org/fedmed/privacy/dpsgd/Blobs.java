package org.fedmed.privacy.dpsgd;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;

/** Seeded two-class data for the DP-SGD tests: Gaussian blobs (sd 1) whose centres are 3 apart on every axis. */
final class Blobs {

    private Blobs() {
    }

    static LabeledData of(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * cols];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            int c = rng.nextInt(2);
            y[r] = c;
            for (int j = 0; j < cols; j++) {
                x[r * cols + j] = (float) ((c == 1 ? 1.5 : -1.5) + rng.nextGaussian());
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < cols; j++) {
            names.add("x" + j);
        }
        return new LabeledData(x, y, rows, cols, 2, names);
    }

    static double accuracy(float[] probabilities, LabeledData data) {
        int correct = 0;
        for (int r = 0; r < data.rows(); r++) {
            if ((probabilities[r] >= 0.5f ? 1 : 0) == (int) data.labels()[r]) {
                correct++;
            }
        }
        return (double) correct / data.rows();
    }
}
