package org.fedmed.data.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;
import org.fedmed.data.TestData;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.prep.Clipping;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.registry.DatasetRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Populations of virtual sites: ids, regions, and each site's data built lazily and reproducibly. */
class PopulationTest {

    private static final DatasetRegistry NO_ROOTS = new DatasetRegistry(List.of());

    /** A three-class definition over two files of 60 rows each; a seventh of the 'a' values missing. */
    static String cohort(Path dir) {
        for (String site : List.of("north", "south")) {
            SplittableRandom rng = new SplittableRandom(site.equals("north") ? 1 : 2);
            List<String> lines = new ArrayList<>(List.of("a,b,y"));
            for (int i = 0; i < 60; i++) {
                String a = i % 7 == 0 ? "?" : String.format("%.2f", 10 + 3 * rng.nextGaussian() + i % 3);
                lines.add(a + "," + String.format("%.2f", rng.nextGaussian()) + "," + "pqr".charAt(i % 3));
            }
            TestData.write(dir, site + ".csv", lines.toArray(new String[0]));
        }
        return TestData.write(dir, "cohort.yaml", """
                name: cohort
                columns:
                  - {name: a, type: numeric, missing: ["?"]}
                  - {name: b, type: numeric}
                label: {column: y, kind: multiclass, levels: [p, q, r]}
                sites: [{id: north, file: north.csv}, {id: south, file: south.csv}]
                """).toString();
    }

    private static void assertSameData(SiteData expected, SiteData actual) {
        assertEquals(expected.siteId(), actual.siteId());
        assertSameRows(expected.train(), actual.train());
        assertSameRows(expected.test(), actual.test());
        assertEquals(expected.quality(), actual.quality());
    }

    private static void assertSameRows(LabeledData expected, LabeledData actual) {
        assertEquals(expected.rows(), actual.rows());
        assertArrayEquals(expected.features(), actual.features());
        assertArrayEquals(expected.labels(), actual.labels());
        assertEquals(expected.featureNames(), actual.featureNames());
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void aVirtualSitesDataIsIdenticalBuiltAloneInAnotherOrderOrAfterOthersFromASerializedSpec(@TempDir Path dir)
            throws Exception {
        PopulationSpec spec = PopulationSpec.of(SiteGenerator.FromDataset.dirichlet(cohort(dir), 0.5,
                RowCount.logNormal(20, 0.6, 4, 80)), 1_000_000, 11);
        SiteData alone = Population.open(spec, NO_ROOTS).site(123_456);

        BasePool.forget();
        Population again = Population.open(roundTrip(spec), NO_ROOTS);
        List<SiteData> others = new ArrayList<>();
        for (long i = 123_470; i > 123_440; i--) {
            others.add(again.site(i));
        }
        assertSameData(alone, others.get(123_470 - 123_456));
        assertSameData(alone, again.site(123_456));
        SiteData otherSeed = Population.open(spec.withSeed(12), NO_ROOTS).site(123_456);
        assertTrue(otherSeed.train().rows() != alone.train().rows()
                        || !java.util.Arrays.equals(otherSeed.train().features(), alone.train().features()),
                "control: another run seed draws another site");
    }

    @Test
    void aSerializedSpecReadsBackEqualWithItsPreprocessing() throws Exception {
        PopulationSpec spec = PopulationSpec.of(SiteGenerator.Wearable.defaults(), 5000, 3)
                .withRegions(7, RegionRule.STRIDE).withTestFraction(0.3)
                .withPreprocessing(PreprocessOptions.defaults().withClip(new Clipping.AtQuantiles(0.01, 0.99)));
        assertEquals(spec, roundTrip(spec));
    }

    @Test
    void siteIdsArePaddedSortAsTheirIndicesAndMapBack() {
        Population p = Population.open(PopulationSpec.of(SiteGenerator.Wearable.defaults(), 1_000_000, 1), NO_ROOTS);
        assertEquals("site-000000", p.siteId(0));
        assertEquals("site-000042", p.siteId(42));
        assertEquals("site-999999", p.siteId(999_999));
        assertEquals(42, p.index("site-000042"));
        assertTrue(p.siteId(99_999).compareTo(p.siteId(100_000)) < 0);
        assertThrows(IllegalArgumentException.class, () -> p.index("site-42"));
        assertThrows(IllegalArgumentException.class, () -> p.index("site-1000000"));
        assertThrows(IllegalArgumentException.class, () -> p.siteId(1_000_000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.index("x-000001"));
        assertTrue(e.getMessage().contains("site-000000 to site-999999"), e.getMessage());
    }

    @Test
    void regionsAreContiguousBlocksOrARoundRobin() {
        PopulationSpec spec = PopulationSpec.of(SiteGenerator.Wearable.defaults(), 10, 1);
        Population blocks = Population.open(spec.withRegions(3, RegionRule.BLOCKS), NO_ROOTS);
        Population stride = Population.open(spec.withRegions(3, RegionRule.STRIDE), NO_ROOTS);
        int[] b = new int[10];
        int[] s = new int[10];
        for (int i = 0; i < 10; i++) {
            b[i] = blocks.regionIndex(i);
            s[i] = stride.regionIndex(i);
        }
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 2, 2, 2}, b);
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, s);
        assertEquals("region-2", blocks.region(9));
    }

    @Test
    void fixedRowCountsHoldOutTheTestFractionOfEverySite(@TempDir Path dir) {
        Population p = Population.open(PopulationSpec.of(SiteGenerator.FromDataset.iid(cohort(dir), RowCount.fixed(20)),
                1000, 5), NO_ROOTS);
        for (long i = 0; i < 50; i++) {
            SiteData s = p.site(i);
            assertEquals(15, s.train().rows(), "site " + i);
            assertEquals(5, s.test().rows(), "site " + i);
        }
        assertEquals(List.of("a", "b", "a_missing"), p.featureNames());
        assertEquals(3, p.classes());
    }

    @Test
    void oneClassPerSiteGivesSiteIOnlyClassIModClasses(@TempDir Path dir) {
        Population p = Population.open(PopulationSpec.of(SiteGenerator.FromDataset.classes(cohort(dir), 1,
                RowCount.fixed(12)), 300, 5), NO_ROOTS);
        for (long i = 0; i < 30; i++) {
            SiteData s = p.site(i);
            for (float y : s.train().labels()) {
                assertEquals(i % 3, (int) y, "site " + i);
            }
            for (float y : s.test().labels()) {
                assertEquals(i % 3, (int) y, "site " + i);
            }
        }
    }

    @Test
    void smallDirichletAlphaConcentratesEachSiteOnFewerClassesThanIid(@TempDir Path dir) {
        String def = cohort(dir);
        double skewed = meanTopShare(Population.open(PopulationSpec.of(SiteGenerator.FromDataset.dirichlet(def, 0.1,
                RowCount.fixed(40)), 10_000, 8), NO_ROOTS));
        double iid = meanTopShare(Population.open(PopulationSpec.of(SiteGenerator.FromDataset.iid(def,
                RowCount.fixed(40)), 10_000, 8), NO_ROOTS));
        assertTrue(skewed > 0.85, "Dirichlet(0.1): mean top-class share " + skewed);
        assertTrue(iid < 0.55, "IID: mean top-class share " + iid);
    }

    private static double meanTopShare(Population p) {
        double sum = 0;
        for (long i = 0; i < 200; i++) {
            int[] counts = new int[3];
            for (float y : p.site(i * 37).train().labels()) {
                counts[(int) y]++;
            }
            sum += (double) Math.max(counts[0], Math.max(counts[1], counts[2])) / p.site(i * 37).train().rows();
        }
        return sum / 200;
    }

    @Test
    void quantitySkewSpreadsRowCountsWithinTheirBounds(@TempDir Path dir) {
        Population p = Population.open(PopulationSpec.of(SiteGenerator.FromDataset.quantity(cohort(dir),
                RowCount.logNormal(20, 1.0, 5, 200)), 100_000, 2), NO_ROOTS);
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (long i = 0; i < 300; i++) {
            SiteData s = p.site(i);
            int n = s.train().rows() + s.test().rows();
            min = Math.min(min, n);
            max = Math.max(max, n);
        }
        assertTrue(min >= 5 && min < 10, "smallest site " + min);
        assertTrue(max > 60 && max <= 200, "largest site " + max);
        assertThrows(IllegalArgumentException.class,
                () -> SiteGenerator.FromDataset.quantity("x", RowCount.fixed(20)));
    }

    @Test
    void wearableDevicesShiftFeaturesAndAreReproducible() {
        PopulationSpec spec = PopulationSpec.of(SiteGenerator.Wearable.defaults(), 1_000_000, 4);
        SiteData a = Population.open(spec, NO_ROOTS).site(999_999);
        assertSameData(a, Population.open(spec, NO_ROOTS).site(999_999));
        assertEquals(8, a.train().cols());
        // device shift 0.5: two devices' feature means differ far more than the noise of a mean over ~40 rows allows
        SiteGenerator.Wearable noShift = new SiteGenerator.Wearable(8, 2, 0.0, 0.0, 1.0, 1.0, RowCount.fixed(400));
        SiteGenerator.Wearable shift = new SiteGenerator.Wearable(8, 2, 0.0, 3.0, 1.0, 1.0, RowCount.fixed(400));
        assertTrue(meanGap(Population.open(PopulationSpec.of(shift, 100, 4), NO_ROOTS)) > 1.0);
        assertTrue(meanGap(Population.open(PopulationSpec.of(noShift, 100, 4), NO_ROOTS)) < 0.3);
    }

    private static double meanGap(Population p) {
        LabeledData a = p.site(0).train();
        LabeledData b = p.site(1).train();
        double gap = 0;
        for (int j = 0; j < a.cols(); j++) {
            gap += Math.abs(columnMean(a, j) - columnMean(b, j));
        }
        return gap / a.cols();
    }

    private static double columnMean(LabeledData d, int j) {
        double s = 0;
        for (int i = 0; i < d.rows(); i++) {
            s += d.features()[i * d.cols() + j];
        }
        return s / d.rows();
    }

    @Test
    void aMixTheDatasetCannotGiveIsRefusedNamingTheField(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Population.open(
                PopulationSpec.of(SiteGenerator.FromDataset.classes(cohort(dir), 4, RowCount.fixed(10)), 10, 1), NO_ROOTS));
        assertTrue(e.getMessage().contains("'classesPerSite' is 4") && e.getMessage().contains("only 3 classes"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PopulationSpec.of(SiteGenerator.Wearable.defaults(), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> PopulationSpec.of(SiteGenerator.Wearable.defaults(), 5, 1)
                .withRegions(6, RegionRule.BLOCKS));
    }
}
