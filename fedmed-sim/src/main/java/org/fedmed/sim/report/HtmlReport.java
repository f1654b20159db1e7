package org.fedmed.sim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.plan.ConfigLoader;

/**
 * The comparison report as one self-contained HTML page, {@code report.html}: the regimes' test metrics by site
 * (the personalized regime among them when it ran) with pooled rows, the metrics left undefined and why, the
 * learning curves of every regime and of each site in the federated run, for a regression the calibration of
 * each regime on the pooled test rows ({@link CalibrationBin}; each marker carries the bin's exact means as
 * {@code data-x} and {@code data-y}, the numbers {@code results.json} holds), the privacy spent when DP is on, the
 * federated run log, the warnings and the provenance with the full config. The charts are inline SVG drawn here;
 * the page has no script and references no file or URL, so it opens offline as it is. It is well-formed XML, so
 * tools can read it back: each metric cell carries {@code data-regime}, {@code data-site}, {@code data-metric} and
 * {@code data-value}, the exact number {@code results.json} holds, beside the four-decimal text shown.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
            h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
            table{border-collapse:collapse;margin:.5em 0}th,td{padding:.2em .6em;border:1px solid #ddd}
            td.num{text-align:right;font-variant-numeric:tabular-nums}tr.pooled td{font-weight:bold;background:#f4f4f4}
            td.na{color:#999;text-align:center}.notes li,.warn li{font-size:.9em}.warn{color:#8a4b00}
            pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:.8em}
            svg.chart{margin:.5em 1em .5em 0;font-size:11px}svg .plot{fill:#fff;stroke:#999}
            svg .grid{stroke:#eee}svg .ytick{text-anchor:end}svg .xtick{text-anchor:middle}
            svg .xlabel{text-anchor:middle}svg .ylabel{text-anchor:middle}svg .ctitle{font-weight:bold;font-size:13px}
            """;

    private HtmlReport() {
    }

    public static String render(ComparisonReport report) {
        Provenance p = report.provenance();
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>fedmed simulate: ")
                .append(Html.escape(p.dataset())).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        b.append("<h1>fedmed simulate: ").append(Html.escape(p.dataset())).append("</h1>\n");
        summary(b, report);
        regimeTable(b, report);
        curves(b, report);
        calibration(b, report);
        privacy(b, report);
        rounds(b, report);
        if (!report.warnings().isEmpty()) {
            b.append("<h2 id=\"warnings\">Warnings</h2><ul class=\"warn\">");
            report.warnings().forEach(w -> b.append("<li>").append(Html.escape(w)).append("</li>"));
            b.append("</ul>\n");
        }
        b.append("<h2 id=\"config\">Provenance and config</h2><pre id=\"provenance\">")
                .append(Html.escape(json(p))).append("</pre>\n");
        return b.append("</body></html>\n").toString();
    }

    private static void summary(StringBuilder b, ComparisonReport report) {
        Provenance p = report.provenance();
        b.append("<table id=\"summary\"><tbody>");
        kv(b, "dataset", p.dataset());
        kv(b, "seed", Long.toString(p.seed()));
        kv(b, "regimes", String.join(", ", report.regimes().keySet()));
        FederatedSummary f = report.federated();
        if (f != null) {
            kv(b, "strategy", f.strategy());
            kv(b, "rounds run", f.roundsRun() + " (stopped by " + f.stopReason().replace('_', ' ') + ": "
                    + f.stopDetail() + ")");
        }
        for (RegimeResult r : report.regimes().values()) {
            kv(b, r.regime() + " wall time", String.format(Locale.ROOT, "%.2f s", r.wallMillis() / 1000.0));
        }
        kv(b, "fedmed", p.fedmedVersion() + " on Java " + p.javaVersion());
        kv(b, "started", p.startedAt());
        b.append("</tbody></table>\n");
    }

    private static void kv(StringBuilder b, String k, String v) {
        b.append("<tr><th>").append(Html.escape(k)).append("</th><td>").append(Html.escape(String.valueOf(v)))
                .append("</td></tr>");
    }

    private static void regimeTable(StringBuilder b, ComparisonReport report) {
        List<String> metrics = ComparisonTable.metricsOf(report);
        b.append("<h2 id=\"regimes\">Test metrics by site and regime</h2>\n<table id=\"regime-table\"><thead><tr>")
                .append("<th>site</th><th>regime</th><th>n</th>");
        metrics.forEach(m -> b.append("<th>").append(Html.escape(m)).append("</th>"));
        b.append("</tr></thead><tbody>\n");
        for (String site : ComparisonTable.siteOrder(report)) {
            for (RegimeResult r : report.regimes().values()) {
                row(b, site, r.regime(), r.testRows().getOrDefault(site, 0), r.sites().get(site), metrics, false);
            }
        }
        for (RegimeResult r : report.regimes().values()) {
            int total = r.testRows().values().stream().mapToInt(Integer::intValue).sum();
            row(b, RegimeResult.POOLED, r.regime(), total, r.pooled(), metrics, true);
        }
        b.append("</tbody></table>\n");
        List<String> notes = ComparisonTable.undefinedNotes(report);
        if (!notes.isEmpty()) {
            b.append("<ul class=\"notes\">");
            notes.forEach(n -> b.append("<li>").append(Html.escape(n)).append("</li>"));
            b.append("</ul>\n");
        }
    }

    private static void row(StringBuilder b, String site, String regime, int n, Map<String, Double> values,
                            List<String> metrics, boolean pooled) {
        b.append(pooled ? "<tr class=\"pooled\">" : "<tr>").append("<td>").append(Html.escape(site))
                .append("</td><td>").append(Html.escape(regime)).append("</td><td class=\"num\">").append(n)
                .append("</td>");
        for (String m : metrics) {
            Double v = values == null ? null : values.get(m);
            String attrs = " data-regime=\"" + Html.escape(regime) + "\" data-site=\"" + Html.escape(site)
                    + "\" data-metric=\"" + Html.escape(m) + "\"";
            if (v == null || v.isNaN()) {
                b.append("<td class=\"na\"").append(attrs).append(">n/a</td>");
            } else {
                b.append("<td class=\"num\"").append(attrs).append(" data-value=\"").append(v).append("\">")
                        .append(String.format(Locale.ROOT, "%.4f", v)).append("</td>");
            }
        }
        b.append("</tr>\n");
    }

    private static void curves(StringBuilder b, ComparisonReport report) {
        String loss = report.objective().watchedLoss();
        String score = report.objective().headlineMetric();
        b.append("<h2 id=\"curves\">Learning curves</h2>\n<p>Example-weighted test metrics over the sites after each"
                + " round (local-only and centralized: after each round's worth of epochs).</p>\n");
        for (String metric : List.of(loss, score)) {
            List<SvgChart.Series> series = new ArrayList<>();
            for (RegimeResult r : report.regimes().values()) {
                List<double[]> pts = new ArrayList<>();
                for (int i = 0; i < r.curve().size(); i++) {
                    Double v = r.curve().get(i).get(metric);
                    pts.add(new double[]{i + 1, v == null ? Double.NaN : v});
                }
                series.add(new SvgChart.Series(r.regime(), pts));
            }
            b.append(SvgChart.lines("Test " + metric + " by regime", "round", metric, series));
        }
        b.append('\n');
        if (report.federated() != null) {
            siteCurves(b, "federated", report.federated(), score);
        }
        if (report.personalizedRun() != null) {
            siteCurves(b, "personalized", report.personalizedRun(), score);
        }
    }

    private static void siteCurves(StringBuilder b, String label, FederatedSummary run, String metric) {
        TreeSet<String> sites = new TreeSet<>();
        run.rounds().forEach(r -> sites.addAll(r.siteEvalMetrics().keySet()));
        List<SvgChart.Series> series = new ArrayList<>();
        for (String site : sites) {
            List<double[]> pts = new ArrayList<>();
            for (RoundRecord r : run.rounds()) {
                Double v = r.siteEvalMetrics().getOrDefault(site, Map.of()).get(metric);
                pts.add(new double[]{r.round(), v == null ? Double.NaN : v});
            }
            series.add(new SvgChart.Series(site, pts));
        }
        String chart = SvgChart.lines("Each site's test " + metric + " in the " + label + " run", "round", metric,
                series);
        if (!chart.isEmpty()) {
            b.append("<div class=\"site-curves\">").append(chart).append("</div>\n");
        }
    }

    /** For a regression: each regime's calibration bins, mean predicted against mean observed, over y = x. */
    private static void calibration(StringBuilder b, ComparisonReport report) {
        if (!(report.objective() instanceof org.fedmed.core.objective.Objective.Regression)) {
            return;
        }
        List<SvgChart.Series> series = new ArrayList<>();
        for (RegimeResult r : report.regimes().values()) {
            series.add(new SvgChart.Series(r.regime(), r.calibration().stream()
                    .map(c -> new double[]{c.meanPredicted(), c.meanObserved()}).toList()));
        }
        String chart = SvgChart.calibration("Calibration on the pooled test rows", "mean predicted",
                "mean observed", series);
        if (chart.isEmpty()) {
            return;
        }
        b.append("<h2 id=\"calibration\">Calibration</h2>\n<p>The pooled test rows of each regime sorted by"
                + " prediction and cut into equal-count bins (deciles; fewer bins below 100 rows, so that a bin holds"
                + " at least 10 rows): each point is a bin's mean prediction and mean observed value. A calibrated"
                + " model's points lie on the dashed line y = x.</p>\n<div id=\"calibration-chart\">").append(chart)
                .append("</div>\n");
    }

    private static void privacy(StringBuilder b, ComparisonReport report) {
        FederatedSummary f = report.federated();
        PrivacySummary dp = f == null ? null : f.privacy();
        Map<String, Double> sites = f == null ? null : f.siteDpEpsilon();
        Map<String, Double> personal = report.personalizedSiteDpEpsilon();
        if (dp == null && sites == null && personal == null) {
            return;
        }
        b.append("<h2 id=\"privacy\">Privacy spent</h2>\n");
        if (dp != null) {
            b.append(String.format(Locale.ROOT, "<p>%s, noise multiplier %s, delta %s: epsilon "
                            + "<span id=\"epsilon\" data-value=\"%s\">%.4f</span>%s.</p>\n", Html.escape(dp.mechanism()),
                    dp.noiseMultiplier(), dp.delta(), dp.epsilon(), dp.epsilon(), dp.targetEpsilon() == null ? ""
                            : String.format(Locale.ROOT, " (target %s)", dp.targetEpsilon())));
            List<double[]> pts = dp.rounds().stream().map(r -> new double[]{r.round(), r.epsilon()}).toList();
            b.append(SvgChart.lines("Epsilon spent over the rounds", "round", "epsilon",
                    List.of(new SvgChart.Series("epsilon", pts))));
            b.append("\n<table id=\"epsilon-rounds\"><thead><tr><th>round</th><th>sites sampled</th>"
                    + "<th>sampling rate</th><th>clip norm</th><th>epsilon</th></tr></thead><tbody>");
            for (PrivacySummary.Round r : dp.rounds()) {
                b.append(String.format(Locale.ROOT, "<tr><td class=\"num\">%d</td><td class=\"num\">%d</td>"
                                + "<td class=\"num\">%.4f</td><td class=\"num\">%.4g</td><td class=\"num\" data-value=\"%s\">%.4f</td></tr>",
                        r.round(), r.sitesSampled(), r.samplingRate(), r.clipNorm(), r.epsilon(), r.epsilon()));
            }
            b.append("</tbody></table>\n");
        }
        if (sites != null) {
            siteEpsilons(b, "site-epsilon", "Each site's example-level epsilon (DP-SGD) in the federated run", sites);
        }
        if (personal != null) {
            siteEpsilons(b, "personalized-site-epsilon", "Each site's epsilon for the training behind the"
                    + " personalized regime", personal);
        }
    }

    private static void siteEpsilons(StringBuilder b, String id, String caption, Map<String, Double> eps) {
        b.append("<table id=\"").append(id).append("\"><caption>").append(Html.escape(caption))
                .append("</caption><thead><tr><th>site</th><th>epsilon</th></tr></thead><tbody>");
        new java.util.TreeMap<>(eps).forEach((site, e) -> b.append("<tr><td>").append(Html.escape(site))
                .append("</td><td class=\"num\" data-value=\"").append(e).append("\">")
                .append(String.format(Locale.ROOT, "%.4f", e)).append("</td></tr>"));
        b.append("</tbody></table>\n");
    }

    private static void rounds(StringBuilder b, ComparisonReport report) {
        FederatedSummary f = report.federated();
        if (f == null) {
            return;
        }
        List<String> metrics = new ArrayList<>(new TreeSet<>(f.rounds().stream()
                .flatMap(r -> r.evalMetrics().keySet().stream()).toList()));
        b.append("<h2 id=\"rounds\">Federated run log</h2>\n<details><summary>").append(f.rounds().size())
                .append(" rounds</summary><table id=\"rounds-table\"><thead><tr><th>round</th><th>selected</th>"
                        + "<th>succeeded</th><th>failed</th><th>train loss</th>");
        metrics.forEach(m -> b.append("<th>").append(Html.escape(m)).append("</th>"));
        b.append("<th>ms</th></tr></thead><tbody>");
        for (RoundRecord r : f.rounds()) {
            b.append("<tr><td class=\"num\">").append(r.round()).append("</td><td class=\"num\">")
                    .append(r.selected().size()).append("</td><td class=\"num\">").append(r.succeeded().size())
                    .append("</td><td class=\"num\">").append(r.failures().size()).append("</td>");
            cell(b, r.fitMetrics().get("loss"));
            metrics.forEach(m -> cell(b, r.evalMetrics().get(m)));
            b.append("<td class=\"num\">").append(r.durationMillis()).append("</td></tr>");
        }
        b.append("</tbody></table></details>\n");
    }

    private static void cell(StringBuilder b, Double v) {
        if (v == null || v.isNaN()) {
            b.append("<td class=\"na\">n/a</td>");
        } else {
            b.append("<td class=\"num\" data-value=\"").append(v).append("\">")
                    .append(String.format(Locale.ROOT, "%.4f", v)).append("</td>");
        }
    }

    private static String json(Provenance p) {
        try {
            return ConfigLoader.jsonWriter().writerWithDefaultPrettyPrinter().writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the provenance of the report as JSON: " + e.getMessage(), e);
        }
    }
}
