package org.fedmed.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.server.audit.ChainReport;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.ExportRecord;
import org.fedmed.server.store.RunInfo;

/**
 * The dashboard's pages, rendered on the server as complete HTML (charts as inline SVG), so that they show the
 * store's values with no script and no network; the overview adds a few lines that reload it on each server-sent
 * event.
 */
final class DashboardPages {

    private DashboardPages() {
    }

    static String page(String title, String body) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + Html.escape(title) + "</title>"
                + "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}nav a{margin-right:1em}</style>"
                + "</head><body><nav><a href=\"/\">federation</a><a href=\"/audit\">audit log</a>"
                + "<a href=\"/runs\">run history</a><a href=\"/analytics\">analytics</a>"
                + "<a href=\"/downloads\">downloads</a></nav><h1>" + Html.escape(title) + "</h1>" + body
                + "</body></html>";
    }

    static String overview(StoreView view, Long runId, boolean live) {
        var run = view.run(runId);
        if (run.isEmpty()) {
            return page("fedmed dashboard", "<p id=\"no-run\">No run in " + Html.escape(view.database().toString())
                    + " yet.</p>" + (live ? live() : ""));
        }
        RunInfo r = run.get();
        List<RoundRecord> rounds = view.rounds(r.id());
        StringBuilder b = new StringBuilder();
        int last = rounds.isEmpty() ? 0 : rounds.getLast().round();
        b.append("<p id=\"progress\">run <b>").append(Html.escape(r.name())).append("</b> (id ").append(r.id())
                .append("), status <b id=\"status\">").append(r.status().dbValue()).append("</b>, round <b id=\"round\">")
                .append(last).append("</b>").append(totalRounds(r)).append("</p>");
        b.append("<h2>Sites</h2><table id=\"sites\"><tr><th>site</th><th>state</th><th>last contact</th>"
                + "<th>claimed examples</th><th>weight capped</th><th>rounds taken part</th><th>rounds failed</th>"
                + "<th>refusals</th></tr>");
        for (SiteRow s : view.sites(r.id())) {
            b.append("<tr data-site=\"").append(Html.escape(s.site())).append("\"><td>").append(Html.escape(s.site()))
                    .append("</td><td>").append(s.state()).append("</td><td>")
                    .append(s.lastContact().map(Object::toString).orElse("")).append("</td><td class=\"claimed\">")
                    .append(s.claimed().isPresent() ? Long.toString(s.claimed().getAsLong()) : "")
                    .append("</td><td>").append(s.capped()).append("</td><td class=\"taken\">").append(s.roundsTaken())
                    .append("</td><td class=\"failed\">").append(s.roundsFailed()).append("</td><td>")
                    .append(s.refusals()).append("</td></tr>");
        }
        b.append("</table>");
        b.append("<h2>Learning curves</h2>");
        TreeSet<String> evalNames = new TreeSet<>();
        TreeSet<String> fitNames = new TreeSet<>();
        for (RoundRecord rr : rounds) {
            evalNames.addAll(rr.evalMetrics().keySet());
            fitNames.addAll(rr.fitMetrics().keySet());
        }
        for (String metric : evalNames) {
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            List<double[]> global = new ArrayList<>();
            for (RoundRecord rr : rounds) {
                Double v = rr.evalMetrics().get(metric);
                if (v != null) {
                    global.add(new double[]{rr.round(), v});
                }
                rr.siteEvalMetrics().forEach((site, m) -> {
                    if (m.containsKey(metric)) {
                        series.computeIfAbsent(site, k -> new ArrayList<>()).add(new double[]{rr.round(), m.get(metric)});
                    }
                });
            }
            Map<String, List<double[]>> all = new LinkedHashMap<>();
            all.put("global", global);
            all.putAll(series);
            b.append(SvgChart.lines("curve-" + metric, "evaluation " + metric + " over rounds", all));
        }
        for (String metric : fitNames) {
            if (!metric.contains("epsilon")) {
                continue;
            }
            List<double[]> eps = new ArrayList<>();
            for (RoundRecord rr : rounds) {
                Double v = rr.fitMetrics().get(metric);
                if (v != null) {
                    eps.add(new double[]{rr.round(), v});
                }
            }
            b.append(SvgChart.lines("epsilon-" + metric, "privacy spent: " + metric + " over rounds", Map.of(metric, eps)));
        }
        b.append("<h2>Rounds</h2><table id=\"rounds\"><tr><th>round</th><th>completed</th><th>sites</th>"
                + "<th>duration ms</th><th>evaluation</th><th>checkpoint</th></tr>");
        var checkpoints = view.checkpoints(r.id());
        for (RoundRecord rr : rounds.reversed()) {
            b.append("<tr><td>").append(rr.round()).append("</td><td>").append(rr.completed()).append("</td><td>")
                    .append(rr.succeeded().size()).append('/').append(rr.selected().size()).append("</td><td>")
                    .append(rr.durationMillis()).append("</td><td>").append(Html.escape(format(rr.evalMetrics())))
                    .append("</td><td>");
            var ckpt = checkpoints.get(rr.round());
            if (ckpt == null) {
                b.append("none");
            } else if (java.nio.file.Files.isRegularFile(ckpt.path())) {
                b.append("<a href=\"/download/checkpoint/").append(r.id()).append('/').append(rr.round())
                        .append("\">safetensors</a>");
            } else {
                b.append("removed");
            }
            b.append("</td></tr>");
        }
        b.append("</table>");
        return page("fedmed dashboard: " + r.name(), b + (live ? live() : ""));
    }

    private static String totalRounds(RunInfo r) {
        var m = java.util.regex.Pattern.compile("\"rounds\"\\s*:\\s*(\\d+)").matcher(r.configJson());
        return m.find() ? " of <b id=\"total\">" + m.group(1) + "</b>" : "";
    }

    private static String format(Map<String, Double> m) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(m).forEach((k, v) -> b.append(k).append('=')
                .append(String.format(Locale.ROOT, "%.4f", v)).append(' '));
        return b.toString().strip();
    }

    /**
     * Reloads the page when the server says the store changed (server-sent events), but no sooner after the page
     * was opened than {@value #RELOAD_COST_FACTOR} times what loading it cost, and never sooner than 1 s: a page
     * that takes 50 ms follows every poll, one of a 1000-round, 100-site run (about 0.1 to 0.4 s) reloads every
     * few seconds, so a watching browser makes the dashboard spend at most a twentieth of the time rendering. Left
     * out with {@code ?live=0}, for a page that never changes once loaded.
     */
    private static String live() {
        return "<script>(()=>{const t=performance.getEntriesByType('navigation')[0];"
                + "const gap=Math.max(1000," + RELOAD_COST_FACTOR + "*(t?t.responseEnd-t.requestStart:0));"
                + "let due=false;new EventSource('/events').addEventListener('change',()=>{if(due)return;due=true;"
                + "setTimeout(()=>location.reload(),Math.max(0,gap-performance.now()));});})();</script>";
    }

    /** How many times the page's own load time a live page waits, at least, before it reloads. */
    static final int RELOAD_COST_FACTOR = 20;

    static String audit(StoreView view, Long runId, String site, String kind) {
        var run = view.run(runId);
        if (run.isEmpty()) {
            return page("audit log", "<p>No run yet.</p>");
        }
        long id = run.get().id();
        ChainReport report = view.verify(id);
        StringBuilder b = new StringBuilder("<p id=\"chain\">chain: <b>")
                .append(report.intact() ? "intact" : "BROKEN").append("</b> ").append(Html.escape(report.summary())).append("</p>");
        b.append("<form><input name=\"site\" placeholder=\"site\" value=\"").append(Html.escape(site))
                .append("\"><input name=\"kind\" placeholder=\"kind\" value=\"").append(Html.escape(kind))
                .append("\"><button>filter</button></form><table id=\"audit\"><tr><th>id</th><th>time</th>"
                        + "<th>actor</th><th>kind</th><th>detail</th></tr>");
        for (AuditEntry e : view.audit(id)) {
            if (site != null && !site.isBlank() && !site.equals(e.actor())) {
                continue;
            }
            if (kind != null && !kind.isBlank() && !kind.equalsIgnoreCase(e.event().dbValue())) {
                continue;
            }
            b.append("<tr><td>").append(e.id()).append("</td><td>").append(e.time()).append("</td><td>")
                    .append(Html.escape(e.actor())).append("</td><td>").append(e.event().dbValue()).append("</td><td>")
                    .append(Html.escape(e.detail())).append("</td></tr>");
        }
        return page("audit log of run " + id, b.append("</table>").toString());
    }

    static String runs(StoreView view) {
        StringBuilder b = new StringBuilder("<table id=\"runs\"><tr><th>id</th><th>name</th><th>created</th>"
                + "<th>status</th><th>stop reason</th><th>seed</th><th>checkpoints</th></tr>");
        for (RunInfo r : view.runs().reversed()) {
            b.append("<tr><td><a href=\"/?run=").append(r.id()).append("\">").append(r.id()).append("</a></td><td>")
                    .append(Html.escape(r.name())).append("</td><td>").append(r.created()).append("</td><td>")
                    .append(r.status().dbValue()).append("</td><td>").append(Html.escape(r.stopReason().orElse("")))
                    .append("</td><td>").append(r.seed()).append("</td><td><a href=\"/downloads?run=").append(r.id())
                    .append("\">downloads</a></td></tr>");
        }
        return page("run history", b.append("</table>").toString());
    }

    static String analytics(StoreView view) {
        return page("analytics results", AnalyticsPage.render(view.analytics()));
    }

    /**
     * The run's checkpoints (one link per round whose file retention kept) and every model export made from the
     * store, each with its SHA-256; a file that is no longer on disk is listed as {@code removed}, without a link.
     */
    static String downloads(StoreView view, Long runId) {
        StringBuilder b = new StringBuilder("<h2>Exports</h2><table id=\"exports\"><tr><th>id</th><th>run</th>"
                + "<th>round</th><th>made</th><th>file</th><th>sha256</th></tr>");
        for (ExportRecord e : view.exports().reversed()) {
            b.append("<tr data-export=\"").append(e.id()).append("\"><td>").append(e.id()).append("</td><td>")
                    .append(e.runId()).append("</td><td>").append(e.round()).append("</td><td>").append(e.created())
                    .append("</td><td>").append(link(e.path(), "/download/export/" + e.id(),
                            e.path().getFileName().toString())).append("</td><td class=\"sha256\">")
                    .append(e.sha256()).append("</td></tr>");
        }
        b.append("</table>");
        var run = view.run(runId);
        if (run.isEmpty()) {
            return page("downloads", b.append("<p>No run yet.</p>").toString());
        }
        long id = run.get().id();
        b.append("<h2>Checkpoints of run ").append(id).append(" (").append(Html.escape(run.get().name()))
                .append(")</h2><table id=\"checkpoints\"><tr><th>round</th><th>file</th><th>sha256</th></tr>");
        for (var c : view.checkpoints(id).entrySet()) {
            b.append("<tr data-round=\"").append(c.getKey()).append("\"><td>").append(c.getKey()).append("</td><td>")
                    .append(link(c.getValue().path(), "/download/checkpoint/" + id + "/" + c.getKey(),
                            "run" + id + "-round" + c.getKey() + ".safetensors")).append("</td><td class=\"sha256\">")
                    .append(c.getValue().sha256()).append("</td></tr>");
        }
        return page("downloads", b.append("</table>").toString());
    }

    private static String link(java.nio.file.Path file, String href, String name) {
        return java.nio.file.Files.isRegularFile(file) ? "<a href=\"" + href + "\">" + Html.escape(name) + "</a>"
                : Html.escape(name) + " (removed)";
    }
}
