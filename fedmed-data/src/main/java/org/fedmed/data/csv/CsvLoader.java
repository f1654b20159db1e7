package org.fedmed.data.csv;

import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.schema.DatasetSchema;

/**
 * Reads a whole comma-separated file with a header line into a {@link RawTable} according to a schema, with the
 * checks of {@link CsvRows}: every cell that does not fit is a {@link org.fedmed.data.DataFormatException} naming
 * the file, the line (the header is line 1) and the column.
 */
public final class CsvLoader {

    private CsvLoader() {
    }

    /** A table and, per row, the text of the key columns asked for (in the order asked). */
    public record KeyedTable(RawTable table, List<String[]> keys) {
    }

    /** Reads {@code file} (UTF-8); errors name the file by its file name. */
    public static RawTable load(Path file, DatasetSchema schema) {
        try (CsvRows rows = CsvRows.open(file, schema, List.of())) {
            return collect(rows, rows.source(), null);
        }
    }

    /** Reads {@code file} with the text of {@code keyColumns} (ignored columns of the schema) kept per row. */
    public static KeyedTable loadKeyed(Path file, DatasetSchema schema, List<String> keyColumns) {
        List<String[]> keys = new ArrayList<>();
        try (CsvRows rows = CsvRows.open(file, schema, keyColumns)) {
            return new KeyedTable(collect(rows, rows.source(), keys), keys);
        }
    }

    /** Reads CSV text; {@code source} names it in errors and becomes the table's source. */
    public static RawTable load(String csv, String source, DatasetSchema schema) {
        return load(new StringReader(csv), source, schema);
    }

    /** Reads CSV from a reader; {@code source} names it in errors and becomes the table's source. */
    public static RawTable load(Reader in, String source, DatasetSchema schema) {
        try (CsvRows rows = CsvRows.open(in, source, schema, List.of())) {
            return collect(rows, source, null);
        }
    }

    /**
     * One feature cell as {@link #load} reads it: NaN when missing, a categorical cell's level index, otherwise the
     * number; a cell that does not fit is a {@link org.fedmed.data.DataFormatException} naming {@code source}, the
     * line and the column.
     */
    public static double parseFeatureCell(org.fedmed.data.schema.FeatureSpec spec, String cell, String source, long line) {
        return CsvRows.parseCell(spec, cell, source, line);
    }

    private static RawTable collect(CsvRows rows, String source, List<String[]> keys) {
        List<double[]> values = new ArrayList<>();
        double[] labels = new double[64];
        int n = 0;
        while (rows.next()) {
            values.add(rows.values());
            if (n == labels.length) {
                labels = java.util.Arrays.copyOf(labels, n * 2);
            }
            labels[n++] = rows.label();
            if (keys != null) {
                keys.add(keyRow(rows));
            }
        }
        return new RawTable(source, rows.schema(), values.toArray(new double[0][]), java.util.Arrays.copyOf(labels, n));
    }

    private static String[] keyRow(CsvRows rows) {
        String[] out = new String[rows.keyCount()];
        for (int k = 0; k < out.length; k++) {
            out[k] = rows.key(k);
        }
        return out;
    }
}
