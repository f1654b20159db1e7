package org.fedmed.data.prep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The constants {@link MissingPolicy#CONSTANT} imputes: one value for every numeric column ({@code fill: 0}), one
 * per column ({@code fill: {chol: 200, trestbps: 130}}), or both ({@code "*"} names every other column), where a
 * column's own value wins. Every value is
 * finite. Which columns it must cover is checked against the schema when preprocessing is fitted.
 */
public record ConstantFill(OptionalDouble all, Map<String, Double> columns) {

    /** No constants (for the policies that compute their fill from data). */
    public static final ConstantFill NONE = new ConstantFill(OptionalDouble.empty(), Map.of());

    public ConstantFill {
        if (all == null || columns == null) {
            throw new IllegalArgumentException("constant fill fields 'all' and 'columns' are required");
        }
        if (all.isPresent() && !Double.isFinite(all.getAsDouble())) {
            throw new IllegalArgumentException("config key 'fill' must be a finite number, got " + all.getAsDouble());
        }
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        columns.forEach((name, value) -> {
            if (name == null || name.isBlank() || value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("config key 'fill." + name + "' must be a finite number, got " + value);
            }
        });
    }

    /**
     * The constants a config's {@code fill} value gives: absent or null for none, a number for every column, or a
     * mapping of column name to number (key {@code *} for every other column).
     *
     * @throws IllegalArgumentException naming key {@code fill} when the value is neither
     */
    public static ConstantFill fromKey(com.fasterxml.jackson.databind.JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        if (node.isNumber()) {
            return of(node.doubleValue());
        }
        if (node.isObject()) {
            OptionalDouble all = OptionalDouble.empty();
            Map<String, Double> columns = new LinkedHashMap<>();
            for (var it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isNumber()) {
                    throw new IllegalArgumentException("config key 'fill." + e.getKey() + "' expects a number, got "
                            + e.getValue());
                }
                if (e.getKey().equals("*")) {
                    all = OptionalDouble.of(e.getValue().doubleValue());
                } else {
                    columns.put(e.getKey(), e.getValue().doubleValue());
                }
            }
            return new ConstantFill(all, columns);
        }
        throw new IllegalArgumentException("config key 'fill' expects a number or a mapping of column to number, got "
                + node);
    }

    /** One constant for every numeric column. */
    public static ConstantFill of(double value) {
        return new ConstantFill(OptionalDouble.of(value), Map.of());
    }

    /** One constant per named column. */
    public static ConstantFill perColumn(Map<String, Double> values) {
        return new ConstantFill(OptionalDouble.empty(), values);
    }

    /** The constant for {@code column}: its own, else the one for every column, else none. */
    public OptionalDouble valueFor(String column) {
        Double own = columns.get(column);
        return own != null ? OptionalDouble.of(own) : all;
    }

    /** True when no constant is given at all. */
    public boolean isEmpty() {
        return all.isEmpty() && columns.isEmpty();
    }
}
