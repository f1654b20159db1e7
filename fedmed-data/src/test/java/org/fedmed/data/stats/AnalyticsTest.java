package org.fedmed.data.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;

class AnalyticsTest {

    private static final long S = SmallCells.SUPPRESSED;
    private static final DatasetSchema SCHEMA = DatasetSchema.of(LabelSpec.threshold("y", 0),
            FeatureSpec.numeric("chol"), FeatureSpec.categorical("cp", "a", "b", "c"), FeatureSpec.numeric("age"));
    private static final List<String> IDS = List.of("site-b", "site-a", "site-c", "site-d");

    /** Sites of different sizes, with rare levels and a few missing values, so that small cells occur. */
    private static List<RawTable> sites(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] sizes = {120, 60, 300, 25};
        List<RawTable> out = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            double[][] v = new double[sizes[s]][3];
            double[] y = new double[sizes[s]];
            for (int r = 0; r < sizes[s]; r++) {
                v[r][0] = rng.nextDouble() < 0.03 ? Double.NaN : 200 + 100 * s + 40 * rng.nextGaussian();
                double u = rng.nextDouble();
                v[r][1] = u < 0.02 ? Double.NaN : u < 0.06 ? 2 : u < 0.5 ? 1 : 0;
                v[r][2] = 30 + 50 * rng.nextDouble();
                y[r] = rng.nextDouble() < 0.3 + 0.1 * s ? 1 : 0;
            }
            out.add(new RawTable(IDS.get(s), SCHEMA, v, y));
        }
        return out;
    }

    private static AnalyticsReport report(long seed, AnalyticsOptions options) {
        return Analytics.run("test", IDS, sites(seed), options.withCrossTab("cp"));
    }

    @Test
    void noCountFromOneToKMinusOneIsReleasedAnywhere() {
        for (long seed = 1; seed <= 20; seed++) {
            AnalyticsReport r = report(seed, AnalyticsOptions.defaults().withK(5, Map.of("site-c", 8L)));
            List<SiteAnalytics> all = new ArrayList<>(r.sites());
            all.add(r.pooled());
            for (SiteAnalytics s : all) {
                long k = s.k();
                List<Long> counts = new ArrayList<>();
                counts.add(s.rows());
                Arrays.stream(s.labelCounts()).forEach(counts::add);
                s.columns().forEach(c -> {
                    counts.add(c.present());
                    counts.add(c.missing());
                });
                Arrays.stream(s.crossTab()).flatMapToLong(Arrays::stream).forEach(counts::add);
                for (long c : counts) {
                    assertTrue(c == S || c == 0 || c >= k, s.siteId() + " released " + c + " under k " + k);
                }
            }
            assertEquals(8, r.sites().stream().filter(s -> s.siteId().equals("site-c")).findFirst().orElseThrow().k(),
                    "a site's larger k applies to its cells");
            assertEquals(8, r.pooledK());
        }
    }

    @Test
    void aCellOfKMinusOneIsNotReleasedNorRecoverableByItsSitesLinesOrThePooledTotal() {
        // One site with exactly k - 1 = 4 rows of level 'c' among 100 rows; the other with 50 rows of it.
        double[][] v1 = new double[100][3];
        double[] y1 = new double[100];
        for (int r = 0; r < 100; r++) {
            v1[r] = new double[] {100 + r, r < 4 ? 2 : r % 2, 40};
            y1[r] = r < 4 ? 1 : r % 3 == 0 ? 1 : 0;
        }
        double[][] v2 = new double[100][3];
        double[] y2 = new double[100];
        for (int r = 0; r < 100; r++) {
            v2[r] = new double[] {150 + r, r < 50 ? 2 : 0, 50};
            y2[r] = r % 2;
        }
        List<RawTable> tables = List.of(new RawTable("one", SCHEMA, v1, y1), new RawTable("two", SCHEMA, v2, y2));
        AnalyticsReport r = Analytics.run("test", List.of("one", "two"), tables,
                AnalyticsOptions.defaults().withCrossTab("cp"));
        SiteAnalytics one = r.sites().getFirst();
        assertEquals(S, one.crossTab()[2][1], "the cell of 4 (level c, class 1) is suppressed");
        assertEquals(0, one.crossTab()[2][0], "level c's row holds nothing else to suppress; its total, 4, is"
                + " released nowhere");
        long[][] truth = new long[4][2];
        for (int i = 0; i < 100; i++) {
            truth[(int) v1[i][1]][(int) y1[i]]++;
        }
        for (int c = 0; c < 2; c++) {
            long[] released = new long[4];
            long[] column = new long[4];
            for (int l = 0; l < 4; l++) {
                released[l] = one.crossTab()[l][c];
                column[l] = truth[l][c];
            }
            SmallCellsTest.assertHidden(released, column, 5);
        }
        assertEquals(S, r.pooled().crossTab()[2][1], "pooled level c, class 1 (4 + 25) would give back 4 by"
                + " subtracting site two's released 25");
        assertFalse(Arrays.stream(r.pooled().crossTab()[2]).anyMatch(x -> x == 4));
    }

    @Test
    void pooledQuartilesLieWithinOneHistogramBinOfTheExactPooledOnes() {
        List<RawTable> tables = sites(7);
        int bins = 64;
        AnalyticsReport r = Analytics.run("test", IDS, tables, AnalyticsOptions.defaults()
                .withK(1, Map.of()).withCrossTab(null));
        AnalyticsReport coarse = Analytics.run("test", IDS, tables, new AnalyticsOptions(1, Map.of(), null, bins, null));
        for (int col : new int[] {0, 2}) {
            double[] all = tables.stream().flatMapToDouble(t -> Arrays.stream(t.column(col)))
                    .filter(x -> !Double.isNaN(x)).sorted().toArray();
            double width = (all[all.length - 1] - all[0]) / bins;
            ColumnFigures f = coarse.pooled().columns().get(col);
            double[] approx = {f.q25(), f.median(), f.q75()};
            double[] q = {0.25, 0.5, 0.75};
            for (int i = 0; i < 3; i++) {
                double exact = all[(int) Math.ceil(q[i] * all.length) - 1];
                assertTrue(Math.abs(approx[i] - exact) <= width, "column " + col + " q" + q[i] + ": " + approx[i]
                        + " vs exact " + exact + ", bin width " + width);
            }
            assertTrue(Math.abs(r.pooled().columns().get(col).median() - all[(int) Math.ceil(0.5 * all.length) - 1])
                    <= (all[all.length - 1] - all[0]) / 1024);
        }
    }

    @Test
    void pooledMeanAndDeviationEqualTheExactOnesOverAllRows() {
        List<RawTable> tables = sites(3);
        AnalyticsReport r = Analytics.run("test", IDS, tables, AnalyticsOptions.defaults().withK(1, Map.of()));
        double[] all = tables.stream().flatMapToDouble(t -> Arrays.stream(t.column(2))).toArray();
        double mean = Arrays.stream(all).average().orElseThrow();
        double var = Arrays.stream(all).map(x -> (x - mean) * (x - mean)).sum() / all.length;
        assertEquals(mean, r.pooled().columns().get(2).mean(), 1e-9);
        assertEquals(Math.sqrt(var), r.pooled().columns().get(2).sd(), 1e-9);
    }

    @Test
    void sitesAreReportedInCanonicalOrder() {
        AnalyticsReport r = report(1, AnalyticsOptions.defaults());
        assertEquals(List.of("site-a", "site-b", "site-c", "site-d"), r.sites().stream().map(SiteAnalytics::siteId).toList());
    }

    @Test
    void aSiteWithFewerRowsThanItsKReleasesNothing() {
        var e = assertThrows(IllegalArgumentException.class, () -> report(1,
                AnalyticsOptions.defaults().withK(5, Map.of("site-d", 30L))));
        assertTrue(e.getMessage().contains("site 'site-d' has 25 training rows, fewer than its k 30"), e.getMessage());
    }

    @Test
    void withNoiseCountsChangeAndMeansAreNotReleased() {
        AnalyticsReport plain = report(2, AnalyticsOptions.defaults());
        AnalyticsReport noisy = report(2, AnalyticsOptions.defaults().withNoise(new GaussianCountNoise(0.5, 1e-5, 9)));
        assertTrue(Double.isNaN(noisy.pooled().columns().get(2).mean()));
        assertFalse(Double.isNaN(plain.pooled().columns().get(2).mean()));
        assertTrue(noisy.sites().stream().anyMatch(s -> s.rows() != plain.sites().get(noisy.sites().indexOf(s)).rows()),
                "noise moved at least one site's row count");
        double sigma = new GaussianCountNoise(0.5, 1e-5, 9).sigma(6);
        assertEquals(Math.sqrt(2 * Math.log(1.25 / 1e-5)) * Math.sqrt(6) / 0.5, sigma, 1e-12);
        assertTrue(noisy.toJson().contains("\"epsilon\" : 0.5"), noisy.toJson());
    }

    @Test
    void theJsonShowsSuppressedCountsAsSuppressed() {
        AnalyticsReport r = report(1, AnalyticsOptions.defaults());
        assertTrue(r.toJson().contains("\"suppressed\""));
        assertTrue(r.table().contains("supp"));
    }
}
