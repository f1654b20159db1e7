package org.fedmed.data.federated;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.LabeledData;
import org.fedmed.core.Seeds;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.DefinitionChecks;
import org.fedmed.data.definition.SiteLayout;
import org.fedmed.data.definition.SplitRule;
import org.fedmed.data.partition.Partition;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.Preprocessing;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.ResolvedDataset;
import org.fedmed.data.split.Split;
import org.fedmed.data.split.Splits;
import org.fedmed.data.stats.SiteOrder;

/**
 * Builds a {@link FederatedDataset} from a dataset definition (a built-in one or a user's own): resolve and verify
 * its files, read them, make sites (as the definition lays them out, or a seeded partition of its single file into
 * {@code site-0..site-N-1}), split each site into train and test rows (as the definition says: a split column,
 * separate files, or a seeded stratified fraction), fit preprocessing on the training rows only
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

    /**
     * Loads the dataset {@code options.dataset()} names (a registered name, or the path of a definition file) from
     * {@code registry}.
     */
    public static FederatedDataset load(DatasetRegistry registry, DataOptions options) {
        DatasetDefinition definition = registry.definition(options.dataset());
        return load(registry.resolve(definition), options);
    }

    /**
     * Loads a resolved definition: its sites as it lays them out (a partitioned file split by the definition's
     * partition settings, or by {@code options}' when it gives none), split as it says (a fraction and seed it gives
     * take the place of {@code options}'), then preprocessed.
     *
     * The checksums recorded are those of every data file and, for a user's definition file, of the definition itself
     * (keyed by its path as given), so that a run's provenance names everything it was read from.
     *
     * @throws org.fedmed.data.DataFormatException naming the definition's file, line and key, for a label rule that
     *                                             matches no row or a split that leaves a site with no test rows;
     *                                             naming the data file, line and column, for a row that does not fit
     */
    public static FederatedDataset load(ResolvedDataset resolved, DataOptions options) {
        DatasetDefinition def = resolved.definition();
        List<SiteTables> read = SiteTables.read(def, resolved.files(), null);
        DefinitionChecks.labelMatchesRows(def, classCounts(def, read));
        Map<String, String> checksums = new java.util.LinkedHashMap<>(resolved.checksums());
        if (def.base() instanceof org.fedmed.data.definition.FileBase.Folder) {
            checksums.put(def.source().name(), org.fedmed.data.registry.Sha256.of(
                    def.source().text().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return fromTables(def, read, options, checksums);
    }

    /**
     * The dataset {@code options.dataset()} names (a registered name, or the path of a definition file), its sites
     * read and split as {@link #load} reads and splits them, before any preprocessing (for analytics over the
     * training rows). A survival label is read too (times as labels, with event flags): analytics trains no model.
     */
    public static SplitFederation splitAll(DatasetRegistry registry, DataOptions options) {
        DatasetDefinition definition = registry.definition(options.dataset());
        ResolvedDataset resolved = registry.resolve(definition);
        DatasetDefinition def = resolved.definition();
        List<SiteTables> read = SiteTables.read(def, resolved.files(), null);
        DefinitionChecks.labelMatchesRows(def, classCounts(def, read));
        return splitTables(def, read, options, resolved.checksums());
    }

    /**
     * Every row of a resolved definition in one table, before any split or preprocessing: its sites' rows (training
     * and test rows alike), in the definition's site order. The pool a population's virtual sites draw from.
     */
    public static RawTable pooledRows(ResolvedDataset resolved) {
        DatasetDefinition def = resolved.definition();
        List<SiteTables> read = SiteTables.read(def, resolved.files(), null);
        DefinitionChecks.labelMatchesRows(def, classCounts(def, read));
        List<RawTable> parts = new ArrayList<>();
        for (SiteTables t : read) {
            parts.addAll(t.presplit() ? List.of(t.train(), t.test()) : List.of(t.all()));
        }
        return RawTable.concat(parts, def.name());
    }

    /**
     * Loads one site of a definition alone, as the simulation loads that site: its rows from {@code ownCsv} when
     * given, else from the definition's files for {@code siteId} (resolved through {@code resolved}).
     */
    public static FederatedDataset loadSite(DatasetDefinition def, ResolvedDataset resolved, java.nio.file.Path ownCsv,
                                            String siteId, DataOptions options) {
        SplitFederation sites = splitSite(def, resolved, ownCsv, siteId, options);
        return fitAndEncode(def.name(), sites.siteIds(), sites.split(), options, sites.checksums());
    }

    /**
     * One site of a definition read and split as {@link #loadSite} reads and splits it, before any preprocessing:
     * what a deployed site summarizes in the statistics exchange and encodes once it has the merged statistics.
     * A survival label is read too (times as labels, with event flags), for survival analytics; a training run's
     * plan refuses one until a model trains on it.
     */
    public static SplitFederation splitSite(DatasetDefinition def, ResolvedDataset resolved, java.nio.file.Path ownCsv,
                                            String siteId, DataOptions options) {
        if (def.partitioned() && ownCsv == null) {
            throw new IllegalArgumentException("site '" + siteId + "': dataset '" + def.name() + "' has no natural sites"
                    + " (its one file is split across simulated sites); set data.csv to this site's own file");
        }
        SiteTables site = ownCsv != null ? SiteTables.readOwnFile(def, ownCsv, siteId)
                : SiteTables.read(def, resolved.files(), siteId).getFirst();
        Map<String, String> checksums = ownCsv != null
                ? Map.of(ownCsv.getFileName().toString(), org.fedmed.data.registry.Sha256.of(ownCsv))
                : resolved.checksums();
        return splitTables(def, List.of(site), options, checksums);
    }

    /**
     * Sites' ids and their rows split into training and test rows, before preprocessing.
     *
     * @param checksums the SHA-256 of every file read, by name
     */
    public record SplitFederation(List<String> siteIds, SplitSites split, Map<String, String> checksums) {
        public SplitFederation {
            siteIds = List.copyOf(siteIds);
            checksums = Map.copyOf(checksums);
        }
    }

    private static FederatedDataset fromTables(DatasetDefinition def, List<SiteTables> read, DataOptions options,
                                               Map<String, String> checksums) {
        SplitFederation sites = splitTables(def, read, options, checksums);
        return fitAndEncode(def.name(), sites.siteIds(), sites.split(), options, checksums);
    }

    private static SplitFederation splitTables(DatasetDefinition def, List<SiteTables> read, DataOptions options,
                                               Map<String, String> checksums) {
        List<String> ids = new ArrayList<>();
        SplitSites split;
        if (def.sites() instanceof SiteLayout.Partitioned p) {
            DataOptions partition = p.partition() == null ? options : options.withSites(p.partition().sites())
                    .withPartitioner(p.partition().kind(), p.partition().alpha());
            List<RawTable> tables = partition(read.getFirst().all(), partition);
            for (int s = 0; s < tables.size(); s++) {
                ids.add("site-" + s);
            }
            split = split(ids, tables, fractionOptions(def, options));
        } else {
            read.forEach(t -> ids.add(t.id()));
            if (read.getFirst().presplit()) {
                List<RawTable> trains = read.stream().map(SiteTables::train).toList();
                List<RawTable> tests = read.stream().map(SiteTables::test).toList();
                DefinitionChecks.testRowsPresent(def, ids, tests.stream().mapToLong(RawTable::rows).toArray());
                return new SplitFederation(ids, presplit(ids, trains, tests, options), checksums);
            }
            split = split(ids, read.stream().map(SiteTables::all).toList(), fractionOptions(def, options));
        }
        DefinitionChecks.testRowsPresent(def, ids, split.tests().stream().mapToLong(RawTable::rows).toArray());
        return new SplitFederation(ids, split, checksums);
    }

    private static long[] classCounts(DatasetDefinition def, List<SiteTables> sites) {
        long[] counts = new long[def.classes()];
        for (SiteTables s : sites) {
            for (RawTable t : s.presplit() ? List.of(s.train(), s.test()) : List.of(s.all())) {
                int[] c = t.classCounts();
                for (int k = 0; k < counts.length; k++) {
                    counts[k] += c[k];
                }
            }
        }
        return counts;
    }

    private static DataOptions fractionOptions(DatasetDefinition def, DataOptions options) {
        if (def.split() instanceof SplitRule.Fraction f) {
            DataOptions o = f.testFraction() == null ? options : options.withTestFraction(f.testFraction());
            return f.seed() == null ? o : o.withSeed(f.seed());
        }
        return options;
    }

    /** Splits one table into {@code options.sites()} simulated sites with the configured partitioner. */
    public static List<RawTable> partition(RawTable all, DataOptions options) {
        int minRows = Math.max(1, Math.min(MIN_ROWS_PER_SITE, all.rows() / (2 * options.sites())));
        Partition p = options.partitioner().create(options.alpha(), minRows)
                .partition(all.strata(), all.strataCount(), options.sites(),
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
        return fitAndEncode(name, siteIds, split(siteIds, sites, options), options, checksums);
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
            Split split = Splits.stratified(usable.strata(), usable.strataCount(), options.testFraction(), splitSeed);
            RawTable train = usable.select(split.train(), raw.source() + "#train");
            trains.add(train);
            tests.add(usable.select(split.test(), raw.source() + "#test"));
        }
        return new SplitSites(trains, tests, quality);
    }

    /**
     * Builds a federation from site tables the definition has already split into training and test rows: fit
     * preprocessing on the training rows, encode. A site's quality is measured on its training and test rows together.
     */
    public static FederatedDataset buildSplit(String name, List<String> siteIds, List<RawTable> trainTables,
                                              List<RawTable> testTables, DataOptions options, Map<String, String> checksums) {
        return fitAndEncode(name, siteIds, presplit(siteIds, trainTables, testTables, options), options, checksums);
    }

    /** Sites' presplit tables with the checks {@link #buildSplit} makes (and incomplete rows dropped under DROP). */
    public static SplitSites presplit(List<String> siteIds, List<RawTable> trainTables, List<RawTable> testTables,
                                      DataOptions options) {
        if (siteIds.size() != trainTables.size() || siteIds.size() != testTables.size() || siteIds.isEmpty()) {
            throw new IllegalArgumentException(siteIds.size() + " site ids for " + trainTables.size() + " training and "
                    + testTables.size() + " test tables");
        }
        boolean drop = options.missingPolicy() == MissingPolicy.DROP;
        List<RawTable> trains = new ArrayList<>();
        List<RawTable> tests = new ArrayList<>();
        double[] quality = new double[siteIds.size()];
        for (int s = 0; s < siteIds.size(); s++) {
            String id = siteIds.get(s);
            RawTable both = RawTable.concat(List.of(trainTables.get(s), testTables.get(s)), trainTables.get(s).source());
            SiteChecks.requireRows(id, both.rows(), "(source " + both.source() + ")");
            quality[s] = both.quality();
            RawTable train = drop ? trainTables.get(s).completeRows() : trainTables.get(s);
            SiteChecks.requireRows(id, train.rows(), "for training" + (drop ? " left after dropping rows with missing values"
                    + " (policy DROP); choose MEAN or MEDIAN imputation" : ""));
            trains.add(train);
            tests.add(drop ? testTables.get(s).completeRows() : testTables.get(s));
        }
        return new SplitSites(trains, tests, quality);
    }

    /** Preprocessing fitted on the training rows, the sites' statistics merged in canonical order; then encoded. */
    private static FederatedDataset fitAndEncode(String name, List<String> siteIds, SplitSites split,
                                                 DataOptions options, Map<String, String> checksums) {
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
