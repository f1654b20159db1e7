package org.fedmed.server.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.Tensor;
import org.fedmed.core.strategy.StrategyState;

/**
 * A strategy's state as a safetensors file beside the round's model checkpoint: each named vector is a 1-D float32
 * tensor under its own name, and each named value is a metadata entry under its own name, so the file reads back
 * to an equal {@link StrategyState} bit for bit. A state with no vectors holds one empty tensor
 * {@value #EMPTY}, as safetensors has no file without tensors. The file is written atomically, like checkpoints.
 */
public final class StrategyStateFile {

    static final String FORMAT_KEY = "fedmed.format";
    static final String FORMAT = "fedmed-strategy-state-1";
    static final String EMPTY = "fedmed.no_vectors";

    private StrategyStateFile() {
    }

    /** Writes {@code state} to {@code file} and returns the file's SHA-256. */
    public static String write(Path file, StrategyState state) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        state.vectors().forEach((name, v) -> tensors.add(new Tensor(name, new int[]{v.length}, v)));
        if (tensors.isEmpty()) {
            tensors.add(new Tensor(EMPTY, new int[]{0}, new float[0]));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.putAll(state.values());
        return SafetensorsWriter.write(file, ModelParameters.of(tensors), meta);
    }

    /**
     * Reads a state back, checking the file's SHA-256 against {@code expectedSha256}.
     *
     * @throws IOException if the file is missing, corrupt, changed since it was written, or not a strategy state
     */
    public static StrategyState read(Path file, String expectedSha256) throws IOException {
        SafetensorsFile f = SafetensorsReader.readVerified(file, expectedSha256);
        if (!FORMAT.equals(f.metadata().get(FORMAT_KEY))) {
            throw new SafetensorsFormatException(file, "is not a fedmed strategy state (metadata '" + FORMAT_KEY
                    + "' is " + f.metadata().get(FORMAT_KEY) + ", expected " + FORMAT + ")");
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
        Map<String, String> values = new LinkedHashMap<>(f.metadata());
        values.remove(FORMAT_KEY);
        return new StrategyState(vectors, values);
    }
}
