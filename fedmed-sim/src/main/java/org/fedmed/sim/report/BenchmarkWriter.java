package org.fedmed.sim.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.sim.StrategyBenchmark;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes a strategy benchmark: {@code benchmark.csv} (one row per run), {@code summary.csv} (mean and standard
 * deviation over seeds per dataset, partition and arm), {@code benchmark.json} (both, with the grid's wall time and
 * peak heap) and {@code benchmark.png} (mean pooled accuracy per arm with one-standard-deviation error bars), and
 * renders the summary as a text table.
 */
public final class BenchmarkWriter {

    /** The metrics reported, in column order. */
    public static final List<String> METRICS = List.of("accuracy", "balanced_accuracy", "roc_auc", "log_loss");

    public List<Path> write(StrategyBenchmark.Result result, Path dir) {
        try {
            Files.createDirectories(dir);
            Path cells = dir.resolve("benchmark.csv");
            Files.writeString(cells, cellsCsv(result));
            Path summary = dir.resolve("summary.csv");
            Files.writeString(summary, summaryCsv(result));
            Path json = dir.resolve("benchmark.json");
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("wall_millis", result.wallMillis());
            doc.put("peak_heap_bytes", result.peakHeapBytes());
            doc.put("summary", result.summary());
            doc.put("runs", result.cells());
            ConfigLoader.jsonWriter().writeValue(json.toFile(), doc);
            Path png = dir.resolve("benchmark.png");
            BitmapEncoder.saveBitmap(chart(result), png.toString(), BitmapEncoder.BitmapFormat.PNG);
            return List.of(cells, summary, json, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark report to " + dir + ": " + e.getMessage(), e);
        }
    }

    static String cellsCsv(StrategyBenchmark.Result result) {
        StringBuilder sb = new StringBuilder("dataset,partition,arm,seed," + String.join(",", METRICS) + ",wall_millis\n");
        for (var c : result.cells()) {
            sb.append(c.dataset()).append(',').append(c.partition()).append(',').append(c.arm()).append(',')
                    .append(c.seed());
            for (String m : METRICS) {
                sb.append(',').append(number(c.pooled().get(m)));
            }
            sb.append(',').append(c.wallMillis()).append('\n');
        }
        return sb.toString();
    }

    static String summaryCsv(StrategyBenchmark.Result result) {
        StringBuilder sb = new StringBuilder("dataset,partition,arm,seeds");
        for (String m : METRICS) {
            sb.append(',').append(m).append("_mean,").append(m).append("_sd");
        }
        sb.append('\n');
        for (var s : result.summary()) {
            sb.append(s.dataset()).append(',').append(s.partition()).append(',').append(s.arm()).append(',')
                    .append(s.seeds());
            for (String m : METRICS) {
                sb.append(',').append(number(s.mean().get(m))).append(',').append(number(s.sd().get(m)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The summary as a table: each metric as mean +/- sd over the seeds. */
    public static String table(StrategyBenchmark.Result result) {
        int width = Math.max(7, result.summary().stream().mapToInt(s -> s.dataset().length()).max().orElse(7));
        String head = "%-" + width + "s %-10s %-12s %5s";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, head, "dataset", "partition", "arm", "seeds"));
        for (String m : METRICS) {
            sb.append(String.format(Locale.ROOT, " %19s", m));
        }
        sb.append('\n');
        for (var s : result.summary()) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s %-10s %-12s %5d", s.dataset(), s.partition(),
                    s.arm(), s.seeds()));
            for (String m : METRICS) {
                sb.append(String.format(Locale.ROOT, " %19s", meanSd(s.mean().get(m), s.sd().get(m))));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String meanSd(Double mean, Double sd) {
        if (mean == null || mean.isNaN()) {
            return "n/a";
        }
        return sd == null || sd.isNaN() ? String.format(Locale.ROOT, "%.4f", mean)
                : String.format(Locale.ROOT, "%.4f +/- %.4f", mean, sd);
    }

    private static String number(Double v) {
        return v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static CategoryChart chart(StrategyBenchmark.Result result) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title("Pooled test accuracy, mean +/- sd over seeds").xAxisTitle("arm").yAxisTitle("accuracy")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        Map<String, List<StrategyBenchmark.Summary>> byPoint = new LinkedHashMap<>();
        for (var s : result.summary()) {
            byPoint.computeIfAbsent(s.dataset() + " / " + s.partition(), k -> new ArrayList<>()).add(s);
        }
        byPoint.forEach((point, rows) -> {
            List<String> arms = rows.stream().map(StrategyBenchmark.Summary::arm).toList();
            List<Double> mean = rows.stream().map(r -> r.mean().getOrDefault("accuracy", 0.0)).toList();
            List<Double> sd = rows.stream().map(r -> {
                Double v = r.sd().get("accuracy");
                return v == null || v.isNaN() ? 0.0 : v;
            }).toList();
            chart.addSeries(point, arms, mean, sd);
        });
        return chart;
    }
}
