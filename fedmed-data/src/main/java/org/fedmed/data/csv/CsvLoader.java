package org.fedmed.data.csv;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelKind;
import org.fedmed.data.schema.LabelSpec;

/**
 * Reads a comma-separated file with a header line into a {@link RawTable} according to a schema. An empty
 * cell is a missing value. Everything else that does not fit is a {@link DataFormatException} naming the
 * file, the line (the header is line 1) and the column: a row with the wrong number of fields, a schema
 * column absent from the header, a header column the schema does not mention, a label the schema cannot
 * map, a missing label, a categorical value outside the declared levels, an unparsable number, and a
 * literal NaN or infinity. Blank lines are skipped.
 */
public final class CsvLoader {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(true)
            .get();

    private CsvLoader() {
    }

    /** Reads {@code file} (UTF-8); errors name the file by its file name. */
    public static RawTable load(Path file, DatasetSchema schema) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return load(in, file.getFileName().toString(), schema);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads CSV text; {@code source} names it in errors and becomes the table's source. */
    public static RawTable load(String csv, String source, DatasetSchema schema) {
        return load(new StringReader(csv), source, schema);
    }

    /** Reads CSV from a reader; {@code source} names it in errors and becomes the table's source. */
    public static RawTable load(Reader in, String source, DatasetSchema schema) {
        CSVParser parser;
        try {
            parser = CSVParser.parse(in, FORMAT);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + " line 1: bad header: " + e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new DataFormatException(source + ": cannot parse CSV: " + e.getMessage(), e);
        }
        try (parser) {
            int[] featureIndex = headerIndices(parser.getHeaderNames(), source, schema);
            int labelIndex = featureIndex[featureIndex.length - 1];
            int width = parser.getHeaderNames().size();
            List<double[]> rows = new ArrayList<>();
            List<Double> labels = new ArrayList<>();
            Iterator<CSVRecord> it = parser.iterator();
            while (true) {
                CSVRecord record;
                long previousLine = parser.getCurrentLineNumber();
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    record = it.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw DataFormatException.atLine(source, previousLine + 1, "cannot parse CSV: " + e.getMessage());
                }
                long line = parser.getCurrentLineNumber();
                if (record.size() != width) {
                    throw DataFormatException.atLine(source, line, "malformed row: expected " + width
                            + " fields as in the header, found " + record.size());
                }
                double[] row = new double[schema.features().size()];
                for (int f = 0; f < row.length; f++) {
                    row[f] = parseFeature(schema.features().get(f), record.get(featureIndex[f]), source, line);
                }
                rows.add(row);
                labels.add(parseLabel(schema.label(), record.get(labelIndex), source, line));
            }
            double[] l = new double[labels.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = labels.get(i);
            }
            return new RawTable(source, schema, rows.toArray(new double[0][]), l);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + source, e);
        }
    }

    /** Column positions of the schema's features, then of the label, as the last element. */
    private static int[] headerIndices(List<String> header, String source, DatasetSchema schema) {
        if (header.isEmpty()) {
            throw new DataFormatException(source + " line 1: no header line; the first line must name the columns");
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1);
            }
            positions.put(name, i);
        }
        List<String> wanted = new ArrayList<>(schema.featureNames());
        wanted.add(schema.label().column());
        int[] idx = new int[wanted.size()];
        for (int i = 0; i < idx.length; i++) {
            Integer p = positions.get(wanted.get(i));
            if (p == null) {
                throw new DataFormatException(source + " line 1: missing column '" + wanted.get(i)
                        + "' in the header " + positions.keySet().stream().sorted().toList());
            }
            idx[i] = p;
        }
        Set<String> known = new HashSet<>(wanted);
        known.addAll(schema.ignore());
        for (String name : positions.keySet()) {
            if (!known.contains(name)) {
                throw new DataFormatException(source + " line 1: column '" + name
                        + "' is not in the schema; declare it as a feature or list it under 'ignore'");
            }
        }
        return idx;
    }

    /**
     * One feature cell as {@link #load} reads it: NaN when missing, a categorical cell's level index, otherwise the
     * number; a cell that does not fit is a {@link DataFormatException} naming {@code source}, the line and the column.
     */
    public static double parseFeatureCell(FeatureSpec spec, String cell, String source, long line) {
        return parseFeature(spec, cell, source, line);
    }

    private static double parseFeature(FeatureSpec spec, String cell, String source, long line) {
        String text = cell.strip();
        if (text.isEmpty()) {
            return Double.NaN;
        }
        if (spec.categorical()) {
            if (spec.zeroMeansMissing() && NUMBER.matcher(text).matches() && Double.parseDouble(text) == 0.0) {
                return Double.NaN;
            }
            rejectNonFinite(text, source, line, spec.name());
            int level = spec.levelIndex(text);
            if (level < 0) {
                throw DataFormatException.atCell(source, line, spec.name(), "value '" + text
                        + "' is not one of the declared levels " + spec.levels());
            }
            return level;
        }
        double v = parseNumber(text, source, line, spec.name());
        return spec.zeroMeansMissing() && v == 0.0 ? Double.NaN : v;
    }

    private static double parseLabel(LabelSpec spec, String cell, String source, long line) {
        String text = cell.strip();
        if (text.isEmpty()) {
            throw DataFormatException.atCell(source, line, spec.column(), "missing label; every row needs one");
        }
        if (spec.kind() == LabelKind.MAPPING) {
            rejectNonFinite(text, source, line, spec.column());
            int c = spec.mappedClass(text);
            if (c < 0) {
                throw DataFormatException.atCell(source, line, spec.column(), "label '" + text
                        + "' is outside the schema; expected one of " + spec.mapping().keySet());
            }
            return c;
        }
        double v = parseNumber(text, source, line, spec.column());
        return spec.kind() == LabelKind.THRESHOLD ? (v > spec.threshold() ? 1 : 0) : v;
    }

    private static double parseNumber(String text, String source, long line, String column) {
        rejectNonFinite(text, source, line, column);
        if (!NUMBER.matcher(text).matches()) {
            throw DataFormatException.atCell(source, line, column, "cannot parse '" + text + "' as a number");
        }
        double v = Double.parseDouble(text);
        if (!Double.isFinite(v)) {
            throw DataFormatException.atCell(source, line, column, "value '" + text + "' overflows a double");
        }
        return v;
    }

    private static void rejectNonFinite(String text, String source, long line, String column) {
        if (NON_FINITE.matcher(text).matches()) {
            throw DataFormatException.atCell(source, line, column, "literal '" + text
                    + "' is not allowed; leave the cell empty for a missing value");
        }
    }
}
