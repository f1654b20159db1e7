package org.fedmed.plan;

import static org.fedmed.plan.Choices.or;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import org.fedmed.data.population.PopulationSpec;
import org.fedmed.data.population.RegionRule;
import org.fedmed.data.population.RowCount;
import org.fedmed.data.population.SiteGenerator;
import org.fedmed.data.population.SiteMix;
import org.fedmed.data.prep.PreprocessOptions;

/**
 * The {@code population:} section of a simulation config: instead of a handful of sites holding a dataset's rows,
 * {@code size} virtual sites (devices), each built when a round samples it, from the run seed and its id
 * ({@link org.fedmed.data.population.Population}). Its rows are drawn from the plan's {@code dataset} as {@code mix}
 * says ({@code alpha} for {@code dirichlet}, {@code classes_per_site} for {@code classes}), or, with a
 * {@code wearable:} subsection, generated synthetically; each site's row count follows {@code rows} (a log-normal
 * with median {@code rows.median} and spread {@code rows.sigma}, clamped to {@code [rows.min, rows.max]}). Sites
 * fall into {@code regions} regions by {@code region_rule}; with {@code hierarchical: true} each round's updates are
 * averaged per region first, then across regions. After each round the global model is evaluated on
 * {@code evaluation_sites} sites (a fixed sample, the first that many by a seeded draw, see docs/scale.md), and the
 * local-only and centralized baselines run on the same sample. At most {@code cached_sites} built sites are kept in
 * memory between rounds. Every value is present and checked, each refusal naming its key; {@code wearable} is null
 * when the sites draw from the dataset. Bound from, and written as, a private document of optional keys.
 */
public record PopulationSettings(long size, SiteMix mix, double alpha, int classesPerSite, RowCount rows,
                                 SiteGenerator.Wearable wearable, int regions, RegionRule regionRule,
                                 boolean hierarchical, int evaluationSites, int cachedSites) {

    /** The section's key. */
    public static final String SECTION = "population";

    public PopulationSettings {
        Objects.requireNonNull(mix, "mix");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(regionRule, "regionRule");
        require(size >= 1 && size <= Integer.MAX_VALUE, "size", "must be in [1, " + Integer.MAX_VALUE + "], got " + size);
        require(alpha > 0 && Double.isFinite(alpha), "alpha", "must be > 0, got " + alpha);
        require(classesPerSite >= 1, "classes_per_site", "must be >= 1, got " + classesPerSite);
        require(mix != SiteMix.QUANTITY || rows.sigma() > 0, "rows.sigma", "must be > 0 for mix: quantity (the"
                + " spread of the sites' row counts), got " + rows.sigma());
        require(wearable == null || mix == SiteMix.IID, "mix", "is for sites drawn from the dataset; a wearable"
                + " population skews labels by wearable.label_alpha");
        require(regions >= 1 && regions <= size, "regions", "must be in [1, size " + size + "], got " + regions);
        require(!hierarchical || regions >= 2, "hierarchical", "needs regions >= 2 to aggregate by region, got regions "
                + regions);
        require(evaluationSites >= 1 && evaluationSites <= Math.min(size, 100_000), "evaluation_sites",
                "must be in [1, min(size, 100000)], got " + evaluationSites);
        require(cachedSites >= 0, "cached_sites", "must be >= 0 (0 keeps none), got " + cachedSites);
    }

    /**
     * The population these settings describe over {@code dataset} (unused by a wearable population), with the run
     * seed, each site's held-out share and the preprocessing of drawn rows.
     */
    public PopulationSpec spec(String dataset, long seed, double testFraction, PreprocessOptions preprocessing) {
        SiteGenerator generator = wearable != null ? wearable
                : new SiteGenerator.FromDataset(dataset, mix, alpha, classesPerSite, rows);
        return new PopulationSpec(generator, size, seed, testFraction, regions, regionRule, preprocessing);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    private static PopulationSettings of(Document d) {
        require(d.size() != null, "size", "is required: the number of virtual sites");
        Rows r = d.rows() == null ? new Rows(null, null, null, null) : d.rows();
        int median = or(r.median(), 20);
        double sigma = or(r.sigma(), 0.0);
        int min = or(r.min(), 2);
        int max = or(r.max(), 10_000);
        require(min >= 2, "rows.min", "must be >= 2 (a training and a test row), got " + min);
        require(median >= 1, "rows.median", "must be >= 1, got " + median);
        require(max >= min, "rows.max", "must be >= rows.min " + min + ", got " + max);
        require(sigma >= 0 && Double.isFinite(sigma), "rows.sigma", "must be >= 0, got " + sigma);
        RowCount rows = new RowCount(median, sigma, min, max);
        SiteGenerator.Wearable wearable = null;
        if (d.wearable() != null) {
            Wearable w = d.wearable();
            try {
                SiteGenerator.Wearable def = SiteGenerator.Wearable.defaults();
                wearable = new SiteGenerator.Wearable(or(w.features(), def.features()), or(w.classes(), def.classes()),
                        or(w.separation(), def.separation()), or(w.deviceShift(), def.deviceShift()),
                        or(w.labelAlpha(), def.labelAlpha()), or(w.noise(), def.noise()), rows);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("config key '" + SECTION + ".wearable': " + e.getMessage(), e);
            }
        }
        return new PopulationSettings(
                d.size(),
                Choices.of(SECTION + ".mix", d.mix(), SiteMix.IID, SiteMix.values(), Choices::key),
                or(d.alpha(), 0.5),
                or(d.classesPerSite(), 2),
                rows,
                wearable,
                or(d.regions(), 1),
                Choices.of(SECTION + ".region_rule", d.regionRule(), RegionRule.BLOCKS, RegionRule.values(), Choices::key),
                or(d.hierarchical(), false),
                or(d.evaluationSites(), (int) Math.min(d.size() < 1 ? 1 : d.size(), 100)),
                or(d.cachedSites(), 1000));
    }

    @JsonValue
    private Document document() {
        Wearable w = wearable == null ? null : new Wearable(wearable.features(), wearable.classes(),
                wearable.separation(), wearable.deviceShift(), wearable.labelAlpha(), wearable.noise());
        return new Document(size, Choices.key(mix), alpha, classesPerSite,
                new Rows(rows.median(), rows.sigma(), rows.min(), rows.max()), w, regions, Choices.key(regionRule),
                hierarchical, evaluationSites, cachedSites);
    }

    /** The section as written in YAML: every key optional but {@code size}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Document(Long size, String mix, Double alpha, Integer classesPerSite, Rows rows, Wearable wearable,
                            Integer regions, String regionRule, Boolean hierarchical, Integer evaluationSites,
                            Integer cachedSites) {
    }

    /** {@code population.rows}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Rows(Integer median, Double sigma, Integer min, Integer max) {
    }

    /** {@code population.wearable}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Wearable(Integer features, Integer classes, Double separation, Double deviceShift, Double labelAlpha,
                            Double noise) {
    }

    private static void require(boolean ok, String key, String message) {
        Choices.require(ok, SECTION + "." + key, message);
    }
}
