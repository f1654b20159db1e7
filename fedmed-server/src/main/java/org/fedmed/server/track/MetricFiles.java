package org.fedmed.server.track;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final BufferedWriter csv;
    private final BufferedWriter jsonl;

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
                ObjectNode o = JSON.createObjectNode();
                o.put("run", r.run());
                o.put("round", r.round());
                if (r.site() == null) {
                    o.putNull("site");
                } else {
                    o.put("site", r.site());
                }
                o.put("metric", r.metric());
                o.put("value", r.value());
                jsonl.write(JSON.writeValueAsString(o));
                jsonl.write('\n');
            }
            csv.flush();
            jsonl.flush();
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
        try (csv; jsonl) {
            // closes both, the second even if the first fails
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the metric files in " + dir + ": " + e.getMessage(), e);
        }
    }
}
