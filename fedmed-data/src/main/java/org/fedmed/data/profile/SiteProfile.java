package org.fedmed.data.profile;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.definition.DefinitionRows;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;

/**
 * What one site's rows hold, accumulated row by row in memory bounded by the number of columns (never by the number
 * of rows): rows, training and test rows where the definition splits them, rows per class (or, for a survival
 * label, events and censored rows), the label's range for a continuous label, and a {@link ColumnProfile} per
 * feature column.
 */
public final class SiteProfile {

    private final String id;
    private final List<ColumnProfile> columns = new ArrayList<>();
    private final long[] classCounts;
    private final long[] testClassCounts;
    private final List<String> sources = new ArrayList<>();
    private long rows;
    private long train;
    private long test;
    private long events;
    private long censored;
    private double labelMin = Double.POSITIVE_INFINITY;
    private double labelMax = Double.NEGATIVE_INFINITY;

    SiteProfile(String id, DatasetSchema schema) {
        this.id = id;
        for (FeatureSpec f : schema.features()) {
            columns.add(new ColumnProfile(f));
        }
        classCounts = new long[schema.classes()];
        testClassCounts = new long[schema.classes()];
    }

    void add(double[] values, double label, DefinitionRows.Part part, int event, String source) {
        rows++;
        if (sources.isEmpty() || !sources.getLast().equals(source)) {
            if (!sources.contains(source)) {
                sources.add(source);
            }
        }
        switch (part) {
            case TRAIN -> train++;
            case TEST -> test++;
            case ALL -> { }
        }
        if (classCounts.length > 0) {
            classCounts[(int) label]++;
            if (part == DefinitionRows.Part.TEST) {
                testClassCounts[(int) label]++;
            }
        } else {
            labelMin = Math.min(labelMin, label);
            labelMax = Math.max(labelMax, label);
        }
        if (event == 1) {
            events++;
        } else if (event == 0) {
            censored++;
        }
        for (int c = 0; c < values.length; c++) {
            columns.get(c).add(values[c]);
        }
    }

    /** The site's id. */
    public String id() {
        return id;
    }

    /** The files its rows came from, by file name, in the order first read. */
    public List<String> sources() {
        return List.copyOf(sources);
    }

    /** All rows. */
    public long rows() {
        return rows;
    }

    /** Training rows, where the definition splits the rows (0 otherwise). */
    public long trainRows() {
        return train;
    }

    /** Test rows, where the definition splits the rows (0 otherwise). */
    public long testRows() {
        return test;
    }

    /** Rows per class (empty for a continuous or survival label). */
    public long[] classCounts() {
        return classCounts.clone();
    }

    /** Rows per class among the test rows the definition marks (empty for a continuous or survival label). */
    public long[] testClassCounts() {
        return testClassCounts.clone();
    }

    /** Rows whose survival event happened. */
    public long events() {
        return events;
    }

    /** Rows censored before the survival event. */
    public long censored() {
        return censored;
    }

    /** The smallest continuous (or survival time) label, NaN for a class label or no rows. */
    public double labelMin() {
        return classCounts.length > 0 || rows == 0 ? Double.NaN : labelMin;
    }

    /** The largest continuous (or survival time) label, NaN for a class label or no rows. */
    public double labelMax() {
        return classCounts.length > 0 || rows == 0 ? Double.NaN : labelMax;
    }

    /** One profile per feature column, in schema order. */
    public List<ColumnProfile> columns() {
        return List.copyOf(columns);
    }

    /** The profile of the feature column named {@code name}. */
    public ColumnProfile column(String name) {
        return columns.stream().filter(c -> c.spec().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no feature column '" + name + "'"));
    }
}
