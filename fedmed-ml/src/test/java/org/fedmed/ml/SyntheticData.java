package org.fedmed.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;

/** Seeded synthetic datasets for tests. */
final class SyntheticData {

    private SyntheticData() {
    }

    /** Gaussian features with uniformly random labels: for gradient checks, where only the shapes matter. */
    static LabeledData random(int rows, int cols, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * cols];
        float[] y = new float[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) gaussian(rng);
        }
        for (int r = 0; r < rows; r++) {
            y[r] = classes == 0 ? (float) gaussian(rng) : rng.nextInt(classes);
        }
        return new LabeledData(x, y, rows, cols, classes, names(cols));
    }

    /** One Gaussian blob (sd 1) per class, centres 4 apart along successive axes: separable with high accuracy. */
    static LabeledData blobs(int rows, int cols, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * cols];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            int c = rng.nextInt(classes);
            y[r] = c;
            for (int j = 0; j < cols; j++) {
                double centre = j == c % cols ? 4 * (1 + c / cols) : 0;
                x[r * cols + j] = (float) (centre + gaussian(rng));
            }
        }
        return new LabeledData(x, y, rows, cols, classes, names(cols));
    }

    /** Two features in [-1, 1]^2; label 1 inside the circle of radius 0.6: not linearly separable. */
    static LabeledData circle(int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        int r = 0;
        while (r < rows) {
            double a = rng.nextDouble(-1, 1);
            double b = rng.nextDouble(-1, 1);
            double radius = Math.sqrt(a * a + b * b);
            if (Math.abs(radius - 0.6) < 0.05) {
                continue;
            }
            x[2 * r] = (float) a;
            x[2 * r + 1] = (float) b;
            y[r] = radius < 0.6 ? 1 : 0;
            r++;
        }
        return new LabeledData(x, y, rows, 2, 2, names(2));
    }

    /** y = 2 x0 - x1 + 0.5 + noise (sd 0.05), features Gaussian. */
    static LabeledData linearRegression(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * cols];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                x[r * cols + j] = (float) gaussian(rng);
            }
            y[r] = (float) (2 * x[r * cols] - x[r * cols + 1] + 0.5 + 0.05 * gaussian(rng));
        }
        return new LabeledData(x, y, rows, cols, 0, names(cols));
    }

    /** Share of rows whose most probable class is the label, from {@link Model#predict} output. */
    static double accuracy(Model model, float[] params, LabeledData data) {
        float[] p = model.predict(params, data);
        int width = model.predictionWidth();
        int correct = 0;
        for (int r = 0; r < data.rows(); r++) {
            int predicted;
            if (width == 1) {
                predicted = p[r] >= 0.5f ? 1 : 0;
            } else {
                predicted = 0;
                for (int c = 1; c < width; c++) {
                    if (p[r * width + c] > p[r * width + predicted]) {
                        predicted = c;
                    }
                }
            }
            if (predicted == (int) data.labels()[r]) {
                correct++;
            }
        }
        return (double) correct / data.rows();
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static List<String> names(int cols) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < cols; j++) {
            names.add("x" + j);
        }
        return names;
    }
}
