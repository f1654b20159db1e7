package org.fedmed.data.csv;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.schema.DatasetSchema;

/**
 * One site's rows as read from files, before any preprocessing: {@code values[row][feature]} in schema
 * feature order, NaN for a missing value; a categorical cell holds the index of its declared level. Each
 * label is a class index (classification), the target (regression) or the time to the event or to censoring
 * (survival); a survival table also holds each row's event flag in {@code events} (true for an observed event), which
 * is null for every other table. The arrays are shared, not copied: treat a table as read-only. {@code source} names
 * where the rows came from, for error messages.
 */
public record RawTable(String source, DatasetSchema schema, double[][] values, double[] labels, boolean[] events) {

    /** A table of class indices or numeric targets (no event flags). */
    public RawTable(String source, DatasetSchema schema, double[][] values, double[] labels) {
        this(source, schema, values, labels, null);
    }

    public RawTable {
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
        if (events != null && events.length != labels.length) {
            throw new IllegalArgumentException("raw table " + source + ": " + labels.length + " labels but "
                    + events.length + " event flags");
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

    /** True when the rows carry a survival label: a time in {@code labels} and an event flag in {@code events}. */
    public boolean survival() {
        return events != null;
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

    /**
     * Each row's stratum for stratified splits and partitions: its class index (classification), its event flag
     * (survival: 1 event, 0 censored, so that both keep their shares), or 0 (regression).
     */
    public int[] strata() {
        int[] s = new int[labels.length];
        if (events != null) {
            for (int i = 0; i < s.length; i++) {
                s[i] = events[i] ? 1 : 0;
            }
        } else if (classes() > 0) {
            for (int i = 0; i < s.length; i++) {
                s[i] = (int) labels[i];
            }
        }
        return s;
    }

    /** The number of distinct {@link #strata()}: the classes, 2 for survival (event, censored), 1 for regression. */
    public int strataCount() {
        return events != null ? 2 : Math.max(1, classes());
    }

    /** Number of rows per class; a single count for regression and survival. */
    public int[] classCounts() {
        int[] counts = new int[Math.max(1, classes())];
        if (classes() == 0) {
            counts[0] = rows();
            return counts;
        }
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
        boolean[] e = events == null ? null : new boolean[indices.length];
        for (int i = 0; i < indices.length; i++) {
            v[i] = values[indices[i]];
            l[i] = labels[indices[i]];
            if (e != null) {
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
            if (!p.schema().equals(schema) || p.survival() != parts.getFirst().survival()) {
                throw new IllegalArgumentException("cannot concatenate " + p.source() + ": its schema differs from "
                        + parts.getFirst().source() + "'s");
            }
            rows += p.rows();
        }
        double[][] v = new double[rows][];
        double[] l = new double[rows];
        boolean[] e = parts.getFirst().survival() ? new boolean[rows] : null;
        int r = 0;
        for (RawTable p : parts) {
            System.arraycopy(p.values(), 0, v, r, p.rows());
            System.arraycopy(p.labels(), 0, l, r, p.rows());
            if (e != null) {
                System.arraycopy(p.events(), 0, e, r, p.rows());
            }
            r += p.rows();
        }
        return new RawTable(source, schema, v, l, e);
    }
}
