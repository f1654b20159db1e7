package org.fedmed.deploy.site;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.ml.ModelSpec;

/**
 * The last update a site sent with DP-FedAvg noise, and the fit it answered: the run, the task, the SHA-256 of the
 * global model it started from and the fit's settings. A fit asked again for the same (a resumed server runs its last
 * unrecorded round again) gets this very release, never a second noise draw of the same round: re-sending a release
 * costs no privacy, a second draw would. Kept in the site process and, for a site with files, in a file beside its
 * audit log ({@code audit.jsonl} has {@code audit-noised.safetensors}, in {@link SiteStateFile}'s format, so it is
 * written atomically before the update leaves and its SHA-256 is checked when it is read), so that a site process
 * restarted in between sends it again too. The file holds what the server already received, nothing more.
 *
 * @param globalSha256 SHA-256 of the global model's float32 values (little-endian), in hex
 * @param config       the fit's settings, as {@link org.fedmed.core.FitConfig#toString()} writes them
 */
record SiteNoisedRelease(String run, String taskId, String globalSha256, String config, FitResult result) {

    private static final String RELEASE = "update_noise.release";
    private static final String TASK = "update_noise.task";
    private static final String GLOBAL = "update_noise.global_sha256";
    private static final String CONFIG = "update_noise.config";
    private static final String EXAMPLES = "update_noise.examples";
    private static final String QUALITY = "update_noise.quality";
    private static final String DELTA = "update_noise.delta";
    private static final String METRICS = "update_noise.metrics";

    /** The release {@code result} answering {@code task} of {@code run}. */
    static SiteNoisedRelease of(String run, FitTask task, FitResult result) {
        return new SiteNoisedRelease(run, task.taskId(), sha256(task.global().flat()), task.config().toString(),
                result);
    }

    /** Whether {@code task} of {@code run} asks for exactly the fit this release answered. */
    boolean repeats(String run, FitTask task) {
        return this.run.equals(run) && taskId.equals(task.taskId()) && config.equals(task.config().toString())
                && globalSha256.equals(sha256(task.global().flat()));
    }

    /** The release file beside {@code auditLog}. */
    static Path beside(Path auditLog) {
        String name = auditLog.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return auditLog.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-noised.safetensors");
    }

    /** Writes this release of site {@code siteId}, trained with {@code spec} in {@code round}, replacing the file. */
    void write(Path file, String siteId, int round, ModelSpec spec) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(TASK, taskId);
        values.put(GLOBAL, globalSha256);
        values.put(CONFIG, config);
        values.put(EXAMPLES, Long.toString(result.numExamples()));
        values.put(QUALITY, Double.toString(result.quality()));
        values.put(DELTA, Boolean.toString(result.isDelta()));
        StringBuilder metrics = new StringBuilder();
        result.trainMetrics().forEach((k, v) -> metrics.append(k).append('\t').append(v).append('\n'));
        values.put(METRICS, metrics.toString());
        SiteStateFile.write(file, new SiteStateFile.Contents(siteId, run, round, spec, globalSha256,
                new StrategyState(Map.of(RELEASE, result.parameters().flat()), values)));
    }

    /**
     * The release site {@code siteId} wrote to {@code file}, or empty when there is none or it is another site's; its
     * parameters take the layout of the task that repeats it.
     *
     * @throws IOException naming the file, if it is not a readable release (see {@link SiteStateFile#read})
     */
    static Optional<Stored> read(Path file, String siteId) throws IOException {
        Optional<SiteStateFile.Contents> c = SiteStateFile.readIfPresent(file);
        if (c.isEmpty() || !c.get().siteId().equals(siteId)) {
            return Optional.empty();
        }
        Map<String, String> v = c.get().state().values();
        float[] release = c.get().state().vectors().get(RELEASE);
        if (release == null || !v.containsKey(TASK) || !v.containsKey(METRICS)) {
            throw new IOException("noised release file " + file + " holds no release; move it away");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String line : v.get(METRICS).split("\n")) {
            if (!line.isEmpty()) {
                String[] f = line.split("\t");
                metrics.put(f[0], Double.parseDouble(f[1]));
            }
        }
        return Optional.of(new Stored(c.get().run(), v.get(TASK), v.get(GLOBAL), v.get(CONFIG), release,
                Boolean.parseBoolean(v.get(DELTA)), Long.parseLong(v.get(EXAMPLES)),
                Double.parseDouble(v.get(QUALITY)), metrics));
    }

    /** A release read back from its file, before a task gives its parameters their layout. */
    record Stored(String run, String taskId, String globalSha256, String config, float[] parameters, boolean isDelta,
                  long numExamples, double quality, Map<String, Double> metrics) {

        /** The release for {@code task}, whose global model's layout its parameters have. */
        SiteNoisedRelease forTask(String siteId, FitTask task) {
            return new SiteNoisedRelease(run, taskId, globalSha256, config, new FitResult(siteId, taskId,
                    ModelParameters.ofFlat(task.global().layout(), parameters), isDelta, numExamples, quality,
                    metrics));
        }

        /** Whether {@code task} of {@code run} asks for exactly the fit this release answered. */
        boolean repeats(String run, FitTask task) {
            return this.run.equals(run) && taskId.equals(task.taskId()) && config.equals(task.config().toString())
                    && parameters.length == task.global().flat().length
                    && globalSha256.equals(sha256(task.global().flat()));
        }
    }

    private static String sha256(float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buf.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
