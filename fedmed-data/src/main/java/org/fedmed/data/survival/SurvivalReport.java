package org.fedmed.data.survival;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The result of survival analytics over a federation, computed by the server from the sites' releases alone: each
 * site's release per group (its counts on the bins it kept, or that it withheld them and why), the pooled
 * Kaplan-Meier (or actuarial) curve with Greenwood's variance and band overall and per group, and the log-rank test
 * between the two groups. With groups, the overall curve pools both groups of the sites that released both (sites
 * release no count over all of their rows then; see {@link SurvivalGrouping}). A curve or test no site's counts allow
 * is absent, with the reason in {@link #notes()}. As a table for a terminal ({@link #table()}) and as JSON
 * ({@link #toJson()}, NaN as null).
 *
 * @param k        the federation's k (a site may apply a larger one; each release names its own)
 * @param releases every site's releases, sites in canonical order, groups in {@link SurvivalQuery#groups()} order
 * @param curves   the pooled curves: {@code all} first, then one per group that has one
 * @param notes    why a curve or the test is absent
 */
public record SurvivalReport(String dataset, SurvivalQuery query, long k, SurvivalEstimator estimator,
                             double confidence, List<SurvivalRelease> releases, List<Curve> curves,
                             Optional<LogRankTest> logRank, List<String> notes) {

    /** One pooled curve and the group it describes. */
    public record Curve(String group, KaplanMeier curve) {
    }

    public SurvivalReport {
        releases = List.copyOf(releases);
        curves = List.copyOf(curves);
        notes = List.copyOf(notes);
    }

    /**
     * The report of the sites' {@code releases} (sites in canonical order, each site's groups in the query's order).
     *
     * @throws IllegalArgumentException if the releases were counted on bins other than the query's, or name a group
     *                                  the query does not
     */
    public static SurvivalReport of(String dataset, SurvivalQuery query, long k, SurvivalEstimator estimator,
                                    double confidence, List<SurvivalRelease> releases) {
        List<String> groups = query.groups();
        for (SurvivalRelease r : releases) {
            if (!groups.contains(r.group())) {
                throw new IllegalArgumentException("site '" + r.siteId() + "' released group '" + r.group()
                        + "'; the request asked for " + groups);
            }
            if (r instanceof SurvivalCounts c && !c.bins().equals(query.bins())) {
                throw new IllegalArgumentException("site '" + r.siteId() + "' counted on " + c.bins()
                        + "; the request's bins are " + query.bins());
            }
        }
        List<Curve> curves = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Optional<LogRankTest> logRank = Optional.empty();
        if (!query.grouped()) {
            curve(SurvivalRelease.ALL, releases, estimator, confidence, curves, notes);
        } else {
            List<SurvivalRelease> first = ofGroup(releases, groups.get(0));
            List<SurvivalRelease> second = ofGroup(releases, groups.get(1));
            List<String> withheld = PooledSurvivalCounts.withheldSites(first);
            PooledSurvivalCounts.withheldSites(second).stream().filter(s -> !withheld.contains(s))
                    .forEach(withheld::add);
            List<SurvivalCounts> both = new ArrayList<>();
            for (SurvivalRelease r : releases) {
                if (r instanceof SurvivalCounts c && !withheld.contains(c.siteId())) {
                    both.add(c);
                }
            }
            if (both.isEmpty()) {
                notes.add("no overall curve: no site released counts for both groups (withheld: " + withheld + ")");
            } else {
                PooledSurvivalCounts pooled = PooledSurvivalCounts.poolOn(both,
                        PooledSurvivalCounts.commonStarts(both), withheld);
                curves.add(new Curve(SurvivalRelease.ALL, KaplanMeier.of(pooled, estimator, confidence)));
            }
            curve(groups.get(0), first, estimator, confidence, curves, notes);
            curve(groups.get(1), second, estimator, confidence, curves, notes);
            try {
                logRank = Optional.of(LogRankTest.of(first, second));
            } catch (IllegalArgumentException e) {
                notes.add("no log-rank test: " + e.getMessage());
            }
        }
        return new SurvivalReport(dataset, query, k, estimator, confidence, releases, curves, logRank, notes);
    }

    private static List<SurvivalRelease> ofGroup(List<SurvivalRelease> releases, String group) {
        return releases.stream().filter(r -> r.group().equals(group)).toList();
    }

    private static void curve(String group, List<SurvivalRelease> releases, SurvivalEstimator estimator,
                              double confidence, List<Curve> curves, List<String> notes) {
        List<SurvivalRelease> of = ofGroup(releases, group);
        if (of.stream().noneMatch(r -> r instanceof SurvivalCounts)) {
            notes.add("no curve for group '" + group + "': no site released counts for it (withheld: "
                    + PooledSurvivalCounts.withheldSites(of) + ")");
            return;
        }
        curves.add(new Curve(group, KaplanMeier.of(PooledSurvivalCounts.pool(of), estimator, confidence)));
    }

    /** The curve of {@code group}, if there is one. */
    public Optional<KaplanMeier> curve(String group) {
        return curves.stream().filter(c -> c.group().equals(group)).map(Curve::curve).findFirst();
    }

    /** The report as a plain-text table. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "survival analytics of dataset '%s': time '%s', event '%s'%s; %d shared"
                        + " bins from %s to %s; k = %d; %s estimator%n", dataset, query.timeColumn(),
                query.eventColumn(), query.grouped() ? ", groups " + query.groups() + " of '"
                        + query.grouping().column() + "'" : "", query.bins().count(), num(query.bins().edge(0)),
                num(query.bins().end()), k, estimator.key()));
        b.append(String.format(Locale.ROOT, "%-14s %-16s %4s  %s%n", "site", "group", "k", "released"));
        for (SurvivalRelease r : releases) {
            String what = switch (r) {
                case SurvivalCounts c -> c.count() + " bin(s) from edges " + edges(c.mergedBins()) + ", " + c.rows()
                        + " rows, " + Arrays.stream(c.events()).sum() + " events";
                case SurvivalRelease.Withheld w -> "nothing: " + w.reason();
            };
            long rk = r instanceof SurvivalCounts c ? c.k() : ((SurvivalRelease.Withheld) r).k();
            b.append(String.format(Locale.ROOT, "%-14s %-16s %4d  %s%n", r.siteId(), r.group(), rk, what));
        }
        for (Curve c : curves) {
            KaplanMeier km = c.curve();
            b.append(String.format(Locale.ROOT, "%ncurve '%s' over sites %s%s%n", c.group(), km.sites(),
                    km.withheld().isEmpty() ? "" : " (withheld: " + km.withheld() + ")"));
            b.append(String.format(Locale.ROOT, "%12s %12s %8s %8s %8s %9s %9s %9s%n", "from", "to", "at risk",
                    "events", "censored", "survival", "lower", "upper"));
            long[] n = km.atRisk();
            long[] d = km.events();
            long[] cz = km.censored();
            double[] s = km.survival();
            double[] lo = km.lower();
            double[] hi = km.upper();
            for (int i = 0; i < km.count(); i++) {
                b.append(String.format(Locale.ROOT, "%12s %12s %8d %8d %8d %9.4f %9.4f %9.4f%n",
                        num(km.bins().edge(i)), num(km.bins().edge(i + 1)), n[i], d[i], cz[i], s[i], lo[i], hi[i]));
            }
        }
        logRank.ifPresent(t -> b.append(String.format(Locale.ROOT, "%nlog-rank '%s' vs '%s' over sites %s: O1 %d,"
                        + " E1 %.4f, O2 %d, E2 %.4f, chi-square %.4f, p %.4g%n", t.firstGroup(), t.secondGroup(),
                t.sites(), t.observedFirst(), t.expectedFirst(), t.observedSecond(), t.expectedSecond(),
                t.chiSquare(), t.pValue())));
        notes.forEach(n -> b.append(n).append('\n'));
        return b.toString();
    }

    /** The report as JSON. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("analysis", "survival");
        m.put("time", query.timeColumn());
        m.put("event", query.eventColumn());
        Map<String, Object> g = new LinkedHashMap<>();
        switch (query.grouping()) {
            case SurvivalGrouping.None n -> g = null;
            case SurvivalGrouping.ByLevels l -> {
                g.put("column", l.column());
                g.put("levels", List.of(l.first(), l.second()));
            }
            case SurvivalGrouping.ByThreshold t -> {
                g.put("column", t.column());
                g.put("cut", t.cut());
            }
        }
        m.put("grouping", g);
        m.put("groups", query.groups());
        m.put("edges", query.bins().edges());
        m.put("k", k);
        m.put("estimator", estimator.key());
        m.put("confidence", confidence);
        List<Object> sites = new ArrayList<>();
        for (SurvivalRelease r : releases) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("site", r.siteId());
            s.put("group", r.group());
            switch (r) {
                case SurvivalCounts c -> {
                    s.put("k", c.k());
                    s.put("released", true);
                    s.put("edges", c.mergedBins().edges());
                    s.put("at_risk", c.atRisk());
                    s.put("events", c.events());
                    s.put("censored", c.censored());
                }
                case SurvivalRelease.Withheld w -> {
                    s.put("k", w.k());
                    s.put("released", false);
                    s.put("reason", w.reason());
                }
            }
            sites.add(s);
        }
        m.put("sites", sites);
        List<Object> cs = new ArrayList<>();
        for (Curve c : curves) {
            KaplanMeier km = c.curve();
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("group", c.group());
            cm.put("sites", km.sites());
            cm.put("withheld", km.withheld());
            cm.put("edges", km.bins().edges());
            cm.put("at_risk", km.atRisk());
            cm.put("events", km.events());
            cm.put("censored", km.censored());
            cm.put("survival", nums(km.survival()));
            cm.put("variance", nums(km.variance()));
            cm.put("lower", nums(km.lower()));
            cm.put("upper", nums(km.upper()));
            cs.add(cm);
        }
        m.put("curves", cs);
        m.put("log_rank", logRank.map(t -> {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("first", t.firstGroup());
            lm.put("second", t.secondGroup());
            lm.put("observed_first", t.observedFirst());
            lm.put("expected_first", json(t.expectedFirst()));
            lm.put("observed_second", t.observedSecond());
            lm.put("expected_second", json(t.expectedSecond()));
            lm.put("variance", json(t.variance()));
            lm.put("chi_square", json(t.chiSquare()));
            lm.put("p_value", json(t.pValue()));
            lm.put("edges", t.bins().edges());
            lm.put("sites", t.sites());
            lm.put("withheld", t.withheld());
            return (Object) lm;
        }).orElse(null));
        m.put("notes", notes);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the survival report as JSON", e);
        }
    }

    private static List<Double> nums(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(json(x));
        }
        return out;
    }

    private static Double json(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String edges(TimeBins bins) {
        StringBuilder b = new StringBuilder("[");
        double[] e = bins.edges();
        for (int i = 0; i < e.length; i++) {
            b.append(i == 0 ? "" : ", ").append(num(e[i]));
        }
        return b.append(']').toString();
    }
}
