package org.fedmed.sim.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the regimes side by side as a plain-text table for the terminal: one row per site and regime, one column
 * per metric of the report's objective.
 */
public final class ComparisonTable {

    private ComparisonTable() {
    }

    public static String render(ComparisonReport report) {
        List<String> metrics = metricsOf(report);
        StringBuilder sb = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-14s %-12s %6s", "site", "regime", "n");
        StringBuilder rule = new StringBuilder("-".repeat(header.length()));
        for (String m : metrics) {
            header += String.format(Locale.ROOT, " %10s", shortName(m));
            rule.append("-".repeat(11));
        }
        sb.append(header).append('\n').append(rule).append('\n');
        for (String site : siteOrder(report)) {
            for (RegimeResult r : report.regimes().values()) {
                appendRow(sb, site, r.regime(), r.testRows().getOrDefault(site, 0), r.sites().get(site), metrics);
            }
        }
        sb.append(rule).append('\n');
        for (RegimeResult r : report.regimes().values()) {
            int total = r.testRows().values().stream().mapToInt(Integer::intValue).sum();
            appendRow(sb, "POOLED", r.regime(), total, r.pooled(), metrics);
        }
        undefinedNotes(report).forEach(n -> sb.append(n).append('\n'));
        return sb.toString();
    }

    /**
     * One line per reason metrics are left out for, with the metrics, the sites and the regimes it applies to, e.g.
     * {@code roc_auc: n/a at switzerland (local, federated, centralized): test rows hold one class}: the metrics left
     * out at a site for the same reason in the same regimes share a line, and so do the sites that share all three.
     */
    public static List<String> undefinedNotes(ComparisonReport report) {
        Map<LeftOut, List<String>> regimesOf = new LinkedHashMap<>();
        for (RegimeResult r : report.regimes().values()) {
            r.undefined().forEach((site, reasons) -> reasons.forEach((metric, why) ->
                    regimesOf.computeIfAbsent(new LeftOut(metric, site, why), k -> new ArrayList<>()).add(r.regime())));
        }
        Map<String, Map<Reason, List<String>>> metricsBySite = new LinkedHashMap<>();
        regimesOf.forEach((m, regimes) -> metricsBySite.computeIfAbsent(m.site(), s -> new LinkedHashMap<>())
                .computeIfAbsent(new Reason(regimes, m.why()), k -> new ArrayList<>()).add(m.metric()));
        Map<Note, List<String>> sitesOf = new LinkedHashMap<>();
        metricsBySite.forEach((site, reasons) -> reasons.forEach((reason, metrics) ->
                sitesOf.computeIfAbsent(new Note(metrics, reason), k -> new ArrayList<>()).add(site)));
        List<String> notes = new ArrayList<>();
        sitesOf.forEach((n, sites) -> notes.add(String.join(", ", n.metrics()) + ": n/a at " + String.join(", ", sites)
                + " (" + String.join(", ", n.reason().regimes()) + "): " + n.reason().why()));
        return notes;
    }

    /** One metric left out at one site, for one reason. */
    private record LeftOut(String metric, String site, String why) {
    }

    /** Why metrics are left out, and in which regimes. */
    private record Reason(List<String> regimes, String why) {
    }

    /** One line of notes: these metrics, left out for this reason. */
    private record Note(List<String> metrics, Reason reason) {
    }

    /** The metrics the report's objective computes, in report order. */
    static List<String> metricsOf(ComparisonReport report) {
        return report.objective().metrics().names();
    }

    static List<String> siteOrder(ComparisonReport report) {
        List<String> sites = new ArrayList<>();
        for (RegimeResult r : report.regimes().values()) {
            for (String s : r.testRows().keySet()) {
                if (!sites.contains(s)) sites.add(s);
            }
        }
        sites.sort(null);
        return sites;
    }

    private static void appendRow(StringBuilder sb, String site, String regime, int n, Map<String, Double> values,
                                  List<String> metrics) {
        sb.append(String.format(Locale.ROOT, "%-14s %-12s %6d", site, regime, n));
        for (String m : metrics) {
            Double v = values == null ? null : values.get(m);
            sb.append(v == null || v.isNaN() ? String.format(Locale.ROOT, " %10s", "n/a")
                    : String.format(Locale.ROOT, " %10.4f", v));
        }
        sb.append('\n');
    }

    private static String shortName(String metric) {
        return switch (metric) {
            case "balanced_accuracy" -> "bal_acc";
            default -> metric;
        };
    }
}
