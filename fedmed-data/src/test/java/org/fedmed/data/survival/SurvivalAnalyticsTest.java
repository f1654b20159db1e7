package org.fedmed.data.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.definition.LabelRule;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.fedmed.data.stats.AnalyticsOptions;
import org.junit.jupiter.api.Test;

/**
 * Survival analytics from sites' released counts equals the Kaplan-Meier curve and the log-rank statistic computed
 * directly on the pooled rows (of the sites that released) with every time moved to the start of its pooled bin, a
 * computation that shares no code with the federated one; a tiny site releases nothing and a sparse one merges bins.
 */
class SurvivalAnalyticsTest {

    static final LabelRule LABEL = new LabelRule.Survival("months", "status", List.of("1"), List.of("0"));
    static final DatasetSchema SCHEMA = DatasetSchema.of(LabelSpec.regression("months"), FeatureSpec.numeric("age"),
            FeatureSpec.categorical("arm", "a", "b"));
    static final TimeBins BINS = TimeBins.uniform(6, 10);

    /** A site of {@code n} rows: exponential times (shorter with age), uniform censoring, one arm each. */
    static RawTable site(String name, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] v = new double[n][];
        double[] t = new double[n];
        boolean[] e = new boolean[n];
        for (int r = 0; r < n; r++) {
            double age = 40 + 40 * rng.nextDouble();
            int arm = rng.nextInt(2);
            double hazard = 0.02 * Math.exp(0.03 * (age - 60) + 0.5 * arm);
            double event = -Math.log(1 - rng.nextDouble()) / hazard;
            double censor = 80 * rng.nextDouble();
            v[r] = new double[] {age, r % 17 == 0 ? Double.NaN : arm};
            t[r] = Math.floor(Math.min(event, censor) * 10) / 10;
            e[r] = event <= censor;
        }
        return new RawTable(name, SCHEMA, v, t, e);
    }

    static final List<String> IDS = List.of("north", "south", "west");
    static final List<RawTable> TRAINS = List.of(site("north", 400, 1), site("south", 150, 2), site("west", 60, 3));
    static final AnalyticsOptions OPTIONS = AnalyticsOptions.defaults();

    /** Independent Kaplan-Meier: each row's time moved to its pooled bin's start, then the textbook product. */
    private static double[][] kaplanMeier(List<double[]> rows, TimeBins pooled) {
        int m = pooled.count();
        double[] s = new double[m];
        double[] var = new double[m];
        double surv = 1;
        double g = 0;
        for (int i = 0; i < m; i++) {
            double start = pooled.edge(i);
            int atRisk = 0;
            int events = 0;
            for (double[] r : rows) {
                double moved = moved(r[0], pooled);
                if (moved >= start) {
                    atRisk++;
                }
                if (moved == start && r[1] == 1 && r[0] < pooled.end()) {
                    events++;
                }
            }
            if (atRisk > 0) {
                surv *= 1 - (double) events / atRisk;
                if (atRisk > events) {
                    g += (double) events / ((double) atRisk * (atRisk - events));
                }
            }
            s[i] = surv;
            var[i] = surv * surv * g;
        }
        return new double[][] {s, var};
    }

    /** The start of the pooled bin holding t; a time at or after the last edge moves to the last bin's start. */
    private static double moved(double t, TimeBins pooled) {
        double start = pooled.edge(0);
        for (int i = 0; i < pooled.count(); i++) {
            if (t >= pooled.edge(i)) {
                start = pooled.edge(i);
            }
        }
        return start;
    }

    /** {time, event, group} rows of the sites named, group 0 for age < 60, 1 otherwise. */
    private static List<double[]> rowsOf(List<String> sites) {
        List<double[]> out = new ArrayList<>();
        for (int s = 0; s < IDS.size(); s++) {
            if (sites.contains(IDS.get(s))) {
                RawTable t = TRAINS.get(s);
                for (int r = 0; r < t.rows(); r++) {
                    out.add(new double[] {t.labels()[r], t.events()[r] ? 1 : 0, t.values()[r][0] < 60 ? 0 : 1});
                }
            }
        }
        return out;
    }

    @Test
    void theFederatedCurveEqualsKaplanMeierOnThePooledRowsOnTheSameBins() {
        SurvivalQuery query = new SurvivalQuery("months", "status", new SurvivalGrouping.None(), BINS);
        SurvivalReport report = SurvivalAnalytics.run("trial", LABEL, IDS, TRAINS, query, OPTIONS,
                SurvivalEstimator.KAPLAN_MEIER, 0.95);
        KaplanMeier km = report.curve(SurvivalRelease.ALL).orElseThrow();
        assertEquals(IDS, km.sites());
        assertTrue(km.count() >= 3, "the pooled bins keep some resolution: " + km.bins());
        double[][] direct = kaplanMeier(rowsOf(IDS), km.bins());
        for (int i = 0; i < km.count(); i++) {
            assertEquals(direct[0][i], km.survival()[i], 1e-12, "survival in bin " + i);
            assertEquals(direct[1][i], km.variance()[i], 1e-12, "Greenwood variance in bin " + i);
        }
        long rows = TRAINS.stream().mapToLong(RawTable::rows).sum();
        assertEquals(rows, km.atRisk()[0]);
    }

    @Test
    void theLogRankStatisticEqualsThePooledComputation() {
        SurvivalQuery query = new SurvivalQuery("months", "status", new SurvivalGrouping.ByThreshold("age", 60), BINS);
        SurvivalReport report = SurvivalAnalytics.run("trial", LABEL, IDS, TRAINS, query, OPTIONS,
                SurvivalEstimator.KAPLAN_MEIER, 0.95);
        LogRankTest test = report.logRank().orElseThrow();
        assertEquals(List.of("age < 60", "age >= 60"), List.of(test.firstGroup(), test.secondGroup()));
        List<double[]> rows = rowsOf(test.sites());
        TimeBins bins = test.bins();
        double o1 = 0;
        double e1 = 0;
        double v = 0;
        for (int i = 0; i < bins.count(); i++) {
            double start = bins.edge(i);
            double[] n = new double[2];
            double[] d = new double[2];
            for (double[] r : rows) {
                double t = moved(r[0], bins);
                int g = (int) r[2];
                n[g] += t >= start ? 1 : 0;
                d[g] += t == start && r[1] == 1 && r[0] < bins.end() ? 1 : 0;
            }
            double nn = n[0] + n[1];
            double dd = d[0] + d[1];
            o1 += d[0];
            if (nn > 0) {
                e1 += dd * n[0] / nn;
            }
            if (nn > 1) {
                v += dd * (n[0] / nn) * (n[1] / nn) * (nn - dd) / (nn - 1);
            }
        }
        assertEquals(o1, test.observedFirst());
        assertEquals(e1, test.expectedFirst(), 1e-9);
        assertEquals((o1 - e1) * (o1 - e1) / v, test.chiSquare(), 1e-9);
        assertTrue(test.chiSquare() > 3.84, "age shortens survival in these data: " + test.chiSquare());

        KaplanMeier all = report.curve(SurvivalRelease.ALL).orElseThrow();
        double[][] direct = kaplanMeier(rowsOf(all.sites()), all.bins());
        for (int i = 0; i < all.count(); i++) {
            assertEquals(direct[0][i], all.survival()[i], 1e-12, "overall curve of both groups, bin " + i);
        }
        assertTrue(report.curve("age < 60").isPresent() && report.curve("age >= 60").isPresent());
    }

    @Test
    void aTinySiteReleasesNothingAndASparseOneMergesItsBins() throws Exception {
        RawTable tiny = site("clinic", 4, 9);
        RawTable sparse = site("hamlet", 30, 10);
        SurvivalQuery query = new SurvivalQuery("months", "status", new SurvivalGrouping.None(), BINS);
        SurvivalReport report = SurvivalAnalytics.run("trial", LABEL, List.of("north", "clinic", "hamlet"),
                List.of(TRAINS.getFirst(), tiny, sparse), query, OPTIONS, SurvivalEstimator.KAPLAN_MEIER, 0.95);
        SurvivalRelease clinic = report.releases().stream().filter(r -> r.siteId().equals("clinic")).findFirst()
                .orElseThrow();
        SurvivalRelease.Withheld w = assertInstanceOf(SurvivalRelease.Withheld.class, clinic);
        assertEquals("the group has fewer than k = 5 rows", w.reason());
        SurvivalCounts hamlet = report.releases().stream().filter(r -> r.siteId().equals("hamlet"))
                .map(SurvivalCounts.class::cast).findFirst().orElseThrow();
        assertTrue(hamlet.count() < BINS.count(), "merged: " + hamlet);
        KaplanMeier km = report.curve(SurvivalRelease.ALL).orElseThrow();
        assertEquals(List.of("clinic"), km.withheld());
        assertEquals(TRAINS.getFirst().rows() + 30, km.atRisk()[0], "the tiny site is not pooled");

        JsonNode root = new ObjectMapper().readTree(report.toJson());
        for (JsonNode site : root.get("sites")) {
            for (String key : List.of("at_risk", "events", "censored")) {
                if (site.has(key)) {
                    for (JsonNode c : site.get(key)) {
                        assertTrue(c.asLong() == 0 || c.asLong() >= 5, site.get("site") + " " + key + " " + c);
                    }
                }
            }
        }
        assertEquals("clinic", root.get("sites").get(0).get("site").asText(), "sites in canonical order");
        assertEquals(false, root.get("sites").get(0).get("released").asBoolean());
    }

    @Test
    void aSiteWithALargerKMergesMoreAndSaysSo() {
        SurvivalQuery query = new SurvivalQuery("months", "status", new SurvivalGrouping.None(), BINS);
        SurvivalReport report = SurvivalAnalytics.run("trial", LABEL, IDS, TRAINS, query,
                OPTIONS.withK(5, Map.of("west", 20L)), SurvivalEstimator.KAPLAN_MEIER, 0.95);
        SurvivalCounts west = (SurvivalCounts) report.releases().get(2);
        assertEquals(20, west.k());
        for (long c : west.events()) {
            assertTrue(c == 0 || c >= 20, "west's events " + java.util.Arrays.toString(west.events()));
        }
    }

    @Test
    void aRequestForOtherColumnsThanTheSurvivalLabelIsRefusedNamingBoth() {
        SurvivalQuery query = new SurvivalQuery("days", "status", new SurvivalGrouping.None(), BINS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SiteSurvival.release("north",
                LABEL, TRAINS.getFirst(), query, 5));
        assertEquals("site 'north': the request names time 'days' and event 'status', but the dataset's survival"
                + " label is time 'months', event 'status'", e.getMessage());
    }

    @Test
    void aLevelNamedLikeTheOverallCurveIsRefusedNamingTheColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SurvivalGrouping.ByLevels("arm", "all", "b"));
        assertEquals("survival grouping by 'arm': a level may not be named 'all', the name of the curve over both"
                + " groups", e.getMessage());
    }

    @Test
    void groupsByLevelsLeaveRowsWithAMissingLevelOut() {
        SurvivalQuery query = new SurvivalQuery("months", "status", new SurvivalGrouping.ByLevels("arm", "a", "b"),
                BINS);
        List<SurvivalRelease> r = SiteSurvival.release("north", LABEL, TRAINS.getFirst(), query, 1);
        long missing = 0;
        for (double[] row : TRAINS.getFirst().values()) {
            missing += Double.isNaN(row[1]) ? 1 : 0;
        }
        long released = ((SurvivalCounts) r.get(0)).rows() + ((SurvivalCounts) r.get(1)).rows();
        assertEquals(TRAINS.getFirst().rows() - missing, released);
        assertEquals(List.of("a", "b"), r.stream().map(SurvivalRelease::group).toList());
    }
}
