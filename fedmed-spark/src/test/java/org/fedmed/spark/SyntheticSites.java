package org.fedmed.spark;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.fedmed.core.LabeledData;
import org.fedmed.core.SiteClient;
import org.fedmed.ml.DenseSpec;
import org.fedmed.ml.Model;
import org.fedmed.ml.Models;
import org.fedmed.ml.TrainingSiteClient;

/**
 * A test population: site {@code i} has 10 to 39 rows of 4 features drawn from {@code seed} and {@code i}, with a
 * site-specific shift, labelled by a fixed logistic rule; region {@code r<i % regions>}. Sites named in
 * {@code failing} throw when they train.
 */
record SyntheticSites(int size, long seed, int regions, Set<String> failing) implements VirtualSites {

    static final int FEATURES = 4;

    SyntheticSites(int size, long seed, int regions) {
        this(size, seed, regions, Set.of());
    }

    /** The model every site trains, built once per JVM. */
    private static final class Holder {
        static final Model MODEL = Models.build(DenseSpec.logistic(), FEATURES, 2);
    }

    static Model model() {
        return Holder.MODEL;
    }

    @Override
    public List<String> siteIds() {
        return org.fedmed.core.strategy.SortedSiteIds.computed(size, SyntheticSites::id, id -> {
            try {
                int i = index(id);
                return id.equals(id(i)) && i < size ? i : -1;
            } catch (RuntimeException e) {
                return -1;
            }
        });
    }

    static String id(int i) {
        return String.format("v%07d", i);
    }

    private static int index(String id) {
        return Integer.parseInt(id.substring(1));
    }

    LabeledData data(String id, int part) {
        int i = index(id);
        Random r = new Random(seed * 1_000_003L + i * 31L + part);
        int rows = 10 + r.nextInt(30);
        float shift = (float) r.nextGaussian();
        float[] x = new float[rows * FEATURES];
        float[] y = new float[rows];
        for (int row = 0; row < rows; row++) {
            double z = 0.3;
            for (int f = 0; f < FEATURES; f++) {
                float v = (float) r.nextGaussian() + shift;
                x[row * FEATURES + f] = v;
                z += (f % 2 == 0 ? 1.0 : -0.5) * v;
            }
            y[row] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return new LabeledData(x, y, rows, FEATURES, 2, List.of("a", "b", "c", "d"));
    }

    @Override
    public SiteClient site(String siteId) {
        if (failing.contains(siteId)) {
            return failingSite(siteId);
        }
        return new TrainingSiteClient(siteId, model(), data(siteId, 0), data(siteId, 1), 1.0);
    }

    private SiteClient failingSite(String siteId) {
        SiteClient real = new TrainingSiteClient(siteId, model(), data(siteId, 0), data(siteId, 1), 1.0);
        return new SiteClient() {
            @Override
            public String siteId() {
                return siteId;
            }

            @Override
            public org.fedmed.core.FitResult fit(org.fedmed.core.FitTask task) {
                throw new IllegalStateException("site '" + siteId + "': disk full");
            }

            @Override
            public org.fedmed.core.EvalResult evaluate(org.fedmed.core.EvalTask task) throws Exception {
                return real.evaluate(task);
            }
        };
    }

    @Override
    public String region(String siteId) {
        return "r" + index(siteId) % regions;
    }
}
