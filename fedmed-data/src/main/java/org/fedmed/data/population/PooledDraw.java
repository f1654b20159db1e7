package org.fedmed.data.population;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.partition.Dirichlet;
import org.fedmed.data.prep.Preprocessing;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.data.prep.StatsMode;

/**
 * Sites drawn from a base dataset's pooled rows, as {@link SiteMix} describes: a site's row count from its
 * {@link RowCount}, then each row drawn with replacement; rows preprocessed with the pool's preprocessor, or one
 * fitted on the site's own training rows under {@link StatsMode#PER_SITE}.
 */
final class PooledDraw implements SiteDraw {

    private final PopulationSpec spec;
    private final SiteGenerator.FromDataset generator;
    private final BasePool pool;

    /** @throws IllegalArgumentException naming the field, when the pool cannot give the mix asked for */
    PooledDraw(PopulationSpec spec, SiteGenerator.FromDataset generator, BasePool pool) {
        this.spec = spec;
        this.generator = generator;
        this.pool = pool;
        int classes = pool.rows.classes();
        if (generator.mix() == SiteMix.DIRICHLET || generator.mix() == SiteMix.CLASSES) {
            if (classes < 2) {
                throw new IllegalArgumentException("population mix " + generator.mix() + " skews labels, but dataset '"
                        + generator.dataset() + "' has a numeric target; use IID or QUANTITY");
            }
            for (int c = 0; c < classes; c++) {
                if (pool.byClass[c].length == 0) {
                    throw new IllegalArgumentException("population mix " + generator.mix() + ": dataset '"
                            + generator.dataset() + "' has no rows of class " + c + "; every class needs rows to draw"
                            + " from");
                }
            }
        }
        if (generator.mix() == SiteMix.CLASSES && generator.classesPerSite() > classes) {
            throw new IllegalArgumentException("population field 'classesPerSite' is " + generator.classesPerSite()
                    + " but dataset '" + generator.dataset() + "' has only " + classes + " classes");
        }
    }

    @Override
    public SiteData site(long index, String id, SplittableRandom rng) {
        int n = generator.rows().draw(rng);
        int[] rows = new int[n];
        int[][] byClass = pool.byClass;
        switch (generator.mix()) {
            case IID, QUANTITY -> {
                for (int i = 0; i < n; i++) {
                    rows[i] = rng.nextInt(pool.rows.rows());
                }
            }
            case DIRICHLET -> {
                double[] p = Dirichlet.sample(rng, generator.alpha(), byClass.length);
                for (int i = 0; i < n; i++) {
                    int c = SiteDraw.pick(p, rng.nextDouble());
                    rows[i] = byClass[c][rng.nextInt(byClass[c].length)];
                }
            }
            case CLASSES -> {
                int[] held = heldClasses(index, generator.classesPerSite(), byClass.length, rng);
                for (int i = 0; i < n; i++) {
                    int c = held[rng.nextInt(held.length)];
                    rows[i] = byClass[c][rng.nextInt(byClass[c].length)];
                }
            }
        }
        RawTable raw = pool.rows.select(rows, pool.definition.name() + "#" + id);
        int[][] parts = SiteDraw.split(spec, id, n);
        RawTable train = raw.select(parts[0], raw.source() + "#train");
        RawTable test = raw.select(parts[1], raw.source() + "#test");
        Preprocessor prep = spec.preprocessing().stats() == StatsMode.PER_SITE
                ? Preprocessing.fit(List.of(train), spec.preprocessing()).getFirst() : pool.pooled;
        return new SiteData(id, prep.transform(train), prep.transform(test), raw.quality(), Optional.of(prep));
    }

    /** NIID-Bench's choice: first class {@code index mod classes}, the rest distinct and at random. */
    private static int[] heldClasses(long index, int k, int classes, SplittableRandom rng) {
        int[] held = new int[k];
        boolean[] taken = new boolean[classes];
        held[0] = (int) (index % classes);
        taken[held[0]] = true;
        for (int i = 1; i < k; i++) {
            int c;
            do {
                c = rng.nextInt(classes);
            } while (taken[c]);
            taken[c] = true;
            held[i] = c;
        }
        return held;
    }

    @Override
    public String name() {
        return pool.definition.name();
    }

    @Override
    public List<String> featureNames() {
        return pool.pooled.featureNames();
    }

    @Override
    public int classes() {
        return pool.rows.classes();
    }

    @Override
    public Map<String, String> checksums() {
        return pool.checksums;
    }
}
