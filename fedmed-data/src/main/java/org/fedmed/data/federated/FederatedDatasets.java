package org.fedmed.data.federated;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.LabeledData;
import org.fedmed.core.Seeds;
import org.fedmed.data.csv.CsvLoader;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.partition.Partition;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.Preprocessing;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.data.registry.DatasetEntry;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.ResolvedDataset;
import org.fedmed.data.registry.SiteFile;
import org.fedmed.data.split.Split;
import org.fedmed.data.split.Splits;
import org.fedmed.data.stats.SiteOrder;

/**
 * Builds a {@link FederatedDataset} from a registered dataset: resolve and verify its files, read them,
 * make sites (natural ones, or a seeded partition of the single file into {@code site-0..site-N-1}),
 * split each site into stratified train and test rows, fit preprocessing on the training rows only
 * (federated or per site), and encode train and test. Each site's quality is measured on its raw rows.
 * Fails with a message naming the site when a site has no rows (as loaded, or after dropping incomplete
 * rows). A classification site whose training rows hold a single class takes part, with a warning in
 * {@link FederatedDataset#warnings()}. Each site keeps the preprocessor fitted for it. The same options always
 * give the same result.
 */
public final class FederatedDatasets {

    /** Minimum rows per simulated site asked of a skewed partitioner, lowered for small tables. */
    public static final int MIN_ROWS_PER_SITE = 10;

    private FederatedDatasets() {
    }

    /** Loads the dataset named in {@code options} from {@code registry}. */
    public static FederatedDataset load(DatasetRegistry registry, DataOptions options) {
        RawSites raw = read(registry, options);
        return build(raw.name(), raw.siteIds(), raw.tables(), options, raw.checksums());
    }

    /**
     * A dataset's sites as read, before any split or preprocessing.
     *
     * @param checksums the SHA-256 of every file read, by file name
     */
    public record RawSites(String name, List<String> siteIds, List<RawTable> tables, Map<String, String> checksums) {
    }

    /** Reads the dataset named in {@code options} from {@code registry} into its sites, as {@link #load} does. */
    public static RawSites read(DatasetRegistry registry, DataOptions options) {
        ResolvedDataset resolved = registry.resolve(options.dataset());
        DatasetEntry entry = resolved.entry();
        List<String> ids = new ArrayList<>();
        List<RawTable> tables = new ArrayList<>();
        if (entry.partitioned()) {
            RawTable all = CsvLoader.load(resolved.file(entry.files().getFirst().name()), entry.schema());
            tables.addAll(partition(all, options));
            for (int s = 0; s < tables.size(); s++) {
                ids.add("site-" + s);
            }
        } else {
            for (SiteFile site : entry.naturalSites()) {
                ids.add(site.siteId());
                tables.add(CsvLoader.load(resolved.file(site.file()), entry.schema()));
            }
        }
        return new RawSites(entry.name(), ids, tables, resolved.checksums());
    }

    /** Splits one table into {@code options.sites()} simulated sites with the configured partitioner. */
    public static List<RawTable> partition(RawTable all, DataOptions options) {
        int minRows = Math.max(1, Math.min(MIN_ROWS_PER_SITE, all.rows() / (2 * options.sites())));
        Partition p = options.partitioner().create(options.alpha(), minRows)
                .partition(all.strata(), Math.max(1, all.classes()), options.sites(),
                        Seeds.of(options.seed(), Seeds.Stream.PARTITION));
        List<RawTable> sites = new ArrayList<>();
        for (int s = 0; s < p.siteCount(); s++) {
            sites.add(all.select(p.sites()[s], all.source() + "#site-" + s));
        }
        return sites;
    }

    /**
     * Builds a federation from raw site tables read with one schema: split, fit preprocessing on the
     * training rows (with the sites' statistics merged in {@link SiteOrder canonical site order}, the order a
     * deployment's server merges in), encode. {@code options.dataset()}, {@code sites}, {@code partitioner} and
     * {@code alpha} are not used here.
     */
    public static FederatedDataset build(String name, List<String> siteIds, List<RawTable> sites, DataOptions options,
                                         Map<String, String> checksums) {
        SplitSites split = split(siteIds, sites, options);
        int[] order = SiteOrder.canonical(siteIds);
        List<RawTable> ordered = new ArrayList<>();
        for (int i : order) {
            ordered.add(split.trains().get(i));
        }
        List<Preprocessor> fitted = Preprocessing.fit(ordered, options.preprocessing());
        Preprocessor[] prep = new Preprocessor[order.length];
        for (int k = 0; k < order.length; k++) {
            prep[order[k]] = fitted.get(k);
        }
        return encode(name, siteIds, split, List.of(prep), checksums);
    }

    /**
     * Each site's rows split into stratified train and test rows, as {@link #build} splits them (the split of a
     * site depends on the seed and its id only), with the checks {@link #build} makes.
     */
    public static SplitSites split(List<String> siteIds, List<RawTable> sites, DataOptions options) {
        if (siteIds.size() != sites.size() || sites.isEmpty()) {
            throw new IllegalArgumentException(siteIds.size() + " site ids for " + sites.size() + " site tables");
        }
        boolean drop = options.missingPolicy() == MissingPolicy.DROP;
        List<RawTable> trains = new ArrayList<>();
        List<RawTable> tests = new ArrayList<>();
        double[] quality = new double[sites.size()];
        for (int s = 0; s < sites.size(); s++) {
            String id = siteIds.get(s);
            RawTable raw = sites.get(s);
            // a function of the run seed and the site id only: a deployed site splits its rows as simulation does
            long splitSeed = Seeds.ofSite(options.seed(), Seeds.Stream.SITE_SPLIT, id);
            SiteChecks.requireRows(id, raw.rows(), "(source " + raw.source() + ")");
            quality[s] = raw.quality();
            RawTable usable = drop ? raw.completeRows() : raw;
            SiteChecks.requireRows(id, usable.rows(), "left after dropping rows with missing values (policy DROP; "
                    + raw.rows() + " rows, all incomplete); choose MEAN or MEDIAN imputation");
            Split split = Splits.stratified(usable.strata(), Math.max(1, usable.classes()), options.testFraction(), splitSeed);
            RawTable train = usable.select(split.train(), raw.source() + "#train");
            trains.add(train);
            tests.add(usable.select(split.test(), raw.source() + "#test"));
        }
        return new SplitSites(trains, tests, quality);
    }

    /** The federation of split sites encoded with their fitted preprocessors (one per site, in site order). */
    public static FederatedDataset encode(String name, List<String> siteIds, SplitSites split, List<Preprocessor> prep,
                                          Map<String, String> checksums) {
        List<SiteData> out = new ArrayList<>();
        for (int s = 0; s < siteIds.size(); s++) {
            LabeledData train = prep.get(s).transform(split.trains().get(s));
            LabeledData test = prep.get(s).transform(split.tests().get(s));
            out.add(new SiteData(siteIds.get(s), train, test, split.quality()[s], java.util.Optional.of(prep.get(s))));
        }
        return new FederatedDataset(name, out, checksums, prep.getFirst().featureNames(),
                split.trains().getFirst().classes());
    }

    /**
     * Sites' raw training and test tables and their data quality, in site order, before preprocessing.
     *
     * @param quality each site's share of present feature cells in its raw rows
     */
    public record SplitSites(List<RawTable> trains, List<RawTable> tests, double[] quality) {
        public SplitSites {
            trains = List.copyOf(trains);
            tests = List.copyOf(tests);
            if (trains.size() != tests.size() || quality.length != trains.size()) {
                throw new IllegalArgumentException("split sites: " + trains.size() + " training tables, " + tests.size()
                        + " test tables and " + quality.length + " quality scores");
            }
        }
    }
}
