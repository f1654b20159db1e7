package org.fedmed.data.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The label column of a schema and how its value becomes a class index: a binary threshold rule
 * ({@code num > 0}), a value-to-class map ({@code {neg: 0, pos: 1}}), a set of positive values (every other
 * value is class 0), or a regression target. A mapping's class indices must be exactly 0..k-1 with k at least 2.
 */
public record LabelSpec(String column, LabelKind kind, Double threshold, Map<String, Integer> mapping) {

    public LabelSpec {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("label field 'column' is required and must not be blank");
        }
        if (kind == null) {
            throw new IllegalArgumentException("label '" + column + "': field 'kind' is required (threshold, mapping or regression)");
        }
        mapping = mapping == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
        switch (kind) {
            case THRESHOLD -> {
                if (threshold == null || !Double.isFinite(threshold)) {
                    throw new IllegalArgumentException("label '" + column + "': field 'threshold' must be a finite number for kind threshold");
                }
                if (!mapping.isEmpty()) {
                    throw new IllegalArgumentException("label '" + column + "': field 'mapping' is not allowed for kind threshold");
                }
            }
            case MAPPING -> {
                if (threshold != null) {
                    throw new IllegalArgumentException("label '" + column + "': field 'threshold' is not allowed for kind mapping");
                }
                validateMapping(column, mapping);
            }
            case POSITIVE_VALUES -> {
                if (threshold != null || mapping.isEmpty() || mapping.values().stream().anyMatch(c -> c == null || c != 1)) {
                    throw new IllegalArgumentException("label '" + column + "': kind positive_values needs a non-empty 'mapping'"
                            + " of the positive values to class 1 and no 'threshold'");
                }
            }
            case REGRESSION -> {
                if (threshold != null || !mapping.isEmpty()) {
                    throw new IllegalArgumentException("label '" + column + "': fields 'threshold' and 'mapping' are not allowed for kind regression");
                }
            }
        }
    }

    private static void validateMapping(String column, Map<String, Integer> mapping) {
        if (mapping.isEmpty()) {
            throw new IllegalArgumentException("label '" + column + "': field 'mapping' must map label values to class indices");
        }
        int max = -1;
        boolean[] seen = new boolean[mapping.size()];
        for (Map.Entry<String, Integer> e : mapping.entrySet()) {
            Integer c = e.getValue();
            if (e.getKey() == null || c == null || c < 0 || c >= mapping.size()) {
                throw new IllegalArgumentException("label '" + column + "': field 'mapping' has entry " + e.getKey() + " -> " + c
                        + "; class indices must lie in 0.." + (mapping.size() - 1));
            }
            seen[c] = true;
            max = Math.max(max, c);
        }
        for (int c = 0; c <= max; c++) {
            if (!seen[c]) {
                throw new IllegalArgumentException("label '" + column + "': field 'mapping' skips class index " + c
                        + "; indices must be 0..k-1");
            }
        }
        if (max < 1) {
            throw new IllegalArgumentException("label '" + column + "': field 'mapping' must name at least two classes");
        }
    }

    /** Binary label: class 1 when the value is greater than {@code threshold}. */
    public static LabelSpec threshold(String column, double threshold) {
        return new LabelSpec(column, LabelKind.THRESHOLD, threshold, null);
    }

    /** Classification label read through {@code mapping} (value to class index). */
    public static LabelSpec mapping(String column, Map<String, Integer> mapping) {
        return new LabelSpec(column, LabelKind.MAPPING, null, mapping);
    }

    /** Binary label: class 1 when the value is one of {@code positive}, class 0 for any other value. */
    public static LabelSpec positiveValues(String column, List<String> positive) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String v : positive) {
            m.put(v, 1);
        }
        return new LabelSpec(column, LabelKind.POSITIVE_VALUES, null, m);
    }

    /** Regression target. */
    public static LabelSpec regression(String column) {
        return new LabelSpec(column, LabelKind.REGRESSION, null, null);
    }

    /** 0 for regression, 2 for a threshold rule or positive values, the number of mapped classes otherwise. */
    public int classes() {
        return switch (kind) {
            case THRESHOLD, POSITIVE_VALUES -> 2;
            case REGRESSION -> 0;
            case MAPPING -> (int) mapping.values().stream().distinct().count();
        };
    }

    /**
     * The class index a mapped cell stands for, or -1 if the value is not in the mapping. Numeric spellings
     * of the same number match.
     */
    public int mappedClass(String cell) {
        List<String> keys = new ArrayList<>(mapping.keySet());
        int i = Levels.indexOf(keys, cell);
        return i < 0 ? -1 : mapping.get(keys.get(i));
    }
}
