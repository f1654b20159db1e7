package org.fedmed.imaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.plan.SimulationConfig;

/**
 * Writes an {@link ImageSimulation.Result} to a folder: {@code rounds.csv} (per round: the sites' weighted test
 * accuracy and log loss, the largest site epsilon under {@code site_dp}, wall milliseconds), {@code results.json}
 * (dataset, partition, sites and their image counts, the model spec and its parameter count, stop reason, the final
 * model's metrics on all test images, site epsilons, the plan as resolved, and the SHA-256 of the final model's
 * float32 bits) and {@code model.bin} (the final parameters as little-endian float32 in the layout's order, which
 * {@code results.json} lists), so two runs can be compared bit for bit. A {@link ImageComparison} adds
 * {@code regimes.csv} and a {@code regimes} object in {@code results.json} keyed by regime, as the tabular report.
 */
public final class ImageSimulationReport {

    /** The files written, in order. */
    public static final List<String> FILES = List.of("rounds.csv", "results.json", "model.bin");

    /** The per-regime table a comparison adds. */
    public static final String REGIMES_CSV = "regimes.csv";

    /** The row name of all sites' test images together in {@code regimes.csv}. */
    public static final String POOLED = "pooled";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ImageSimulationReport() {
    }

    /** Writes the three files into {@code dir} (created if missing); returns their paths. */
    public static List<Path> write(ImageSimulation.Result result, SimulationConfig config, Path dir) throws IOException {
        return write(result, config, dir, Map.of());
    }

    /**
     * Writes a {@link ImageComparison}: {@code regimes.csv} (one row per regime and site, then the
     * regime's {@code pooled} row: test images and every metric) and {@code results.json} with a {@code regimes}
     * object keyed by regime (per site and pooled metrics, test images, wall milliseconds); with the federated
     * regime, {@code rounds.csv}, {@code model.bin} and the federated fields of {@link #write(ImageSimulation.Result,
     * SimulationConfig, Path)} as well, unchanged. Returns the paths written.
     */
    public static List<Path> write(ImageComparison comparison, SimulationConfig config, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> regimes = new LinkedHashMap<>();
        List<String> metrics = new ArrayList<>();
        for (ImageComparison.RegimeOutcome o : comparison.regimes().values()) {
            Map<String, Object> r = new LinkedHashMap<>();
            Map<String, Integer> tests = new LinkedHashMap<>();
            for (int i = 0; i < comparison.siteIds().size(); i++) {
                tests.put(comparison.siteIds().get(i), comparison.testImages().get(i));
            }
            r.put("sites", o.sites());
            r.put("pooled", o.pooled());
            r.put("test_images", tests);
            r.put("wall_ms", o.wallMillis());
            regimes.put(o.regime(), r);
            o.pooled().keySet().forEach(m -> {
                if (!metrics.contains(m)) {
                    metrics.add(m);
                }
            });
        }
        StringBuilder csv = new StringBuilder("regime,site,test_images");
        metrics.forEach(m -> csv.append(',').append(m));
        csv.append('\n');
        int pooledImages = comparison.testImages().stream().mapToInt(Integer::intValue).sum();
        for (ImageComparison.RegimeOutcome o : comparison.regimes().values()) {
            for (int i = 0; i < comparison.siteIds().size(); i++) {
                String site = comparison.siteIds().get(i);
                row(csv, o.regime(), site, comparison.testImages().get(i), metrics, o.sites().get(site));
            }
            row(csv, o.regime(), POOLED, pooledImages, metrics, o.pooled());
        }
        Path regimesCsv = dir.resolve(REGIMES_CSV);
        Files.writeString(regimesCsv, csv);
        List<Path> written = new ArrayList<>();
        if (comparison.federated() != null) {
            written.addAll(write(comparison.federated(), config, dir, Map.of("regimes", regimes)));
        } else {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("dataset", comparison.dataset().name());
            json.put("partition", comparison.partition().describe());
            json.put("sites", comparison.siteIds());
            json.put("train_images", comparison.trainImages());
            json.put("model", comparison.model().spec().toMap());
            json.put("input", comparison.model().input().toString());
            json.put("classes", comparison.model().classes());
            json.put("parameters", comparison.model().parameterCount());
            json.put("regimes", regimes);
            json.put("plan", config);
            Path results = dir.resolve(FILES.get(1));
            JSON.writeValue(results.toFile(), json);
            written.add(results);
        }
        written.add(regimesCsv);
        return written;
    }

    /**
     * The regimes side by side for the terminal, as the tabular table: one row per site and regime, then one
     * {@code POOLED} row per regime; columns {@code n} (test images) and every metric ({@code -} where undefined).
     */
    public static String table(ImageComparison comparison) {
        List<String> metrics = new ArrayList<>();
        comparison.regimes().values().forEach(o -> o.pooled().keySet().forEach(m -> {
            if (!metrics.contains(m)) {
                metrics.add(m);
            }
        }));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s %-12s %6s", "site", "regime", "n"));
        metrics.forEach(m -> sb.append(String.format(Locale.ROOT, " %10s", m.length() > 10 ? m.substring(0, 10) : m)));
        String rule = "-".repeat(sb.length());
        sb.append('\n').append(rule).append('\n');
        for (int i = 0; i < comparison.siteIds().size(); i++) {
            String site = comparison.siteIds().get(i);
            for (ImageComparison.RegimeOutcome o : comparison.regimes().values()) {
                tableRow(sb, site, o.regime(), comparison.testImages().get(i), metrics, o.sites().get(site));
            }
        }
        sb.append(rule).append('\n');
        int pooledImages = comparison.testImages().stream().mapToInt(Integer::intValue).sum();
        for (ImageComparison.RegimeOutcome o : comparison.regimes().values()) {
            tableRow(sb, "POOLED", o.regime(), pooledImages, metrics, o.pooled());
        }
        return sb.toString();
    }

    private static void tableRow(StringBuilder sb, String site, String regime, int n, List<String> metrics,
                                 Map<String, Double> values) {
        sb.append(String.format(Locale.ROOT, "%-14s %-12s %6d", site, regime, n));
        for (String m : metrics) {
            Double v = values.get(m);
            sb.append(v == null ? String.format(Locale.ROOT, " %10s", "-") : String.format(Locale.ROOT, " %10.4f", v));
        }
        sb.append('\n');
    }

    private static void row(StringBuilder csv, String regime, String site, int images, List<String> metrics,
                            Map<String, Double> values) {
        csv.append(regime).append(',').append(site).append(',').append(images);
        metrics.forEach(m -> csv.append(',').append(num(values.get(m))));
        csv.append('\n');
    }

    private static List<Path> write(ImageSimulation.Result result, SimulationConfig config, Path dir,
                                    Map<String, Object> extra) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("round,accuracy,log_loss,dp_epsilon,wall_ms\n");
        for (RoundRecord r : result.run().rounds()) {
            csv.append(r.round()).append(',')
                    .append(num(r.evalMetrics().get(ClassificationMetrics.ACCURACY))).append(',')
                    .append(num(r.evalMetrics().get(ClassificationMetrics.LOG_LOSS))).append(',')
                    .append(num(r.fitMetrics().get("dp_epsilon"))).append(',')
                    .append(r.durationMillis()).append('\n');
        }
        Path rounds = dir.resolve(FILES.get(0));
        Files.writeString(rounds, csv);
        ModelParameters model = result.run().finalModel();
        byte[] bits = floatBits(model.flat());
        Path bin = dir.resolve(FILES.get(2));
        Files.write(bin, bits);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", result.dataset().name());
        json.put("partition", result.partition().describe());
        json.put("sites", result.siteIds());
        json.put("train_images", result.trainImages());
        json.put("model", result.model().spec().toMap());
        json.put("input", result.model().input().toString());
        json.put("classes", result.model().classes());
        json.put("parameters", result.model().parameterCount());
        json.put("rounds_run", result.run().rounds().size());
        json.put("stop_reason", result.run().stopReason().name().toLowerCase(Locale.ROOT));
        json.put("pooled_test", result.pooledTest());
        if (!result.siteEpsilons().isEmpty()) {
            json.put("site_epsilons", result.siteEpsilons());
        }
        List<Map<String, Object>> layout = new ArrayList<>();
        model.layout().entries().forEach(e -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", e.name());
            t.put("size", e.size());
            layout.add(t);
        });
        json.put("layout", layout);
        json.put("final_model_sha256", sha256(bits));
        json.putAll(extra);
        json.put("plan", config);
        Path results = dir.resolve(FILES.get(1));
        JSON.writeValue(results.toFile(), json);
        return List.of(rounds, results, bin);
    }

    /** The SHA-256 of {@code params}' float32 bits, little-endian, as {@code results.json} gives it. */
    public static String sha256(float[] params) {
        return sha256(floatBits(params));
    }

    private static byte[] floatBits(float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return buf.array();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK lacks SHA-256, which every Java platform must provide", e);
        }
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.6f", v);
    }
}
