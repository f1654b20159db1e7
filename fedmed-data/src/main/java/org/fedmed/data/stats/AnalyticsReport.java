package org.fedmed.data.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The released analytics of a federation: each site's figures and the pooled ones, every count below its k already
 * suppressed, as a table for a terminal ({@link #table()}) and as JSON ({@link #toJson()}, suppressed counts as the
 * string {@code "suppressed"}, figures not released as null).
 *
 * @param pooledK the k applied to the pooled cells: the largest of the sites'
 * @param sites   the sites' releases, in canonical order
 */
public record AnalyticsReport(String dataset, AnalyticsOptions options, long pooledK, List<SiteAnalytics> sites,
                              SiteAnalytics pooled) {

    /** The id of the pooled figures. */
    public static final String POOLED = "pooled";

    public AnalyticsReport {
        sites = List.copyOf(sites);
    }

    /** The report as a plain-text table. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "analytics of dataset '%s' over the training rows of %d sites; k = %d"
                + " (pooled k %d)%s%n", dataset, sites.size(), options.k(), pooledK, noiseLine()));
        List<SiteAnalytics> all = new ArrayList<>(sites);
        all.add(pooled);
        b.append(String.format(Locale.ROOT, "%-14s %10s  %s%n", "site", "rows", "label class counts"));
        for (SiteAnalytics s : all) {
            b.append(String.format(Locale.ROOT, "%-14s %10s  %s%n", s.siteId(), count(s.rows()),
                    SmallCells.show(s.labelCounts())));
        }
        b.append(String.format(Locale.ROOT, "%n%-14s %-16s %9s %9s %11s %11s %11s %11s %11s%n", "site", "column",
                "present", "missing", "mean", "sd", "q25", "median", "q75"));
        for (SiteAnalytics s : all) {
            for (ColumnFigures c : s.columns()) {
                b.append(String.format(Locale.ROOT, "%-14s %-16s %9s %9s %11s %11s %11s %11s %11s%n", s.siteId(),
                        c.name(), count(c.present()), count(c.missing()), num(c.mean()), num(c.sd()), num(c.q25()),
                        num(c.median()), num(c.q75())));
            }
        }
        if (pooled.crossTabColumn() != null) {
            b.append(String.format(Locale.ROOT, "%ncross-tabulation of '%s' by label class%n",
                    pooled.crossTabColumn()));
            for (SiteAnalytics s : all) {
                for (int r = 0; r < s.crossTab().length; r++) {
                    String level = r < s.crossTabLevels().size() ? s.crossTabLevels().get(r) : "(missing)";
                    b.append(String.format(Locale.ROOT, "%-14s %-16s %s%n", s.siteId(), level,
                            SmallCells.show(s.crossTab()[r])));
                }
            }
        }
        b.append("supp = suppressed: a count below k, or one that would let such a count be recovered by subtraction;"
                + " '-' = not released\n");
        return b.toString();
    }

    /** The report as JSON. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("k", options.k());
        m.put("site_k", options.siteK());
        m.put("pooled_k", pooledK);
        if (options.noise() != null) {
            var n = options.noise();
            Map<String, Object> noise = new java.util.LinkedHashMap<>();
            noise.put("mechanism", "gaussian");
            noise.put("epsilon", n.epsilon());
            noise.put("delta", n.delta());
            noise.put("l2_sensitivity", Math.sqrt(tables()));
            noise.put("sigma", n.sigma(tables()));
            m.put("noise", noise);
        }
        List<Object> list = new ArrayList<>();
        for (SiteAnalytics s : sites) {
            list.add(json(s));
        }
        m.put("sites", list);
        m.put("pooled", json(pooled));
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the analytics report as JSON", e);
        }
    }

    private int tables() {
        return 2 + pooled.columns().size() + (pooled.crossTabColumn() == null ? 0 : 1);
    }

    private String noiseLine() {
        var n = options.noise();
        return n == null ? "" : String.format(Locale.ROOT, "; Gaussian noise on counts: epsilon %s, delta %s per site"
                + " (L2 sensitivity %.4g, sigma %.4g)", n.epsilon(), n.delta(), Math.sqrt(tables()), n.sigma(tables()));
    }

    private static Map<String, Object> json(SiteAnalytics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("site", s.siteId());
        m.put("k", s.k());
        m.put("rows", jsonCount(s.rows()));
        m.put("label_counts", jsonCounts(s.labelCounts()));
        List<Object> cols = new ArrayList<>();
        for (ColumnFigures c : s.columns()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("column", c.name());
            cm.put("present", jsonCount(c.present()));
            cm.put("missing", jsonCount(c.missing()));
            cm.put("mean", jsonNum(c.mean()));
            cm.put("sd", jsonNum(c.sd()));
            cm.put("q25", jsonNum(c.q25()));
            cm.put("median", jsonNum(c.median()));
            cm.put("q75", jsonNum(c.q75()));
            cols.add(cm);
        }
        m.put("columns", cols);
        if (s.crossTabColumn() != null) {
            Map<String, Object> ct = new LinkedHashMap<>();
            ct.put("column", s.crossTabColumn());
            List<String> rowNames = new ArrayList<>(s.crossTabLevels());
            rowNames.add("(missing)");
            Map<String, Object> rows = new LinkedHashMap<>();
            for (int r = 0; r < s.crossTab().length; r++) {
                rows.put(rowNames.get(r), jsonCounts(s.crossTab()[r]));
            }
            ct.put("by_label_class", rows);
            m.put("cross_tabulation", ct);
        }
        return m;
    }

    private static Object jsonCount(long c) {
        return c == SmallCells.SUPPRESSED ? "suppressed" : c;
    }

    private static List<Object> jsonCounts(long[] cells) {
        List<Object> out = new ArrayList<>();
        for (long c : cells) {
            out.add(jsonCount(c));
        }
        return out;
    }

    private static Double jsonNum(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static String count(long c) {
        return c == SmallCells.SUPPRESSED ? "supp" : Long.toString(c);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
}
