package org.fedmed.data.schema;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One feature column of a schema. A categorical feature carries its levels, declared here rather than
 * discovered from data, so every site one-hot encodes the column identically. {@code zeroMeansMissing}
 * turns a literal 0 into a missing value (for records that write 0 where nothing was measured), and
 * {@code missingIndicator} asks for a {@code <name>_missing} column whenever indicators are enabled, even if
 * no training row happens to lack the value.
 */
public record FeatureSpec(String name, ColumnType type, List<String> levels, boolean zeroMeansMissing,
                          boolean missingIndicator) {

    public FeatureSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("feature field 'name' is required and must not be blank");
        }
        if (type == null) {
            throw new IllegalArgumentException("feature '" + name + "': field 'type' is required (numeric or categorical)");
        }
        levels = levels == null ? List.of() : List.copyOf(levels);
        if (type == ColumnType.CATEGORICAL && levels.isEmpty()) {
            throw new IllegalArgumentException("feature '" + name + "': field 'levels' must list the categories of a categorical column");
        }
        if (type == ColumnType.NUMERIC && !levels.isEmpty()) {
            throw new IllegalArgumentException("feature '" + name + "': field 'levels' is only allowed for categorical columns");
        }
        if (new HashSet<>(levels.stream().map(String::trim).toList()).size() != levels.size()) {
            throw new IllegalArgumentException("feature '" + name + "': field 'levels' has duplicates: " + levels);
        }
        for (String level : levels) {
            Objects.requireNonNull(level, () -> "feature '" + name + "': field 'levels' contains null");
        }
    }

    /** A numeric feature with no special missing-value handling. */
    public static FeatureSpec numeric(String name) {
        return new FeatureSpec(name, ColumnType.NUMERIC, List.of(), false, false);
    }

    /** A categorical feature with the given levels, in encoding order. */
    public static FeatureSpec categorical(String name, String... levels) {
        return new FeatureSpec(name, ColumnType.CATEGORICAL, List.of(levels), false, false);
    }

    /** This feature, with a literal 0 read as missing. */
    public FeatureSpec withZeroMeansMissing() {
        return new FeatureSpec(name, type, levels, true, missingIndicator);
    }

    /** This feature, always given a missing-indicator column when indicators are enabled. */
    public FeatureSpec withMissingIndicator() {
        return new FeatureSpec(name, type, levels, zeroMeansMissing, true);
    }

    /** True for a categorical column. */
    public boolean categorical() {
        return type == ColumnType.CATEGORICAL;
    }

    /**
     * The index of the declared level the cell holds, or -1 if none. Numeric spellings of the same number
     * match ({@code "1"} matches level {@code "1.0"}).
     */
    public int levelIndex(String cell) {
        return Levels.indexOf(levels, cell);
    }
}
