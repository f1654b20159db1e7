package org.fedmed.sim.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.sim.PrivacyTradeoff;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a privacy trade-off as {@code tradeoff.json}, {@code tradeoff.csv} (the objective's reported metrics, see
 * {@link ReportedMetrics}) and {@code tradeoff.png} (its headline metric and first reported metric against epsilon).
 */
public final class TradeoffWriter {

    public List<Path> write(PrivacyTradeoff.Result result, Path dir) {
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve("tradeoff.json");
            ConfigLoader.jsonWriter().writeValue(json.toFile(), result);
            Path csv = dir.resolve("tradeoff.csv");
            Files.writeString(csv, csv(result));
            Path png = dir.resolve("tradeoff.png");
            BitmapEncoder.saveBitmap(chart(result), png.toString(), BitmapEncoder.BitmapFormat.PNG);
            return List.of(json, csv, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trade-off report to " + dir + ": " + IoProblems.describe(e), e);
        }
    }

    static String csv(PrivacyTradeoff.Result result) {
        StringBuilder sb = new StringBuilder("noise_multiplier,epsilon,delta,rounds," + String.join(",", result.metrics())
                + "\n");
        for (var p : result.points()) {
            sb.append(p.noiseMultiplier() == null ? "none" : p.noiseMultiplier()).append(',')
                    .append(Double.isInfinite(p.epsilon()) ? "inf" : String.format(Locale.ROOT, "%.6g", p.epsilon())).append(',')
                    .append(p.delta()).append(',').append(p.rounds());
            for (String m : result.metrics()) {
                Double v = p.pooled().get(m);
                sb.append(',').append(v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.6f", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The objective's headline metric and first reported metric against epsilon, each with its no-DP line. */
    static XYChart chart(PrivacyTradeoff.Result result) {
        List<String> plotted = ReportedMetrics.plotted(result.metrics(), result.headline());
        XYChart chart = new XYChartBuilder().width(800).height(480)
                .title("DP-FedAvg on " + result.dataset() + ": pooled test metrics vs epsilon (delta "
                        + result.points().getFirst().delta() + ")")
                .xAxisTitle("epsilon (log scale)").yAxisTitle(String.join(", ", plotted)).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        List<Double> eps = new ArrayList<>();
        List<List<Double>> ys = new ArrayList<>();
        double[] baseline = new double[plotted.size()];
        plotted.forEach(m -> ys.add(new ArrayList<>()));
        for (var p : result.points()) {
            for (int i = 0; i < plotted.size(); i++) {
                double v = p.pooled().getOrDefault(plotted.get(i), Double.NaN);
                if (p.noiseMultiplier() == null) {
                    baseline[i] = v;
                } else {
                    ys.get(i).add(v);
                }
            }
            if (p.noiseMultiplier() != null) {
                eps.add(p.epsilon());
            }
        }
        if (!eps.isEmpty()) {
            double lo = eps.stream().mapToDouble(Double::doubleValue).min().orElse(1);
            double hi = eps.stream().mapToDouble(Double::doubleValue).max().orElse(10);
            for (int i = 0; i < plotted.size(); i++) {
                chart.addSeries(plotted.get(i) + " (DP)", eps, ys.get(i))
                        .setMarker(i == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                XYSeries b = chart.addSeries(plotted.get(i) + ", no DP", List.of(lo, hi),
                        List.of(baseline[i], baseline[i]));
                b.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }
}
