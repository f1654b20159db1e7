package org.fedmed.deploy.site;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.Tensor;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.ml.ModelSpec;
import org.fedmed.server.FedmedVersion;
import org.fedmed.server.checkpoint.SafetensorsFile;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.checkpoint.SafetensorsWriter;

/**
 * What a site carries from one fit of a run to the next (its batch cursor and round marks, SCAFFOLD's control variate
 * c_i with a pending one, a FedPer head or a Ditto personal model: {@link org.fedmed.ml.TrainingSiteClient#trainingState()}),
 * as a safetensors file in its work directory beside its audit log ({@code audit.jsonl} has
 * {@code audit-state.safetensors}), so that a site process that restarts in the middle of a run continues it as the
 * process that died would have. Each vector is a 1-D float32 tensor under its name, each value a metadata entry
 * under its name; the metadata also names the site, the run (as the server names it on the wire), the round of the
 * last fit, the model spec, the plan fingerprint (strategy, model spec label and parameter layout) and the SHA-256
 * of all of it, which {@link #read} checks. The file is written atomically (temporary file, fsync, rename), so a
 * kill leaves the previous round's state or this one's, never a part.
 */
public final class SiteStateFile {

    static final String FORMAT_KEY = "fedmed.format";
    static final String FORMAT = "fedmed-site-state-1";
    static final String SITE = "fedmed.site";
    static final String RUN = "fedmed.run";
    static final String ROUND = "fedmed.round";
    static final String SPEC = "fedmed.model_spec";
    static final String FINGERPRINT = "fedmed.plan_fingerprint";
    static final String SHA = "fedmed.state_sha256";
    static final String VERSION = "fedmed.version";
    static final String EMPTY = "fedmed.no_vectors";

    private SiteStateFile() {
    }

    /**
     * One site's state for one run after a fit.
     *
     * @param run         the run as the server names it on the wire, not blank
     * @param round       the round of the fit after which it was written, >= 1
     * @param fingerprint {@link #fingerprint} of the run's strategy, model spec label and layout
     */
    public record Contents(String siteId, String run, int round, ModelSpec spec, String fingerprint,
                           StrategyState state) {
        public Contents {
            if (siteId == null || siteId.isBlank() || run == null || run.isBlank() || spec == null
                    || fingerprint == null || state == null) {
                throw new IllegalArgumentException("a site state needs its site, run, model spec, plan fingerprint"
                        + " and state");
            }
            if (round < 1) {
                throw new IllegalArgumentException("a site state is written after a fit, of round >= 1; got round "
                        + round);
            }
        }
    }

    /** The state file beside {@code auditLog}. */
    public static Path beside(Path auditLog) {
        String name = auditLog.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return auditLog.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-state.safetensors");
    }

    /**
     * The plan fingerprint a state is kept for: SHA-256 over the strategy name and the model spec label the server
     * sends with every task, and the parameter layout (tensor names and shapes in order).
     */
    public static String fingerprint(String strategy, String modelSpecLabel, ParameterLayout layout) {
        StringBuilder b = new StringBuilder().append(strategy).append('\n').append(modelSpecLabel).append('\n');
        for (ParameterLayout.Entry e : layout.entries()) {
            b.append(e.name()).append(java.util.Arrays.toString(e.shape())).append(';');
        }
        return HexFormat.of().formatHex(sha256().digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes {@code c} to {@code file}, replacing it atomically. */
    public static void write(Path file, Contents c) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        c.state().vectors().forEach((name, v) -> tensors.add(new Tensor(name, new int[]{v.length}, v)));
        if (tensors.isEmpty()) {
            tensors.add(new Tensor(EMPTY, new int[]{0}, new float[0]));
        }
        ModelParameters vectors = ModelParameters.of(tensors);
        Map<String, String> meta = new TreeMap<>(c.state().values());
        meta.put(FORMAT_KEY, FORMAT);
        meta.put(SITE, c.siteId());
        meta.put(RUN, c.run());
        meta.put(ROUND, Integer.toString(c.round()));
        meta.put(SPEC, c.spec().toJson());
        meta.put(FINGERPRINT, c.fingerprint());
        meta.put(VERSION, FedmedVersion.current());
        meta.put(SHA, digest(meta, vectors));
        SafetensorsWriter.write(file, vectors, meta);
    }

    /** The state in {@code file}, or empty when there is no such file; see {@link #read}. */
    public static Optional<Contents> readIfPresent(Path file) throws IOException {
        return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
    }

    /**
     * Reads a state back, checking its format and its SHA-256.
     *
     * @throws IOException naming the file, if it is not a readable safetensors file, not a site state, or its
     *                     contents do not hash to the SHA-256 it records (it was changed or damaged)
     */
    public static Contents read(Path file) throws IOException {
        SafetensorsFile f;
        try {
            f = SafetensorsReader.read(file);
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, "it is not a readable safetensors file (" + e.getMessage() + ")", e);
        }
        Map<String, String> meta = new TreeMap<>(f.metadata());
        if (!FORMAT.equals(meta.get(FORMAT_KEY))) {
            throw corrupt(file, "it is not a fedmed site state (metadata '" + FORMAT_KEY + "' is "
                    + meta.get(FORMAT_KEY) + ", expected " + FORMAT + ")", null);
        }
        String recorded = meta.remove(SHA);
        String actual = digest(meta, f.parameters());
        if (!actual.equals(recorded)) {
            throw corrupt(file, "its contents hash to SHA-256 " + actual + " but it records " + recorded, null);
        }
        Map<String, float[]> vectors = new LinkedHashMap<>();
        ModelParameters p = f.parameters();
        for (ParameterLayout.Entry e : p.layout().entries()) {
            if (!e.name().equals(EMPTY)) {
                float[] v = new float[e.size()];
                System.arraycopy(p.flat(), e.offset(), v, 0, e.size());
                vectors.put(e.name(), v);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (!k.startsWith("fedmed.")) {
                values.put(k, v);
            }
        });
        try {
            return new Contents(meta.get(SITE), meta.get(RUN), Integer.parseInt(meta.get(ROUND)),
                    ModelSpec.parse(meta.get(SPEC)), meta.get(FINGERPRINT), new StrategyState(vectors, values));
        } catch (RuntimeException e) {
            throw corrupt(file, "its metadata does not describe a site state: " + e.getMessage(), e);
        }
    }

    private static IOException corrupt(Path file, String why, Throwable cause) {
        return new IOException("site state file " + file + " is corrupt: " + why + ". The site does not use it;"
                + " move it away to start this site without its saved state (SCAFFOLD's control variate and the"
                + " personal model of the run it was kept for are then lost)", cause);
    }

    /** SHA-256 over the metadata (sorted, without the digest itself) and the vectors' float32 values. */
    private static String digest(Map<String, String> meta, ModelParameters vectors) {
        MessageDigest sha = sha256();
        new TreeMap<>(meta).forEach((k, v) -> {
            if (!k.equals(SHA)) {
                sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        for (ParameterLayout.Entry e : vectors.layout().entries()) {
            sha.update((e.name() + java.util.Arrays.toString(e.shape()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        float[] flat = vectors.flat();
        ByteBuffer buf = ByteBuffer.allocate(4 * flat.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(flat);
        sha.update(buf.array());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
