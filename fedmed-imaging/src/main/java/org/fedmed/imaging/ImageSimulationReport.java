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
 * {@code results.json} lists), so two runs can be compared bit for bit.
 */
public final class ImageSimulationReport {

    /** The files written, in order. */
    public static final List<String> FILES = List.of("rounds.csv", "results.json", "model.bin");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ImageSimulationReport() {
    }

    /** Writes the three files into {@code dir} (created if missing); returns their paths. */
    public static List<Path> write(ImageSimulation.Result result, SimulationConfig config, Path dir) throws IOException {
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
