package org.fedmed.data.population;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;
import org.fedmed.core.Seeds;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.partition.Dirichlet;

/**
 * Synthetic wearable devices as {@link SiteGenerator.Wearable} describes: the class centres shared by the population
 * (drawn once from stream {@link Seeds.Stream#POPULATION_SHARED}), and per device, from its own stream in this order,
 * its row count, its offset to each feature, its class proportions, then its rows. Features are named {@code x0..}.
 */
final class WearableDraw implements SiteDraw {

    private final PopulationSpec spec;
    private final SiteGenerator.Wearable generator;
    private final float[][] centres;
    private final List<String> names;

    WearableDraw(PopulationSpec spec, SiteGenerator.Wearable generator) {
        this.spec = spec;
        this.generator = generator;
        SplittableRandom rng = new SplittableRandom(Seeds.of(spec.seed(), Seeds.Stream.POPULATION_SHARED));
        centres = new float[generator.classes()][generator.features()];
        for (float[] centre : centres) {
            for (int j = 0; j < centre.length; j++) {
                centre[j] = (float) (generator.separation() * rng.nextGaussian());
            }
        }
        List<String> n = new ArrayList<>();
        for (int f = 0; f < generator.features(); f++) {
            n.add("x" + f);
        }
        names = List.copyOf(n);
    }

    @Override
    public SiteData site(long index, String id, SplittableRandom rng) {
        int n = generator.rows().draw(rng);
        int f = generator.features();
        double[] offset = new double[f];
        for (int j = 0; j < f; j++) {
            offset[j] = generator.deviceShift() * rng.nextGaussian();
        }
        double[] p = Dirichlet.sample(rng, generator.labelAlpha(), generator.classes());
        float[] x = new float[n * f];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = SiteDraw.pick(p, rng.nextDouble());
            y[i] = c;
            for (int j = 0; j < f; j++) {
                x[i * f + j] = (float) (centres[c][j] + offset[j] + generator.noise() * rng.nextGaussian());
            }
        }
        LabeledData all = new LabeledData(x, y, n, f, generator.classes(), names);
        int[][] parts = SiteDraw.split(spec, id, n);
        return new SiteData(id, all.select(parts[0]), all.select(parts[1]), 1.0, Optional.empty());
    }

    @Override
    public String name() {
        return "wearable";
    }

    @Override
    public List<String> featureNames() {
        return names;
    }

    @Override
    public int classes() {
        return generator.classes();
    }

    @Override
    public Map<String, String> checksums() {
        return Map.of();
    }
}
