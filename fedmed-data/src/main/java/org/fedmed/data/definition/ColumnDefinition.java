package org.fedmed.data.definition;

import java.util.List;
import org.fedmed.data.schema.ColumnType;
import org.fedmed.data.schema.FeatureSpec;

/**
 * One column of a dataset definition: its name, its type (with the levels of a categorical or binary column), the
 * cell values that mean "not measured" besides an empty cell, and its role. A feature column is checked as
 * {@link FeatureSpec} checks it; a dropped column has no type.
 */
public record ColumnDefinition(String name, ColumnType type, List<String> levels, List<String> missing, ColumnRole role,
                               boolean missingIndicator) {

    public ColumnDefinition {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("column field 'name' is required and must not be blank");
        }
        if (role == null) {
            throw new IllegalArgumentException("column '" + name + "': field 'role' is required");
        }
        levels = levels == null ? List.of() : List.copyOf(levels);
        missing = missing == null ? List.of() : List.copyOf(missing);
        if (role == ColumnRole.FEATURE) {
            new FeatureSpec(name, type, levels, missing, missingIndicator);
        } else if (type != null || !levels.isEmpty() || !missing.isEmpty() || missingIndicator) {
            throw new IllegalArgumentException("column '" + name + "': a dropped column takes no 'type', 'levels', 'missing'"
                    + " or 'missing_indicator'");
        }
    }

    /** A numeric feature. */
    public static ColumnDefinition numeric(String name) {
        return new ColumnDefinition(name, ColumnType.NUMERIC, List.of(), List.of(), ColumnRole.FEATURE, false);
    }

    /** A dropped column. */
    public static ColumnDefinition drop(String name) {
        return new ColumnDefinition(name, null, List.of(), List.of(), ColumnRole.DROP, false);
    }

    /** The schema's view of this column; only for a feature. */
    public FeatureSpec feature() {
        if (role != ColumnRole.FEATURE) {
            throw new IllegalStateException("column '" + name + "' is dropped, not a feature");
        }
        return new FeatureSpec(name, type, levels, missing, missingIndicator);
    }
}
