package org.fedmed.data.csv;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.schema.DatasetSchema;

/**
 * One site's rows as read from files, before any preprocessing: {@code values[row][feature]} in schema
 * feature order, NaN for a missing value; a categorical cell holds the index of its declared level. Each
 * label is a class index (classification) or the target (regression; for a survival label, the time). For a
 * survival label {@code events[row]} says whether the row's event happened (false: censored); for any other label
 * {@code events} is empty. The arrays are shared, not copied: treat a table as read-only. {@code source} names where
 * the rows came from, for error messages.
 */
public record RawTable(String source, DatasetSchema schema, double[][] values, double[] labels, boolean[] events) {

    /** Rows without event flags (a label other than survival). */
    public RawTable(String source, DatasetSchema schema, double[][] values, double[] labels) {
        this(source, schema, values, labels, new boolean[0]);
    }

    public RawTable {
        events = events == null ? new boolean[0] : events;
        if (events.length != 0 && events.length != labels.length) {
            throw new IllegalArgumentException("raw table " + source + ": " + labels.length + " labels but "
                    + events.length + " event flags; expected one per row, or none");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("raw table field 'source' must not be blank");
        }
        if (schema == null || values == null || labels == null) {
            throw new IllegalArgumentException("raw table " + source + ": fields 'schema', 'values' and 'labels' are required");
        }
        if (values.length != labels.length) {
            throw new IllegalArgumentException("raw table " + source + ": " + values.length + " rows of values but "
                    + labels.length + " labels");
        }
        int cols = schema.features().size();
        for (int r = 0; r < values.length; r++) {
            if (values[r].length != cols) {
                throw new IllegalArgumentException("raw table " + source + ": row " + r + " has " + values[r].length
                        + " values, the schema has " + cols + " features");
            }
        }
        int classes = schema.classes();
        for (int r = 0; r < labels.length; r++) {
            double y = labels[r];
            if (classes > 0 ? (y != Math.rint(y) || y < 0 || y >= classes) : !Double.isFinite(y)) {
                throw new IllegalArgumentException("raw table " + source + ": row " + r + " has label " + y
                        + ", outside the schema's " + (classes > 0 ? classes + " classes" : "finite targets"));
            }
        }
    }

    /** True when the rows carry event flags (a survival label), even if there are no rows. */
    public boolean hasEvents() {
        return events.length == labels.length && events.length > 0;
    }

    /** Number of rows. */
    public int rows() {
        return values.length;
    }

    /** Number of raw feature columns (before encoding). */
    public int cols() {
        return schema.features().size();
    }

    /** 0 for regression, otherwise the number of classes. */
    public int classes() {
        return schema.classes();
    }

    /** The labels as class indices (classification) or all 0 (regression): one stratum per row. */
    public int[] strata() {
        int[] s = new int[labels.length];
        if (classes() > 0) {
            for (int i = 0; i < s.length; i++) {
                s[i] = (int) labels[i];
            }
        }
        return s;
    }

    /** Number of rows per class; a single count for regression. */
    public int[] classCounts() {
        int[] counts = new int[Math.max(1, classes())];
        for (int s : strata()) {
            counts[s]++;
        }
        return counts;
    }

    /** True when the row lacks any feature value. */
    public boolean hasMissing(int row) {
        for (double v : values[row]) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    /** Number of missing feature cells. */
    public long missingCells() {
        long n = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isNaN(v)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The share of feature cells that are present, in [0, 1]; 0 for a table with no rows. */
    public double quality() {
        long cells = (long) rows() * cols();
        return cells == 0 ? 0.0 : 1.0 - (double) missingCells() / cells;
    }

    /** The rows at the given indices, in that order, under a new source name. */
    public RawTable select(int[] indices, String newSource) {
        double[][] v = new double[indices.length][];
        double[] l = new double[indices.length];
        boolean[] e = new boolean[hasEvents() ? indices.length : 0];
        for (int i = 0; i < indices.length; i++) {
            v[i] = values[indices[i]];
            l[i] = labels[indices[i]];
            if (e.length > 0) {
                e[i] = events[indices[i]];
            }
        }
        return new RawTable(newSource, schema, v, l, e);
    }

    /** The rows that have every feature value, in order. */
    public RawTable completeRows() {
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < rows(); r++) {
            if (!hasMissing(r)) {
                keep.add(r);
            }
        }
        return select(keep.stream().mapToInt(Integer::intValue).toArray(), source);
    }

    /** The values of one feature column, NaN where missing. */
    public double[] column(int feature) {
        double[] c = new double[rows()];
        for (int r = 0; r < c.length; r++) {
            c[r] = values[r][feature];
        }
        return c;
    }

    /** Rows of several tables with the same schema, stacked in order. */
    public static RawTable concat(List<RawTable> parts, String source) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        DatasetSchema schema = parts.getFirst().schema();
        int rows = 0;
        for (RawTable p : parts) {
            if (!p.schema().equals(schema)) {
                throw new IllegalArgumentException("cannot concatenate " + p.source() + ": its schema differs from "
                        + parts.getFirst().source() + "'s");
            }
            rows += p.rows();
        }
        double[][] v = new double[rows][];
        double[] l = new double[rows];
        boolean flagged = parts.stream().anyMatch(RawTable::hasEvents);
        boolean[] e = new boolean[flagged ? rows : 0];
        int r = 0;
        for (RawTable p : parts) {
            System.arraycopy(p.values(), 0, v, r, p.rows());
            System.arraycopy(p.labels(), 0, l, r, p.rows());
            if (flagged && p.hasEvents()) {
                System.arraycopy(p.events(), 0, e, r, p.rows());
            }
            r += p.rows();
        }
        return new RawTable(source, schema, v, l, e);
    }
}
