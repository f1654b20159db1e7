package org.fedmed.sim.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.core.metrics.RegressionMetrics;
import org.fedmed.core.objective.Objective;
import org.fedmed.plan.ConfigLoader;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.Styler;

/**
 * Writes a comparison report to a folder: {@code results.json} (everything, with provenance),
 * {@code results.csv} (one row per regime and site), {@code rounds.csv} (the federated run log),
 * {@code learning_curves.png}, {@code per_site.png} and {@code report.html} (all of it in one page that opens
 * offline, see {@link HtmlReport}); for a regression also {@value #CALIBRATION_PNG}, each regime's calibration bins
 * on the pooled test rows ({@link CalibrationBin}) over the line y = x. Each file is written to a temporary name and moved
 * into place, so an interrupted run never leaves a half-written report over a good one.
 */
public final class ReportWriter {

    /** Files a report consists of. */
    public static final List<String> FILES =
            List.of("results.json", "results.csv", "rounds.csv", "learning_curves.png", "per_site.png",
                    "report.html");
    /** The calibration plot, written after {@link #FILES} for a regression only. */
    public static final String CALIBRATION_PNG = "calibration.png";

    private final ObjectMapper json = ConfigLoader.jsonWriter();

    public List<Path> write(ComparisonReport report, Path dir) {
        try {
            Files.createDirectories(dir);
            List<Path> written = new ArrayList<>();
            written.add(atomically(dir.resolve("results.json"), p -> json.writeValue(p.toFile(), report)));
            written.add(atomically(dir.resolve("results.csv"), p -> Files.writeString(p, resultsCsv(report))));
            written.add(atomically(dir.resolve("rounds.csv"), p -> Files.writeString(p, roundsCsv(report))));
            written.add(atomically(dir.resolve("learning_curves.png"), p -> learningCurves(report, p)));
            written.add(atomically(dir.resolve("per_site.png"), p -> perSite(report, p)));
            written.add(atomically(dir.resolve("report.html"), p -> Files.writeString(p, HtmlReport.render(report))));
            if (report.objective() instanceof Objective.Regression) {
                written.add(atomically(dir.resolve(CALIBRATION_PNG), p -> calibration(report, p)));
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report to " + dir + ": " + IoProblems.describe(e), e);
        }
    }

    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    private static Path atomically(Path target, Writer w) throws IOException {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path tmp = target.resolveSibling(name.substring(0, dot) + ".tmp" + name.substring(dot));
        w.write(tmp);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    static String resultsCsv(ComparisonReport report) {
        List<String> metrics = ComparisonTable.metricsOf(report);
        StringBuilder sb = new StringBuilder("regime,site,n_test");
        metrics.forEach(m -> sb.append(',').append(m));
        sb.append('\n');
        for (RegimeResult r : report.regimes().values()) {
            for (String site : ComparisonTable.siteOrder(report)) {
                row(sb, r.regime(), site, r.testRows().getOrDefault(site, 0), r.sites().get(site), metrics);
            }
            int total = r.testRows().values().stream().mapToInt(Integer::intValue).sum();
            row(sb, r.regime(), "pooled", total, r.pooled(), metrics);
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String regime, String site, int n, Map<String, Double> values,
                            List<String> metrics) {
        sb.append(regime).append(',').append(site).append(',').append(n);
        for (String m : metrics) {
            Double v = values == null ? null : values.get(m);
            sb.append(',').append(v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.6f", v));
        }
        sb.append('\n');
    }

    /**
     * The test metrics {@code rounds.csv} shows per round: the objective's watched loss and headline score, then
     * accuracy for a classification and RMSE for a regression.
     */
    static List<String> roundMetrics(Objective objective) {
        return switch (objective) {
            case Objective.Classification c -> List.of(c.watchedLoss(), c.headlineMetric(), ClassificationMetrics.ACCURACY);
            case Objective.Regression r -> List.of(r.watchedLoss(), r.headlineMetric(), RegressionMetrics.RMSE);
            case Objective.Survival s -> List.of(s.watchedLoss(), s.headlineMetric());
        };
    }

    static String roundsCsv(ComparisonReport report) {
        List<String> metrics = roundMetrics(report.objective());
        StringBuilder sb = new StringBuilder("round,completed,selected,succeeded,failed,train_loss");
        metrics.forEach(m -> sb.append(",test_").append(m));
        sb.append(",duration_ms\n");
        if (report.federated() == null) {
            return sb.toString();
        }
        for (var r : report.federated().rounds()) {
            sb.append(r.round()).append(',').append(r.completed()).append(',').append(r.selected().size()).append(',')
                    .append(r.succeeded().size()).append(',').append(r.failures().size()).append(',')
                    .append(num(r.fitMetrics().get("loss"))).append(',');
            for (String m : metrics) {
                sb.append(num(r.evalMetrics().get(m))).append(',');
            }
            sb.append(r.durationMillis()).append('\n');
        }
        return sb.toString();
    }

    private static String num(Double v) {
        return v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static void learningCurves(ComparisonReport report, Path file) throws IOException {
        String metric = report.objective().watchedLoss();
        String second = report.objective().headlineMetric();
        XYChart loss = curveChart(report, metric, "Test " + metric + " (example-weighted over sites)");
        XYChart auc = curveChart(report, second, "Test " + second + " (example-weighted over sites)");
        BitmapEncoder.saveBitmap(List.of(loss, auc), 1, 2, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart curveChart(ComparisonReport report, String metric, String title) {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title)
                .xAxisTitle("round").yAxisTitle(metric).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(0);
        for (RegimeResult r : report.regimes().values()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < r.curve().size(); i++) {
                Double v = r.curve().get(i).get(metric);
                if (v != null && !v.isNaN()) {
                    xs.add((double) (i + 1));
                    ys.add(v);
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(r.regime(), xs, ys);
            }
        }
        return chart;
    }

    private static void perSite(ComparisonReport report, Path file) throws IOException {
        String metric = report.objective().headlineMetric();
        List<String> sites = new ArrayList<>(ComparisonTable.siteOrder(report));
        sites.add("pooled");
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450)
                .title("Test " + metric + " by site: " + report.provenance().dataset())
                .xAxisTitle("site").yAxisTitle(metric).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (RegimeResult r : report.regimes().values()) {
            List<Double> ys = new ArrayList<>();
            for (String s : sites) {
                Double v = s.equals("pooled") ? r.pooled().get(metric) : r.sites().getOrDefault(s, Map.of()).get(metric);
                ys.add(v == null || v.isNaN() ? 0.0 : v);
            }
            chart.addSeries(r.regime(), sites, ys);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void calibration(ComparisonReport report, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(700).height(600)
                .title("Calibration on the pooled test rows: " + report.provenance().dataset())
                .xAxisTitle("mean predicted (per bin)").yAxisTitle("mean observed (per bin)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (RegimeResult r : report.regimes().values()) {
            if (r.calibration().isEmpty()) {
                continue;
            }
            List<Double> xs = r.calibration().stream().map(CalibrationBin::meanPredicted).toList();
            List<Double> ys = r.calibration().stream().map(CalibrationBin::meanObserved).toList();
            for (CalibrationBin c : r.calibration()) {
                lo = Math.min(lo, Math.min(c.meanPredicted(), c.meanObserved()));
                hi = Math.max(hi, Math.max(c.meanPredicted(), c.meanObserved()));
            }
            chart.addSeries(r.regime(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        if (lo <= hi) {
            XYSeries identity = chart.addSeries("y = x", List.of(lo, hi), List.of(lo, hi));
            identity.setMarker(SeriesMarkers.NONE);
            identity.setLineStyle(SeriesLines.DASH_DASH);
            identity.setLineColor(java.awt.Color.GRAY);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
