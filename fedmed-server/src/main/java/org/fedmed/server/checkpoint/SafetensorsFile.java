package org.fedmed.server.checkpoint;

import java.util.Map;
import org.fedmed.core.ModelParameters;

/**
 * The content of a safetensors file as fedmed reads it: the parameters (tensors in the order of their data
 * offsets), the {@code __metadata__} string map (empty when absent), and the SHA-256 of the file's bytes.
 */
public record SafetensorsFile(ModelParameters parameters, Map<String, String> metadata, String sha256) {
    public SafetensorsFile {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters are required");
        }
        metadata = Map.copyOf(metadata);
    }
}
