package org.fedmed.server.export;

import java.nio.file.Path;

/**
 * What an export wrote: the model file (safetensors) and its SHA-256, the provenance sidecar (JSON), and the run
 * and round the model comes from.
 */
public record ExportedModel(Path model, String sha256, Path provenance, long runId, int round) {
    public ExportedModel {
        if (model == null || sha256 == null || provenance == null) {
            throw new IllegalArgumentException("run " + runId + ": model, sha256 and provenance are required");
        }
    }
}
