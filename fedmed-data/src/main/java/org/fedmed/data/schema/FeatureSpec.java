package org.fedmed.data.schema;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One feature column of a schema. A categorical or binary feature carries its levels, declared here rather than
 * discovered from data, so every site encodes the column identically (a binary column's two levels read as 0 and
 * 1). {@code missing} lists the cell values that mean "not measured" besides an empty cell (for example {@code ?},
 * or {@code 0} in records that write 0 where nothing was measured); a marker matches a cell as a level does, so
 * {@code 0} also matches {@code 0.0}. {@code missingIndicator} asks for a {@code <name>_missing} column whenever
 * indicators are enabled, even if no training row happens to lack the value.
 */
public record FeatureSpec(String name, ColumnType type, List<String> levels, List<String> missing,
                          boolean missingIndicator) {

    public FeatureSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("feature field 'name' is required and must not be blank");
        }
        if (type == null) {
            throw new IllegalArgumentException("feature '" + name + "': field 'type' is required (numeric, integer, binary or categorical)");
        }
        levels = levels == null ? List.of() : List.copyOf(levels);
        missing = missing == null ? List.of() : List.copyOf(missing);
        if (type == ColumnType.CATEGORICAL && levels.isEmpty()) {
            throw new IllegalArgumentException("feature '" + name + "': field 'levels' must list the categories of a categorical column");
        }
        if (type == ColumnType.BINARY && levels.size() != 2) {
            throw new IllegalArgumentException("feature '" + name + "': field 'levels' of a binary column must list exactly two values, got "
                    + levels);
        }
        if ((type == ColumnType.NUMERIC || type == ColumnType.INTEGER) && !levels.isEmpty()) {
            throw new IllegalArgumentException("feature '" + name + "': field 'levels' is only allowed for categorical and binary columns");
        }
        for (String level : levels) {
            Objects.requireNonNull(level, () -> "feature '" + name + "': field 'levels' contains null");
        }
        if (new HashSet<>(levels.stream().map(String::trim).toList()).size() != levels.size()) {
            throw new IllegalArgumentException("feature '" + name + "': field 'levels' has duplicates: " + levels);
        }
        for (String marker : missing) {
            if (marker == null || marker.isBlank()) {
                throw new IllegalArgumentException("feature '" + name + "': field 'missing' holds a blank marker; an empty cell is always missing");
            }
            if (Levels.indexOf(levels, marker) >= 0) {
                throw new IllegalArgumentException("feature '" + name + "': missing marker '" + marker + "' is also a level");
            }
        }
    }

    /** A numeric feature with no missing markers. */
    public static FeatureSpec numeric(String name) {
        return new FeatureSpec(name, ColumnType.NUMERIC, List.of(), List.of(), false);
    }

    /** A categorical feature with the given levels, in encoding order. */
    public static FeatureSpec categorical(String name, String... levels) {
        return new FeatureSpec(name, ColumnType.CATEGORICAL, List.of(levels), List.of(), false);
    }

    /** This feature, with these cell values read as missing. */
    public FeatureSpec withMissing(String... markers) {
        return new FeatureSpec(name, type, levels, List.of(markers), missingIndicator);
    }

    /** This feature, always given a missing-indicator column when indicators are enabled. */
    public FeatureSpec withMissingIndicator() {
        return new FeatureSpec(name, type, levels, missing, true);
    }

    /** True for a categorical column (one-hot encoded); every other type is one model input. */
    public boolean categorical() {
        return type == ColumnType.CATEGORICAL;
    }

    /** True when the cell's text is one of this column's missing markers. */
    public boolean isMissingMarker(String cell) {
        return !missing.isEmpty() && Levels.indexOf(missing, cell) >= 0;
    }

    /**
     * The index of the declared level the cell holds, or -1 if none. Numeric spellings of the same number
     * match ({@code "1"} matches level {@code "1.0"}).
     */
    public int levelIndex(String cell) {
        return Levels.indexOf(levels, cell);
    }
}
