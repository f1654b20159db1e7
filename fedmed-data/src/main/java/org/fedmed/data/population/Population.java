package org.fedmed.data.population;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;
import org.fedmed.core.Seeds;
import org.fedmed.core.objective.LabelLayout;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.partition.Dirichlet;
import org.fedmed.data.prep.Preprocessing;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.data.prep.StatsMode;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.split.Shuffle;

/**
 * A population of virtual sites opened from a {@link PopulationSpec}: {@link #size()} sites, indexed 0..size-1,
 * none of them held. {@link #site(long)} builds one site's preprocessed training and test rows from the run seed and
 * the site's id alone (streams {@link Seeds.Stream#POPULATION_SITE} for its rows and {@link Seeds.Stream#SITE_SPLIT}
 * for its split, as a deployed site splits), so a site's data is identical whether built alone, after others, in
 * any order, in any JVM. Memory is that of the base pool (shared per JVM, see {@code BasePool}) or of the wearable
 * generator's class centres, never per site.
 *
 * <p>Site ids are {@code site-} and the index zero-padded to the digits of {@code size - 1}, so they sort as the
 * indices do; region ids are {@code region-} and the region number padded likewise.
 *
 * <p>How a site is drawn. Its row count comes from the generator's {@link RowCount}. From a base dataset, each row
 * is a pool row drawn with replacement as the {@link SiteMix} says; rows are preprocessed with the preprocessor fitted
 * on the whole pool ({@link StatsMode#FEDERATED}), or with one fitted on the site's own training rows
 * ({@link StatsMode#PER_SITE}). From the wearable generator, as {@link SiteGenerator.Wearable} says. Then
 * {@code max(1, min(n - 1, round(n * testFraction)))} of its n rows, uniformly at random, are its test rows (not
 * stratified: a device's handful of rows is too few to stratify), both parts in draw order.
 *
 * <p>A population is thread-safe: sites may be built concurrently. It is not serializable; send its spec.
 */
public final class Population {

    private final PopulationSpec spec;
    private final BasePool pool;
    private final float[][] centres;
    private final int idWidth;
    private final int regionWidth;

    private Population(PopulationSpec spec, BasePool pool, float[][] centres) {
        this.spec = spec;
        this.pool = pool;
        this.centres = centres;
        this.idWidth = digits(spec.size() - 1);
        this.regionWidth = digits(spec.regions() - 1);
    }

    /**
     * Opens the population a spec describes, reading a base dataset through {@code registry} (once per JVM for the
     * same dataset, search roots and preprocessing).
     *
     * @throws IllegalArgumentException naming the field, when the base dataset cannot give the mix asked for (a
     *                                  label-skewed mix of a regression dataset, k above its classes, a class with no
     *                                  rows)
     */
    public static Population open(PopulationSpec spec, DatasetRegistry registry) {
        return switch (spec.generator()) {
            case SiteGenerator.FromDataset d -> {
                BasePool pool = BasePool.of(d.dataset(), registry, spec.preprocessing());
                check(d, pool);
                yield new Population(spec, pool, null);
            }
            case SiteGenerator.Wearable w -> new Population(spec, null, centres(w, spec.seed()));
        };
    }

    /** Opens the population with the registry of this JVM's environment ({@link DatasetRegistry#fromEnvironment()}). */
    public static Population open(PopulationSpec spec) {
        return spec.generator() instanceof SiteGenerator.Wearable ? open(spec, new DatasetRegistry(List.of()))
                : open(spec, DatasetRegistry.fromEnvironment());
    }

    /** The spec this population was opened from. */
    public PopulationSpec spec() {
        return spec;
    }

    /** Number of sites. */
    public long size() {
        return spec.size();
    }

    /** The base dataset's name, or {@code wearable} for the synthetic generator. */
    public String name() {
        return pool != null ? pool.definition.name() : "wearable";
    }

    /** The encoded feature names every site's rows have. */
    public List<String> featureNames() {
        if (pool != null) {
            return pool.pooled.featureNames();
        }
        List<String> names = new ArrayList<>();
        for (int f = 0; f < centres[0].length; f++) {
            names.add("x" + f);
        }
        return names;
    }

    /** Number of classes, 0 for regression. */
    public int classes() {
        return pool != null ? pool.rows.classes() : centres.length;
    }

    /** How every site's labels are laid out. */
    public LabelLayout labelLayout() {
        return classes() == 0 ? LabelLayout.TARGET : LabelLayout.CLASS_INDEX;
    }

    /** The SHA-256 of every file the base dataset was read from, by name; empty for the wearable generator. */
    public Map<String, String> checksums() {
        return pool != null ? pool.checksums : Map.of();
    }

    /** The id of site {@code index}. */
    public String siteId(long index) {
        requireIndex(index);
        return "site-" + pad(index, idWidth);
    }

    /**
     * The index of site {@code siteId}.
     *
     * @throws IllegalArgumentException when the id is not one of this population's, saying the expected form
     */
    public long index(String siteId) {
        String digits = siteId != null && siteId.startsWith("site-") ? siteId.substring(5) : "";
        if (digits.length() == idWidth && digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            long i = Long.parseLong(digits);
            if (i < spec.size()) {
                return i;
            }
        }
        throw new IllegalArgumentException("site id '" + siteId + "' is not in this population of " + spec.size()
                + " sites (ids site-" + pad(0, idWidth) + " to " + "site-" + pad(spec.size() - 1, idWidth) + ")");
    }

    /** Number of regions. */
    public int regionCount() {
        return spec.regions();
    }

    /** The region number (0..regions-1) of site {@code index}, by the spec's {@link RegionRule}. */
    public int regionIndex(long index) {
        requireIndex(index);
        return switch (spec.regionRule()) {
            case BLOCKS -> (int) (index * spec.regions() / spec.size());
            case STRIDE -> (int) (index % spec.regions());
        };
    }

    /** The region id of site {@code index}. */
    public String region(long index) {
        return regionId(regionIndex(index));
    }

    /** The id of region number {@code region}. */
    public String regionId(int region) {
        if (region < 0 || region >= spec.regions()) {
            throw new IllegalArgumentException("region " + region + " is outside 0.." + (spec.regions() - 1));
        }
        return "region-" + pad(region, regionWidth);
    }

    /** Site {@code index}'s preprocessed training and test rows, built now from the seed and its id. */
    public SiteData site(long index) {
        String id = siteId(index);
        SplittableRandom rng = new SplittableRandom(Seeds.ofSite(spec.seed(), Seeds.Stream.POPULATION_SITE, id));
        return switch (spec.generator()) {
            case SiteGenerator.FromDataset d -> fromPool(d, index, id, rng);
            case SiteGenerator.Wearable w -> wearable(w, id, rng);
        };
    }

    private SiteData fromPool(SiteGenerator.FromDataset d, long index, String id, SplittableRandom rng) {
        int n = d.rows().draw(rng);
        int[] rows = new int[n];
        int[][] byClass = pool.byClass;
        switch (d.mix()) {
            case IID, QUANTITY -> {
                for (int i = 0; i < n; i++) {
                    rows[i] = rng.nextInt(pool.rows.rows());
                }
            }
            case DIRICHLET -> {
                double[] p = Dirichlet.sample(rng, d.alpha(), byClass.length);
                for (int i = 0; i < n; i++) {
                    int c = pick(p, rng.nextDouble());
                    rows[i] = byClass[c][rng.nextInt(byClass[c].length)];
                }
            }
            case CLASSES -> {
                int[] held = heldClasses(index, d.classesPerSite(), byClass.length, rng);
                for (int i = 0; i < n; i++) {
                    int c = held[rng.nextInt(held.length)];
                    rows[i] = byClass[c][rng.nextInt(byClass[c].length)];
                }
            }
        }
        RawTable raw = pool.rows.select(rows, pool.definition.name() + "#" + id);
        int[][] parts = split(id, n);
        RawTable train = raw.select(parts[0], raw.source() + "#train");
        RawTable test = raw.select(parts[1], raw.source() + "#test");
        Preprocessor prep = spec.preprocessing().stats() == StatsMode.PER_SITE
                ? Preprocessing.fit(List.of(train), spec.preprocessing()).getFirst() : pool.pooled;
        return new SiteData(id, prep.transform(train), prep.transform(test), raw.quality(), Optional.of(prep));
    }

    private SiteData wearable(SiteGenerator.Wearable w, String id, SplittableRandom rng) {
        int n = w.rows().draw(rng);
        int f = w.features();
        double[] offset = new double[f];
        for (int j = 0; j < f; j++) {
            offset[j] = w.deviceShift() * rng.nextGaussian();
        }
        double[] p = Dirichlet.sample(rng, w.labelAlpha(), w.classes());
        float[] x = new float[n * f];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = pick(p, rng.nextDouble());
            y[i] = c;
            for (int j = 0; j < f; j++) {
                x[i * f + j] = (float) (centres[c][j] + offset[j] + w.noise() * rng.nextGaussian());
            }
        }
        LabeledData all = new LabeledData(x, y, n, f, w.classes(), featureNames());
        int[][] parts = split(id, n);
        return new SiteData(id, all.select(parts[0]), all.select(parts[1]), 1.0, Optional.empty());
    }

    /** The site's training and test row positions, each in draw order. */
    private int[][] split(String id, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Shuffle.shuffle(order, new SplittableRandom(Seeds.ofSite(spec.seed(), Seeds.Stream.SITE_SPLIT, id)));
        int held = (int) Math.max(1, Math.min(n - 1, Math.round(n * spec.testFraction())));
        int[] test = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, n);
        Arrays.sort(test);
        Arrays.sort(train);
        return new int[][] {train, test};
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

    /** The index whose cumulative probability first exceeds {@code u}; the last index for rounding at the top. */
    private static int pick(double[] p, double u) {
        double cumulative = 0;
        for (int c = 0; c < p.length - 1; c++) {
            cumulative += p[c];
            if (u < cumulative) {
                return c;
            }
        }
        return p.length - 1;
    }

    private static float[][] centres(SiteGenerator.Wearable w, long seed) {
        SplittableRandom rng = new SplittableRandom(Seeds.of(seed, Seeds.Stream.POPULATION_SHARED));
        float[][] c = new float[w.classes()][w.features()];
        for (float[] centre : c) {
            for (int j = 0; j < centre.length; j++) {
                centre[j] = (float) (w.separation() * rng.nextGaussian());
            }
        }
        return c;
    }

    private static void check(SiteGenerator.FromDataset d, BasePool pool) {
        int classes = pool.rows.classes();
        if (d.mix() == SiteMix.DIRICHLET || d.mix() == SiteMix.CLASSES) {
            if (classes < 2) {
                throw new IllegalArgumentException("population mix " + d.mix() + " skews labels, but dataset '"
                        + d.dataset() + "' has a numeric target; use IID or QUANTITY");
            }
            for (int c = 0; c < classes; c++) {
                if (pool.byClass[c].length == 0) {
                    throw new IllegalArgumentException("population mix " + d.mix() + ": dataset '" + d.dataset()
                            + "' has no rows of class " + c + "; every class needs rows to draw from");
                }
            }
        }
        if (d.mix() == SiteMix.CLASSES && d.classesPerSite() > classes) {
            throw new IllegalArgumentException("population field 'classesPerSite' is " + d.classesPerSite()
                    + " but dataset '" + d.dataset() + "' has only " + classes + " classes");
        }
    }

    private void requireIndex(long index) {
        if (index < 0 || index >= spec.size()) {
            throw new IllegalArgumentException("site index " + index + " is outside this population's 0.."
                    + (spec.size() - 1));
        }
    }

    private static int digits(long v) {
        return Long.toString(Math.max(0, v)).length();
    }

    private static String pad(long v, int width) {
        String s = Long.toString(v);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }
}
