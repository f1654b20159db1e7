package org.fedmed.data.population;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.Seeds;
import org.fedmed.core.objective.LabelLayout;
import org.fedmed.core.strategy.IndexSampling;
import org.fedmed.core.strategy.SortedSiteIds;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.prep.StatsMode;
import org.fedmed.data.registry.DatasetRegistry;

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
    private final SiteDraw draw;
    private final int idWidth;
    private final int regionWidth;

    private Population(PopulationSpec spec, SiteDraw draw) {
        this.spec = spec;
        this.draw = draw;
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
            case SiteGenerator.FromDataset d -> new Population(spec,
                    new PooledDraw(spec, d, BasePool.of(d.dataset(), registry, spec.preprocessing())));
            case SiteGenerator.Wearable w -> new Population(spec, new WearableDraw(spec, w));
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
        return draw.name();
    }

    /** The encoded feature names every site's rows have. */
    public List<String> featureNames() {
        return draw.featureNames();
    }

    /** Number of classes, 0 for regression. */
    public int classes() {
        return draw.classes();
    }

    /** How every site's labels are laid out. */
    public LabelLayout labelLayout() {
        return classes() == 0 ? LabelLayout.TARGET : LabelLayout.CLASS_INDEX;
    }

    /** The SHA-256 of every file the base dataset was read from, by name; empty for the wearable generator. */
    public Map<String, String> checksums() {
        return draw.checksums();
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

    /**
     * The population's site ids as a sorted view that computes each id on demand (what a round samples from without
     * listing the population).
     *
     * @throws IllegalStateException when the population has more sites than a list can index
     */
    public SortedSiteIds siteIds() {
        if (spec.size() > Integer.MAX_VALUE) {
            throw new IllegalStateException("a population of " + spec.size() + " sites is more than a round can sample"
                    + " from (at most " + Integer.MAX_VALUE + ")");
        }
        return SortedSiteIds.computed((int) spec.size(), this::siteId, id -> {
            try {
                return (int) index(id);
            } catch (IllegalArgumentException e) {
                return -1;
            }
        });
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

    /**
     * The population's documented sample of {@code count} sites (all of them when it has no more): positions drawn
     * uniformly without replacement ({@link IndexSampling#fixedSize}) from stream {@link Seeds.Stream#POPULATION_SAMPLE} of the
     * run seed, in ascending order. A simulation evaluates the global model on these sites after each round and runs
     * its local-only and centralized baselines on them.
     */
    public int[] sample(int count) {
        SortedSiteIds ids = siteIds();
        return IndexSampling.fixedSize(ids.size(), count,
                new SplittableRandom(Seeds.of(spec.seed(), Seeds.Stream.POPULATION_SAMPLE)));
    }

    /** The sites at {@code indices} built, as a federation named after the population, with its checksums. */
    public FederatedDataset federation(int[] indices) {
        List<SiteData> sites = new ArrayList<>();
        for (int i : indices) {
            sites.add(site(i));
        }
        return new FederatedDataset(name(), sites, checksums(), featureNames(), classes());
    }

    /** Site {@code index}'s preprocessed training and test rows, built now from the seed and its id. */
    public SiteData site(long index) {
        String id = siteId(index);
        SplittableRandom rng = new SplittableRandom(Seeds.ofSite(spec.seed(), Seeds.Stream.POPULATION_SITE, id));
        return draw.site(index, id, rng);
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
