package org.fedmed.data.schema;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a tabular dataset looks like: its feature columns in encoding order, columns present in files but
 * ignored, and the label. Every site of a federation reads its files against the same schema, which is what
 * makes their encoded columns line up. Column names are unique across features, ignored columns and label.
 */
public record DatasetSchema(List<FeatureSpec> features, List<String> ignore, LabelSpec label) {

    public DatasetSchema {
        if (features == null || features.isEmpty()) {
            throw new IllegalArgumentException("schema field 'features' must list at least one feature");
        }
        features = List.copyOf(features);
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
        if (label == null) {
            throw new IllegalArgumentException("schema field 'label' is required");
        }
        Set<String> names = new HashSet<>();
        for (FeatureSpec f : features) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("schema field 'features': column '" + f.name() + "' is declared twice");
            }
        }
        for (String col : ignore) {
            if (col == null || col.isBlank() || !names.add(col)) {
                throw new IllegalArgumentException("schema field 'ignore': column '" + col + "' is blank or already declared");
            }
        }
        if (!names.add(label.column())) {
            throw new IllegalArgumentException("schema field 'label': column '" + label.column() + "' is also a feature or ignored");
        }
    }

    /** A schema with no ignored columns. */
    public static DatasetSchema of(LabelSpec label, FeatureSpec... features) {
        return new DatasetSchema(List.of(features), List.of(), label);
    }

    /** This schema, with the given columns ignored. */
    public DatasetSchema ignoring(String... columns) {
        return new DatasetSchema(features, List.of(columns), label);
    }

    /** Names of the raw feature columns, in schema order. */
    public List<String> featureNames() {
        return features.stream().map(FeatureSpec::name).toList();
    }

    /** 0 for regression, otherwise the number of classes. */
    public int classes() {
        return label.classes();
    }
}
