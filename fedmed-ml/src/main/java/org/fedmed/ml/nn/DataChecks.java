package org.fedmed.ml.nn;

import org.fedmed.core.LabeledData;

/** Checks that a dataset's values can be trained on, naming the first bad row. */
final class DataChecks {

    private DataChecks() {
    }

    static void requireFiniteFeatures(LabeledData data) {
        float[] f = data.features();
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) {
                int col = i % data.cols();
                throw new IllegalArgumentException("feature '" + data.featureNames().get(col) + "' is " + f[i]
                        + " in row " + i / data.cols() + "; impute or drop missing values before training");
            }
        }
    }

    static void requireValidLabels(LabeledData data) {
        float[] y = data.labels();
        int classes = data.classes();
        for (int r = 0; r < y.length; r++) {
            float v = y[r];
            boolean ok = classes == 0 ? Float.isFinite(v) : v >= 0 && v < classes && v == (int) v;
            if (!ok) {
                throw new IllegalArgumentException("label " + v + " in row " + r + " is not "
                        + (classes == 0 ? "a finite regression target" : "a class index in [0, " + classes + ")"));
            }
        }
    }
}
