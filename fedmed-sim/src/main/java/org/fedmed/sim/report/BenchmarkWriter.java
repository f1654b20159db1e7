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
 * peak heap) and {@code benchmark.png} (each grid point's first reported metric, mean per arm with
 * one-standard-deviation error bars: accuracy, RMSE or the C-index), and renders the summary as a text table. The
 * columns are the reported metrics of the datasets' objectives ({@link ReportedMetrics}), in the order they first
 * appear; a metric a dataset's objective does not report is left empty.
 */
public final class BenchmarkWriter {

    /** The metrics of the grid's cells, in the order they first appear. */
    static List<String> metrics(StrategyBenchmark.Result result) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        result.cells().forEach(c -> out.addAll(c.metrics()));
        return List.copyOf(out);
    }

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
            throw new UncheckedIOException("cannot write the benchmark report to " + dir + ": " + IoProblems.describe(e), e);
        }
    }

    static String cellsCsv(StrategyBenchmark.Result result) {
        List<String> metrics = metrics(result);
        StringBuilder sb = new StringBuilder("dataset,partition,arm,seed," + String.join(",", metrics) + ",wall_millis\n");
        for (var c : result.cells()) {
            sb.append(c.dataset()).append(',').append(c.partition()).append(',').append(c.arm()).append(',')
                    .append(c.seed());
            for (String m : metrics) {
                sb.append(',').append(number(c.metrics().contains(m) ? c.pooled().get(m) : null));
            }
            sb.append(',').append(c.wallMillis()).append('\n');
        }
        return sb.toString();
    }

    static String summaryCsv(StrategyBenchmark.Result result) {
        List<String> metrics = metrics(result);
        StringBuilder sb = new StringBuilder("dataset,partition,arm,seeds");
        for (String m : metrics) {
            sb.append(',').append(m).append("_mean,").append(m).append("_sd");
        }
        sb.append('\n');
        for (var s : result.summary()) {
            sb.append(s.dataset()).append(',').append(s.partition()).append(',').append(s.arm()).append(',')
                    .append(s.seeds());
            for (String m : metrics) {
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
        List<String> metrics = metrics(result);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, head, "dataset", "partition", "arm", "seeds"));
        for (String m : metrics) {
            sb.append(String.format(Locale.ROOT, " %19s", m));
        }
        sb.append('\n');
        for (var s : result.summary()) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s %-10s %-12s %5d", s.dataset(), s.partition(),
                    s.arm(), s.seeds()));
            for (String m : metrics) {
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

    static CategoryChart chart(StrategyBenchmark.Result result) {
        Map<String, String> plotted = new LinkedHashMap<>();
        for (var c : result.cells()) {
            plotted.putIfAbsent(c.dataset(), c.metrics().getFirst());
        }
        List<String> names = plotted.values().stream().distinct().toList();
        String shown = String.join(", ", names);
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title("Pooled test " + shown + ", mean +/- sd over seeds").xAxisTitle("arm").yAxisTitle(shown)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        Map<String, List<StrategyBenchmark.Summary>> byPoint = new LinkedHashMap<>();
        for (var s : result.summary()) {
            byPoint.computeIfAbsent(s.dataset() + " / " + s.partition(), k -> new ArrayList<>()).add(s);
        }
        byPoint.forEach((point, rows) -> {
            String metric = plotted.get(rows.getFirst().dataset());
            List<String> arms = rows.stream().map(StrategyBenchmark.Summary::arm).toList();
            List<Double> mean = rows.stream().map(r -> {
                Double v = r.mean().get(metric);
                return v == null || v.isNaN() ? 0.0 : v;
            }).toList();
            List<Double> sd = rows.stream().map(r -> {
                Double v = r.sd().get(metric);
                return v == null || v.isNaN() ? 0.0 : v;
            }).toList();
            chart.addSeries(names.size() > 1 ? point + " (" + metric + ")" : point, arms, mean, sd);
        });
        return chart;
    }
}
