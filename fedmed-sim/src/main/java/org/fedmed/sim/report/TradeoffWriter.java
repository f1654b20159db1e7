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

/** Writes a privacy trade-off as {@code tradeoff.json}, {@code tradeoff.csv} and {@code tradeoff.png}. */
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
            throw new UncheckedIOException("cannot write the trade-off report to " + dir + ": " + e.getMessage(), e);
        }
    }

    static String csv(PrivacyTradeoff.Result result) {
        StringBuilder sb = new StringBuilder("noise_multiplier,epsilon,delta,rounds,accuracy,balanced_accuracy,roc_auc,log_loss\n");
        for (var p : result.points()) {
            sb.append(p.noiseMultiplier() == null ? "none" : p.noiseMultiplier()).append(',')
                    .append(Double.isInfinite(p.epsilon()) ? "inf" : String.format(Locale.ROOT, "%.6g", p.epsilon())).append(',')
                    .append(p.delta()).append(',').append(p.rounds());
            for (String m : List.of("accuracy", "balanced_accuracy", "roc_auc", "log_loss")) {
                Double v = p.pooled().get(m);
                sb.append(',').append(v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.6f", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static XYChart chart(PrivacyTradeoff.Result result) {
        XYChart chart = new XYChartBuilder().width(800).height(480)
                .title("DP-FedAvg on " + result.dataset() + ": pooled test metrics vs epsilon (delta "
                        + result.points().getFirst().delta() + ")")
                .xAxisTitle("epsilon (log scale)").yAxisTitle("metric").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        List<Double> eps = new ArrayList<>();
        List<Double> auc = new ArrayList<>();
        List<Double> acc = new ArrayList<>();
        double[] baseline = new double[2];
        for (var p : result.points()) {
            if (p.noiseMultiplier() == null) {
                baseline[0] = p.pooled().getOrDefault("roc_auc", Double.NaN);
                baseline[1] = p.pooled().getOrDefault("accuracy", Double.NaN);
                continue;
            }
            eps.add(p.epsilon());
            auc.add(p.pooled().getOrDefault("roc_auc", Double.NaN));
            acc.add(p.pooled().getOrDefault("accuracy", Double.NaN));
        }
        if (!eps.isEmpty()) {
            chart.addSeries("ROC AUC (DP)", eps, auc).setMarker(SeriesMarkers.CIRCLE);
            chart.addSeries("accuracy (DP)", eps, acc).setMarker(SeriesMarkers.DIAMOND);
            double lo = eps.stream().mapToDouble(Double::doubleValue).min().orElse(1);
            double hi = eps.stream().mapToDouble(Double::doubleValue).max().orElse(10);
            XYSeries a = chart.addSeries("ROC AUC, no DP", List.of(lo, hi), List.of(baseline[0], baseline[0]));
            a.setMarker(SeriesMarkers.NONE);
            XYSeries b = chart.addSeries("accuracy, no DP", List.of(lo, hi), List.of(baseline[1], baseline[1]));
            b.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
