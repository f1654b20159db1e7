package org.fedmed.deploy.site;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.fedmed.data.prep.PreprocessingJson;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.server.checkpoint.AtomicFiles;

/**
 * The preprocessing a site fitted on its own training rows, written at start beside its audit log
 * ({@code audit.jsonl} has {@code audit-preprocessing.json}) in the form an export carries (see
 * {@link PreprocessingJson}): the model inputs in order and, per raw column, its fill, centre, scale, clip bounds,
 * indicator and levels. A deployment's sites standardize with their own statistics, which the server never sees;
 * with this file, {@code fedmed predict --preprocessing} applies a model the server exported to a new row of this
 * site exactly as the site encoded its training rows. The file stays at the site.
 */
public final class SitePreprocessingFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SitePreprocessingFile() {
    }

    /** The file beside {@code auditLog}. */
    public static Path beside(Path auditLog) {
        String name = auditLog.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return auditLog.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-preprocessing.json");
    }

    /** Writes the site's fitted preprocessing to {@code file}, atomically. */
    public static void write(LocalData data, DataSettings settings, Path file) throws IOException {
        Preprocessor p = data.site().preprocessor().orElseThrow(() -> new IllegalStateException("site '"
                + data.siteId() + "': its data carry no fitted preprocessing to record"));
        var section = PreprocessingJson.section(settings.options().preprocessing(), Map.of(data.siteId(), p));
        AtomicFiles.writeString(file, JSON.writeValueAsString(section));
    }
}
