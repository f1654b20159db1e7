package org.fedmed.data.federated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;
import org.fedmed.data.TestData;
import org.fedmed.data.csv.CsvLoader;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.StatsMode;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.DefinitionReader;
import org.fedmed.data.definition.FileBase;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.Sha256;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederatedDatasetsTest {

    private static final DatasetSchema SCHEMA = DatasetSchema.of(LabelSpec.mapping("y", Map.of("neg", 0, "pos", 1)),
            FeatureSpec.numeric("x"), FeatureSpec.categorical("g", "a", "b"));

    /** {@link #SCHEMA} as the columns and label of a definition. */
    private static final String COLUMNS = "columns: [{name: x, type: numeric}, {name: g, type: categorical, levels: [a, b]}]\n"
            + "label: {column: y, kind: binary, positive: [pos], negative: [neg]}\n";

    /** A seeded CSV with {@code n} rows; every fifth x is missing when {@code gaps}; labels alternate unless {@code oneClass}. */
    private static String csv(int n, long seed, boolean gaps, boolean oneClass) {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("x,g,y\n");
        for (int i = 0; i < n; i++) {
            String x = gaps && i % 5 == 0 ? "" : String.format("%.3f", 50 + 10 * rng.nextGaussian());
            sb.append(x).append(',').append(rng.nextBoolean() ? "a" : "b").append(',')
                    .append(oneClass || i % 2 == 0 ? "neg" : "pos").append('\n');
        }
        return sb.toString();
    }

    private static RawTable table(String name, String csv) {
        return CsvLoader.load(csv, name, SCHEMA);
    }

    private static FederatedDataset build(List<RawTable> sites, DataOptions opts) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            ids.add("s" + i);
        }
        return FederatedDatasets.build("toy", ids, sites, opts, Map.of());
    }

    @Test
    void buildSplitsEverySiteAndSharesColumns() {
        FederatedDataset fd = build(List.of(table("a.csv", csv(40, 1, true, false)), table("b.csv", csv(80, 2, false, false))),
                DataOptions.defaults("toy"));
        assertEquals(List.of("x", "g=a", "g=b", "x_missing"), fd.featureNames());
        assertEquals(2, fd.classes());
        assertEquals(30, fd.site("s0").train().rows());
        assertEquals(10, fd.site("s0").test().rows());
        assertEquals(60, fd.site("s1").train().rows());
        assertEquals(1 - 8.0 / 80, fd.site("s0").quality(), 1e-12);
        assertEquals(1.0, fd.site("s1").quality());
    }

    @Test
    void federatedStatisticsComeFromTrainingRowsOnly() {
        FederatedDataset fd = build(List.of(table("a.csv", csv(40, 1, false, false)), table("b.csv", csv(80, 2, false, false))),
                DataOptions.defaults("toy"));
        LabeledData train = fd.pooledTrain();
        double sum = 0;
        for (int r = 0; r < train.rows(); r++) {
            sum += train.features()[r * train.cols()];
        }
        assertEquals(0.0, sum / train.rows(), 1e-5, "standardized training column has mean 0 over the federation");
        LabeledData test = fd.pooledTest();
        double testSum = 0;
        for (int r = 0; r < test.rows(); r++) {
            testSum += test.features()[r * test.cols()];
        }
        assertTrue(Math.abs(testSum / test.rows()) > 1e-4, "test rows were not used to fit");
    }

    @Test
    void sameOptionsGiveTheSameFederation() {
        List<RawTable> sites = List.of(table("a.csv", csv(40, 1, true, false)), table("b.csv", csv(50, 2, true, false)));
        DataOptions opts = DataOptions.defaults("toy").withSeed(5);
        FederatedDataset one = build(sites, opts);
        FederatedDataset two = build(sites, opts);
        for (int s = 0; s < 2; s++) {
            assertArrayEquals(one.sites().get(s).train().features(), two.sites().get(s).train().features());
            assertArrayEquals(one.sites().get(s).test().labels(), two.sites().get(s).test().labels());
        }
    }

    @Test
    void emptySiteIsAnErrorNamingTheSite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(List.of(table("a.csv", csv(20, 1, false, false)), table("b.csv", "x,g,y\n")),
                        DataOptions.defaults("toy")));
        assertTrue(e.getMessage().contains("site 's1'") && e.getMessage().contains("no rows"), e.getMessage());
    }

    @Test
    void siteEmptiedByDropPolicyIsAnErrorNamingTheSite() {
        String allGaps = "x,g,y\n,a,neg\n1,,pos\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(List.of(table("a.csv", csv(20, 1, false, false)), table("b.csv", allGaps)),
                        DataOptions.defaults("toy").withMissing(MissingPolicy.DROP, false)));
        assertTrue(e.getMessage().contains("site 's1'") && e.getMessage().contains("DROP"), e.getMessage());
    }

    @Test
    void singleClassTrainingSiteTakesPartWithAWarningNamingTheSite() {
        FederatedDataset fd = build(List.of(table("a.csv", csv(20, 1, false, false)), table("b.csv", csv(20, 2, false, true))),
                DataOptions.defaults("toy"));
        assertEquals(List.of("s0", "s1"), fd.siteIds());
        assertEquals(1, fd.warnings().size(), fd.warnings().toString());
        String w = fd.warnings().getFirst();
        assertTrue(w.startsWith("site 's1': training rows hold only class [0]") && w.contains("takes part"), w);
        assertEquals(List.of(), fd.site("s0").warnings());
    }

    @Test
    void perSiteStatsKeepColumnsIdentical() {
        FederatedDataset fd = build(List.of(table("a.csv", csv(40, 1, true, false)), table("b.csv", csv(40, 2, false, false))),
                DataOptions.defaults("toy").withStatsMode(StatsMode.PER_SITE).withMissing(MissingPolicy.MEDIAN, true));
        assertEquals(fd.site("s0").train().featureNames(), fd.site("s1").train().featureNames());
        assertEquals(4, fd.site("s1").train().cols());
    }

    @Test
    void validationSplitCarvesFromTrainingRowsOnly() {
        FederatedDataset fd = build(List.of(table("a.csv", csv(80, 1, false, false)), table("b.csv", csv(40, 2, false, false))),
                DataOptions.defaults("toy"));
        FederatedDataset tune = fd.validationSplit(0.25, 3);
        for (int s = 0; s < 2; s++) {
            SiteData full = fd.sites().get(s);
            SiteData carved = tune.sites().get(s);
            assertEquals(full.train().rows(), carved.train().rows() + carved.test().rows());
            assertEquals(Math.round(full.train().rows() * 0.25), carved.test().rows(), 1.0);
        }
        assertArrayEquals(tune.sites().get(0).test().features(), fd.validationSplit(0.25, 3).sites().get(0).test().features());
    }

    @Test
    void loadPartitionsASingleFileDatasetFromTheRegistry(@TempDir Path root) {
        Path file = TestData.write(root.resolve("toy"), "toy.csv", csv(200, 9, true, false).strip().split("\n"));
        DatasetDefinition entry = DefinitionReader.parse("name: toy\n" + COLUMNS
                + "sites: {file: toy.csv, sha256: " + Sha256.of(file) + "}\n", "toy.yaml", new FileBase.DataRoots("toy"));
        DatasetRegistry reg = new DatasetRegistry(List.of(root), List.of(entry));
        FederatedDataset fd = FederatedDatasets.load(reg,
                DataOptions.defaults("toy").withSites(3).withPartitioner(PartitionerKind.QUANTITY, 2.0));
        assertEquals(List.of("site-0", "site-1", "site-2"), fd.siteIds());
        assertEquals(200, fd.sites().stream().mapToInt(s -> s.train().rows() + s.test().rows()).sum());
        assertEquals(Map.of("toy.csv", Sha256.of(file)), fd.checksums());
    }

    @Test
    void loadUsesNaturalSitesFromTheRegistry(@TempDir Path root) {
        Path a = TestData.write(root.resolve("two"), "a.csv", csv(30, 1, false, false).strip().split("\n"));
        Path b = TestData.write(root.resolve("two"), "b.csv", csv(50, 2, false, false).strip().split("\n"));
        DatasetDefinition entry = DefinitionReader.parse("name: two\n" + COLUMNS
                + "sites:\n  - {id: alpha, file: a.csv, sha256: " + Sha256.of(a) + "}\n"
                + "  - {id: beta, file: b.csv, sha256: " + Sha256.of(b) + "}\n", "two.yaml", new FileBase.DataRoots("two"));
        FederatedDataset fd = FederatedDatasets.load(new DatasetRegistry(List.of(root), List.of(entry)),
                DataOptions.defaults("two").withSites(9));
        assertEquals(List.of("alpha", "beta"), fd.siteIds());
        assertEquals(50, fd.site("beta").train().rows() + fd.site("beta").test().rows());
    }

    @Test
    void regressionLabelsSkipClassChecksAndKeepTargets() {
        DatasetSchema reg = DatasetSchema.of(LabelSpec.regression("t"), FeatureSpec.numeric("x"));
        StringBuilder sb = new StringBuilder("x,t\n");
        for (int i = 0; i < 20; i++) {
            sb.append(i).append(',').append(2.5 * i).append('\n');
        }
        RawTable t = CsvLoader.load(sb.toString(), "r.csv", reg);
        FederatedDataset fd = FederatedDatasets.build("r", List.of("only"), List.of(t),
                DataOptions.defaults("r").withStandardize(false), Map.of());
        assertEquals(0, fd.classes());
        SiteData s = fd.site("only");
        assertEquals(15, s.train().rows());
        float[] x = s.train().features();
        for (int r = 0; r < s.train().rows(); r++) {
            assertEquals(2.5f * x[r], s.train().labels()[r], 1e-5);
        }
    }

    @Test
    void badOptionsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataOptions.defaults("toy").withTestFraction(1.5));
        assertTrue(e.getMessage().contains("'testFraction'"), e.getMessage());
    }
}
