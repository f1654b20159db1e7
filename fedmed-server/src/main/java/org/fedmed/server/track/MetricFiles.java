package org.fedmed.server.track;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The always-written metric files of a tracked run: {@code metrics.csv} with the header
 * {@code run,round,site,metric,value}, and {@code metrics.jsonl} with one object per line
 * {@code {"run":..,"round":..,"site":..,"metric":..,"value":..}}, one row or line per {@link MetricRow}. A
 * federation-wide row has an empty site in the CSV and {@code "site":null} in JSON; values are written in the
 * shortest form that reads back to the same double. Both files are appended to (a resumed run continues them;
 * the CSV header is written only to a new file) and flushed after every batch, so a crash loses at most the
 * round being written.
 */
public final class MetricFiles implements AutoCloseable {

    public static final String CSV = "metrics.csv";
    public static final String JSONL = "metrics.jsonl";
    public static final String CSV_HEADER = "run,round,site,metric,value";

    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final Path dir;
    private final BufferedWriter csv;
    private final BufferedWriter jsonl;
    /** Writes the JSON lines into {@link #jsonl}, one object a row and nothing between them but the line break. */
    private final JsonGenerator lines;

    public MetricFiles(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            Path csvFile = dir.resolve(CSV);
            boolean fresh = !Files.exists(csvFile) || Files.size(csvFile) == 0;
            csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            jsonl = Files.newBufferedWriter(dir.resolve(JSONL), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            lines = JSON.createGenerator(jsonl);
            lines.setRootValueSeparator(null);
            if (fresh) {
                csv.write(CSV_HEADER);
                csv.write('\n');
                csv.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the metric files in " + dir + ": " + e.getMessage(), e);
        }
    }

    public void write(List<MetricRow> rows) {
        try {
            for (MetricRow r : rows) {
                csv.write(csvField(r.run()) + "," + r.round() + "," + (r.site() == null ? "" : csvField(r.site()))
                        + "," + csvField(r.metric()) + "," + r.value() + "\n");
                lines.writeStartObject();
                lines.writeStringField("run", r.run());
                lines.writeNumberField("round", r.round());
                if (r.site() == null) {
                    lines.writeNullField("site");
                } else {
                    lines.writeStringField("site", r.site());
                }
                lines.writeStringField("metric", r.metric());
                lines.writeNumberField("value", r.value());
                lines.writeEndObject();
                lines.writeRaw('\n');
            }
            csv.flush();
            lines.flush(); // and the writer under it
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metric files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A CSV field, quoted when it holds a comma, a quote or a line break. */
    static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        try (csv; jsonl; lines) {
            // closes all three, the generator before its writer (it leaves it open), each even if one fails
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the metric files in " + dir + ": " + e.getMessage(), e);
        }
    }
}
