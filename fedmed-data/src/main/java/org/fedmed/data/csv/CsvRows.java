package org.fedmed.data.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
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
import org.fedmed.data.schema.ColumnType;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelKind;
import org.fedmed.data.schema.LabelSpec;

/**
 * A forward-only cursor over a comma-separated file with a header line, read against a schema one row at a time:
 * memory does not grow with the number of rows. Each {@link #next()} parses one row into its feature values
 * (schema order, NaN for a missing value, a categorical or binary cell as the index of its level), its label, and
 * the raw text of the requested key columns (a site or split column, say; each must be one of the schema's ignored
 * columns). An empty cell, or one of a column's missing markers, is a missing value. Everything else that does not
 * fit is a {@link DataFormatException} naming the file, the line (the header is line 1) and the column: a row with
 * the wrong number of fields, a schema column absent from the header, a header column the schema does not mention,
 * a label the schema cannot map, a missing label, a level outside the declared ones, an unparsable number, a
 * fractional value in an integer column, and a literal NaN or infinity. Blank lines are skipped. The cell parsing
 * lives here with the cursor (hence the length) because every reader of rows, loading and validation alike, must
 * refuse exactly the same cells.
 */
public final class CsvRows implements AutoCloseable {

    private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(true)
            .get();

    private final String source;
    private final DatasetSchema schema;
    private final CSVParser parser;
    private final Iterator<CSVRecord> it;
    private final int[] featureIndex;
    private final int labelIndex;
    private final int[] keyIndex;
    private final int width;
    private final List<String> labelKeys;
    private double[] values;
    private double label;
    private final String[] keys;
    private long line;

    private CsvRows(Reader in, String source, DatasetSchema schema, List<String> keyColumns) {
        this.source = source;
        this.schema = schema;
        try {
            parser = CSVParser.parse(in, FORMAT);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + " line 1: bad header: " + e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new DataFormatException(source + ": cannot parse CSV: " + e.getMessage(), e);
        }
        List<String> header = parser.getHeaderNames();
        Map<String, Integer> positions = positions(header);
        featureIndex = new int[schema.features().size()];
        for (int f = 0; f < featureIndex.length; f++) {
            featureIndex[f] = require(positions, schema.features().get(f).name());
        }
        labelIndex = require(positions, schema.label().column());
        keyIndex = new int[keyColumns.size()];
        for (int k = 0; k < keyIndex.length; k++) {
            if (!schema.ignore().contains(keyColumns.get(k))) {
                throw new IllegalArgumentException("key column '" + keyColumns.get(k) + "' must be one of the schema's ignored columns "
                        + schema.ignore());
            }
            keyIndex[k] = require(positions, keyColumns.get(k));
        }
        Set<String> known = new HashSet<>(schema.featureNames());
        known.add(schema.label().column());
        known.addAll(schema.ignore());
        for (String name : header.stream().map(CsvRows::clean).toList()) {
            if (!known.contains(name)) {
                throw new DataFormatException(source + " line 1: column '" + name
                        + "' is not in the schema; declare it in the definition's columns, as a feature or with role: drop");
            }
        }
        width = header.size();
        keys = new String[keyIndex.length];
        labelKeys = new ArrayList<>(schema.label().mapping().keySet());
        it = parser.iterator();
    }

    /** Opens {@code file} (UTF-8); errors name the file by its file name. */
    public static CsvRows open(Path file, DatasetSchema schema, List<String> keyColumns) {
        try {
            BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            try {
                return new CsvRows(in, file.getFileName().toString(), schema, keyColumns);
            } catch (RuntimeException e) {
                in.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads CSV from a reader; {@code source} names it in errors. */
    public static CsvRows open(Reader in, String source, DatasetSchema schema, List<String> keyColumns) {
        return new CsvRows(in, source, schema, keyColumns);
    }

    /** Moves to the next row and parses it; false at the end of the file. */
    public boolean next() {
        CSVRecord record;
        long previousLine = parser.getCurrentLineNumber();
        try {
            if (!it.hasNext()) {
                return false;
            }
            record = it.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw DataFormatException.atLine(source, previousLine + 1, "cannot parse CSV: " + e.getMessage());
        }
        line = parser.getCurrentLineNumber();
        if (record.size() != width) {
            throw DataFormatException.atLine(source, line, "malformed row: expected " + width
                    + " fields as in the header, found " + record.size());
        }
        double[] row = new double[featureIndex.length];
        for (int f = 0; f < row.length; f++) {
            row[f] = parseFeature(schema.features().get(f), record.get(featureIndex[f]));
        }
        values = row;
        label = parseLabel(schema.label(), record.get(labelIndex));
        for (int k = 0; k < keys.length; k++) {
            keys[k] = record.get(keyIndex[k]).strip();
        }
        return true;
    }

    /** The current row's feature values, a fresh array per row that the caller may keep. */
    public double[] values() {
        return values;
    }

    /** The current row's class index, or its target for a regression label. */
    public double label() {
        return label;
    }

    /** The current row's text in key column {@code k} (in the order the columns were asked for), stripped. */
    public String key(int k) {
        return keys[k];
    }

    /** The number of key columns asked for. */
    public int keyCount() {
        return keys.length;
    }

    /** The line of the file the current row ended on (the header is line 1). */
    public long line() {
        return line;
    }

    /** What errors name this file by. */
    public String source() {
        return source;
    }

    /** The schema rows are read with. */
    public DatasetSchema schema() {
        return schema;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + source, e);
        }
    }

    private static String clean(String name) {
        String n = name.strip();
        return n.startsWith("\uFEFF") ? n.substring(1) : n;
    }

    private Map<String, Integer> positions(List<String> header) {
        if (header.isEmpty()) {
            throw new DataFormatException(source + " line 1: no header line; the first line must name the columns");
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            positions.put(clean(header.get(i)), i);
        }
        return positions;
    }

    private int require(Map<String, Integer> positions, String column) {
        Integer p = positions.get(column);
        if (p == null) {
            throw new DataFormatException(source + " line 1: missing column '" + column
                    + "' in the header " + positions.keySet().stream().sorted().toList());
        }
        return p;
    }

    private double parseFeature(FeatureSpec spec, String cell) {
        return parseCell(spec, cell, source, line);
    }

    /**
     * One feature cell as a row is read: NaN when empty or a missing marker, a categorical or binary cell's level
     * index, otherwise the number; a cell that does not fit is a {@link DataFormatException} naming {@code source},
     * the line and the column.
     */
    public static double parseCell(FeatureSpec spec, String cell, String source, long line) {
        String text = cell.strip();
        if (text.isEmpty() || spec.isMissingMarker(text)) {
            return Double.NaN;
        }
        if (spec.type() == ColumnType.CATEGORICAL || spec.type() == ColumnType.BINARY) {
            int level = spec.levelIndex(text);
            if (level < 0) {
                rejectNonFinite(text, spec.name(), source, line);
                throw DataFormatException.atCell(source, line, spec.name(), "value '" + text
                        + "' is not one of the declared levels " + spec.levels()
                        + (spec.missing().isEmpty() ? "" : " or missing markers " + spec.missing()));
            }
            return level;
        }
        double v = parseNumber(text, spec.name(), source, line);
        if (spec.type() == ColumnType.INTEGER && v != Math.rint(v)) {
            throw DataFormatException.atCell(source, line, spec.name(), "value '" + text + "' is not a whole number;"
                    + " the column is declared integer");
        }
        return v;
    }

    private double parseLabel(LabelSpec spec, String cell) {
        String text = cell.strip();
        if (text.isEmpty()) {
            throw DataFormatException.atCell(source, line, spec.column(), "missing label; every row needs one");
        }
        return switch (spec.kind()) {
            case MAPPING -> {
                int i = org.fedmed.data.schema.Levels.indexOf(labelKeys, text);
                if (i < 0) {
                    rejectNonFinite(text, spec.column(), source, line);
                    throw DataFormatException.atCell(source, line, spec.column(), "label '" + text
                            + "' is outside the definition; expected one of " + spec.mapping().keySet());
                }
                yield spec.mapping().get(labelKeys.get(i));
            }
            case POSITIVE_VALUES -> {
                if (org.fedmed.data.schema.Levels.indexOf(labelKeys, text) >= 0) {
                    yield 1;
                }
                rejectNonFinite(text, spec.column(), source, line);
                yield 0;
            }
            case THRESHOLD -> parseNumber(text, spec.column(), source, line) > spec.threshold() ? 1 : 0;
            case REGRESSION -> parseNumber(text, spec.column(), source, line);
        };
    }

    private static double parseNumber(String text, String column, String source, long line) {
        if (!isNumber(text)) {
            rejectNonFinite(text, column, source, line);
            throw DataFormatException.atCell(source, line, column, "cannot parse '" + text + "' as a number");
        }
        double v = Double.parseDouble(text);
        if (!Double.isFinite(v)) {
            throw DataFormatException.atCell(source, line, column, "value '" + text + "' overflows a double");
        }
        return v;
    }

    /**
     * Whether {@code t} is a plain decimal number, {@code [+-]?(digits[.digits?]|.digits)([eE][+-]?digits)?}, checked
     * by hand rather than with a regular expression because it runs on every numeric cell.
     */
    static boolean isNumber(String t) {
        int n = t.length();
        int i = 0;
        if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            i++;
        }
        int intDigits = 0;
        while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
            intDigits++;
        }
        int fracDigits = 0;
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
                fracDigits++;
            }
        }
        if (intDigits == 0 && fracDigits == 0) {
            return false;
        }
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static void rejectNonFinite(String text, String column, String source, long line) {
        if (NON_FINITE.matcher(text).matches()) {
            throw DataFormatException.atCell(source, line, column, "literal '" + text
                    + "' is not allowed; leave the cell empty for a missing value");
        }
    }
}
