package org.fedmed.data.csv;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.schema.FeatureSpec;

/**
 * Rows of a CSV file with a header, read for applying a model: every given feature column must be in the header,
 * and each of its cells is read exactly as {@link CsvLoader} reads it ({@code values[row][feature]}, NaN where
 * missing, a categorical cell as its level index). Other columns (an id, the label, anything) are kept as text,
 * unread, in {@code cells}. A missing feature column, a row with the wrong number of fields, or a cell that does
 * not fit is a {@link DataFormatException} naming the file, the line (the header is line 1) and the column.
 *
 * @param header the header's column names, in file order
 * @param cells  each row's cells as text, in file order
 * @param values each row's feature values, in the order of the features asked for
 * @param lines  each row's line number in the file
 */
public record FeatureRows(List<String> header, List<List<String>> cells, double[][] values, long[] lines) {

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(true)
            .get();

    public FeatureRows {
        header = List.copyOf(header);
        cells = List.copyOf(cells);
        if (cells.size() != values.length || values.length != lines.length) {
            throw new IllegalArgumentException("feature rows: " + cells.size() + " rows of cells, " + values.length
                    + " of values and " + lines.length + " line numbers");
        }
    }

    /** Reads {@code file} (UTF-8); errors name the file by its file name. */
    public static FeatureRows read(Path file, List<FeatureSpec> features) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.getFileName().toString(), features);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads CSV from a reader; {@code source} names it in errors. */
    public static FeatureRows read(Reader in, String source, List<FeatureSpec> features) {
        try (CSVParser parser = CSVParser.parse(in, FORMAT)) {
            List<String> header = new ArrayList<>();
            Map<String, Integer> positions = new HashMap<>();
            for (String raw : parser.getHeaderNames()) {
                String name = raw.strip();
                if (header.isEmpty() && name.startsWith("\uFEFF")) {
                    name = name.substring(1);
                }
                positions.put(name, header.size());
                header.add(name);
            }
            int[] at = new int[features.size()];
            for (int f = 0; f < at.length; f++) {
                Integer p = positions.get(features.get(f).name());
                if (p == null) {
                    throw DataFormatException.atLine(source, 1, "missing feature column '" + features.get(f).name()
                            + "' in the header " + header + "; the model needs every one of "
                            + features.stream().map(FeatureSpec::name).toList());
                }
                at[f] = p;
            }
            List<List<String>> cells = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            Iterator<CSVRecord> it = parser.iterator();
            while (it.hasNext()) {
                CSVRecord record = it.next();
                long line = parser.getCurrentLineNumber();
                if (record.size() != header.size()) {
                    throw DataFormatException.atLine(source, line, "malformed row: expected " + header.size()
                            + " fields as in the header, found " + record.size());
                }
                double[] row = new double[at.length];
                for (int f = 0; f < at.length; f++) {
                    row[f] = CsvLoader.parseFeatureCell(features.get(f), record.get(at[f]), source, line);
                }
                cells.add(record.toList());
                values.add(row);
                lines.add(line);
            }
            return new FeatureRows(header, cells, values.toArray(new double[0][]),
                    lines.stream().mapToLong(Long::longValue).toArray());
        } catch (IOException | UncheckedIOException e) {
            throw new DataFormatException(source + ": cannot parse CSV: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            if (e instanceof DataFormatException d) {
                throw d;
            }
            throw new DataFormatException(source + " line 1: bad header: " + e.getMessage(), e);
        }
    }

    /** Number of rows. */
    public int rows() {
        return values.length;
    }
}
