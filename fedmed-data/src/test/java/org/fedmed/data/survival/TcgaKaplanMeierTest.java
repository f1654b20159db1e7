package org.fedmed.data.survival;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kaplan-Meier and log-rank by federated analytics over TCGA-BRCA's six regions ({@code $FEDMED_DATA/tcga-brca}:
 * the training rows of each region as {@code train_test_split.csv}'s {@code fold2} assigns them, E and T the last two
 * columns of {@code brca.csv}), on yearly bins over ten years with k = 5. Fails when the data are missing.
 */
class TcgaKaplanMeierTest {

    private static final double YEAR = 365.25;

    record Rows(double[] t, boolean[] e, int[] older) {
    }

    /** Each region's training rows: time, event, and age at diagnosis of 65 or more. */
    private static List<Rows> regions() {
        String root = System.getenv("FEDMED_DATA");
        if (root == null || root.isBlank()) {
            return fail("needs dataset tcga-brca (brca.csv, train_test_split.csv) in FEDMED_DATA: it is not set");
        }
        Path dir = Path.of(root).resolve("tcga-brca");
        try {
            Map<String, Integer> site = new HashMap<>();
            for (String line : Files.readAllLines(dir.resolve("train_test_split.csv"), StandardCharsets.UTF_8)
                    .subList(1, 1089)) {
                String[] f = line.split(",", -1);
                if (f[2].startsWith("train_")) {
                    site.put(f[0], Integer.parseInt(f[2].substring(6)));
                }
            }
            List<List<double[]>> rows = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                rows.add(new ArrayList<>());
            }
            List<String> brca = Files.readAllLines(dir.resolve("brca.csv"), StandardCharsets.UTF_8);
            for (String line : brca.subList(1, brca.size())) {
                String[] f = line.split(",", -1);
                Integer k = site.get(f[0]);
                if (k != null) {
                    rows.get(k).add(new double[] {Double.parseDouble(f[f.length - 1]),
                            Double.parseDouble(f[f.length - 2]), Double.parseDouble(f[1])});
                }
            }
            List<Rows> out = new ArrayList<>();
            for (List<double[]> r : rows) {
                double[] t = new double[r.size()];
                boolean[] e = new boolean[r.size()];
                int[] older = new int[r.size()];
                for (int i = 0; i < r.size(); i++) {
                    t[i] = r.get(i)[0];
                    e[i] = r.get(i)[1] == 1.0;
                    older[i] = r.get(i)[2] >= 65 ? 1 : 0;
                }
                out.add(new Rows(t, e, older));
            }
            return out;
        } catch (IOException | IndexOutOfBoundsException e) {
            return fail("needs dataset tcga-brca (brca.csv, train_test_split.csv) in FEDMED_DATA: cannot read " + dir
                    + ": " + e);
        }
    }

    @Test
    void survivalOverTheRegionsFromFederatedCountsEqualsThePooledCurveOfTheSitesReleasedOnTheSameBins() {
        List<Rows> regions = regions();
        TimeBins bins = TimeBins.uniform(YEAR, 10);
        int n = 0;
        for (Rows r : regions) {
            n += r.t().length;
        }
        assertEquals(866, n);
        // all six regions: Canada (40 rows, 2 events) releases nothing; Europe's 7 events allow one bin only, so the
        // bins every region kept are one: ten years
        KaplanMeier six = curve("all six regions", regions, List.of(0, 1, 2, 3, 4, 5), bins);
        assertEquals(List.of("region-5"), six.withheld());
        assertEquals(1, six.count());
        // the four US regions keep finer bins
        KaplanMeier us = curve("the four US regions", regions, List.of(0, 1, 2, 3), bins);
        assertTrue(us.count() >= 2, us.toString());
        assertTrue(us.survival()[us.count() - 1] > 0.3 && us.survival()[0] < 1, us.toString());

        List<SurvivalRelease> younger = new ArrayList<>();
        List<SurvivalRelease> older = new ArrayList<>();
        for (int k = 0; k < regions.size(); k++) {
            Rows r = regions.get(k);
            List<SurvivalRelease> g = SurvivalRelease.byGroup("region-" + k, r.t(), r.e(), r.older(),
                    List.of("under 65", "65 or older"), bins, 5);
            younger.add(g.get(0));
            older.add(g.get(1));
        }
        LogRankTest lr = LogRankTest.of(younger, older);
        System.out.printf(Locale.ROOT, "TCGA-BRCA log-rank, age under 65 vs 65 or older, over %s (withheld %s),"
                        + " bins (years) %s: O1 %d, E1 %.2f, O2 %d, E2 %.2f, chi-square %.3f, p %.3g%n", lr.sites(),
                lr.withheld(), years(lr.bins().edges()), lr.observedFirst(), lr.expectedFirst(), lr.observedSecond(),
                lr.expectedSecond(), lr.chiSquare(), lr.pValue());
        assertTrue(lr.chiSquare() > 0 && lr.pValue() < 1, lr.toString());
    }

    /** The federated curve over the given regions, checked against the pooled rows of the regions it pools. */
    private static KaplanMeier curve(String what, List<Rows> regions, List<Integer> which, TimeBins bins) {
        List<SurvivalRelease> releases = new ArrayList<>();
        for (int k : which) {
            Rows r = regions.get(k);
            releases.add(SurvivalRelease.of("region-" + k, SurvivalRelease.ALL, r.t(), r.e(), bins, 5));
        }
        KaplanMeier km = KaplanMeier.of(releases);
        KaplanMeier lt = KaplanMeier.of(PooledSurvivalCounts.pool(releases), SurvivalEstimator.ACTUARIAL, 0.95);
        System.out.printf(Locale.ROOT, "TCGA-BRCA Kaplan-Meier over %s %s (withheld %s): edges (years) %s, at risk %s,"
                        + " events %s, censored %s, survival %s, 95%% band %s to %s; actuarial %s%n", what, km.sites(),
                km.withheld(), years(km.bins().edges()), Arrays.toString(km.atRisk()), Arrays.toString(km.events()),
                Arrays.toString(km.censored()), Arrays.toString(round(km.survival())),
                Arrays.toString(round(km.lower())), Arrays.toString(round(km.upper())),
                Arrays.toString(round(lt.survival())));
        List<Double> t = new ArrayList<>();
        List<Boolean> e = new ArrayList<>();
        for (int k : which) {
            if (km.sites().contains("region-" + k)) {
                Rows r = regions.get(k);
                for (int i = 0; i < r.t().length; i++) {
                    t.add(r.t()[i]);
                    e.add(r.e()[i]);
                }
            }
        }
        boolean[] ev = new boolean[e.size()];
        for (int i = 0; i < ev.length; i++) {
            ev[i] = e.get(i);
        }
        KaplanMeier pooled = KaplanMeier.of(List.of(SurvivalRelease.of("pooled", SurvivalRelease.ALL,
                t.stream().mapToDouble(Double::doubleValue).toArray(), ev, km.bins(), 1)));
        assertArrayEquals(pooled.survival(), km.survival(), what);
        assertArrayEquals(pooled.variance(), km.variance(), what);
        return km;
    }

    private static String years(double[] edges) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < edges.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", edges[i] / YEAR));
        }
        return b.append(']').toString();
    }

    private static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 1000) / 1000.0;
        }
        return r;
    }
}
