package org.fedmed.data.definition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.data.schema.LabelSpec;

/**
 * What a definition predicts, and how a row's cells become it: a binary class by a threshold or by a set of
 * positive values, one of several declared classes, a continuous target, or a survival time with its event
 * indicator. A survival label is trained by a {@code cox} model (its rows are laid out as time and event).
 */
public sealed interface LabelRule {

    /** The columns the label is read from. */
    List<String> columns();

    /** How the CSV reader turns the label column into a class index or target. */
    LabelSpec spec();

    /** 0 for a continuous target or survival, else the number of classes. */
    int classes();

    /** A short human-readable statement of the rule, for {@code describe}. */
    String describe();

    /** The names of the classes in index order (empty for a continuous target or survival). */
    List<String> classNames();

    /** Binary: class 1 when the column's number is greater than {@code threshold}. */
    record BinaryAbove(String column, double threshold) implements LabelRule {
        public BinaryAbove {
            requireColumn(column);
            if (!Double.isFinite(threshold)) {
                throw new IllegalArgumentException("label '" + column + "': positive_above must be a finite number");
            }
        }

        public List<String> columns() {
            return List.of(column);
        }

        public LabelSpec spec() {
            return LabelSpec.threshold(column, threshold);
        }

        public int classes() {
            return 2;
        }

        public String describe() {
            return "binary: positive when " + column + " > " + fmt(threshold);
        }

        public List<String> classNames() {
            return List.of(column + " <= " + fmt(threshold), column + " > " + fmt(threshold));
        }
    }

    /**
     * Binary: class 1 when the column holds one of {@code positive}; with {@code negative} given, class 0 for those
     * values and any other value does not fit, otherwise class 0 for every other value.
     */
    record BinaryValues(String column, List<String> positive, List<String> negative) implements LabelRule {
        public BinaryValues {
            requireColumn(column);
            positive = List.copyOf(positive);
            negative = negative == null ? List.of() : List.copyOf(negative);
            if (positive.isEmpty()) {
                throw new IllegalArgumentException("label '" + column + "': positive must list at least one value");
            }
            for (String v : negative) {
                if (org.fedmed.data.schema.Levels.indexOf(positive, v) >= 0) {
                    throw new IllegalArgumentException("label '" + column + "': value '" + v + "' is both positive and negative");
                }
            }
        }

        public List<String> columns() {
            return List.of(column);
        }

        public LabelSpec spec() {
            if (negative.isEmpty()) {
                return LabelSpec.positiveValues(column, positive);
            }
            Map<String, Integer> m = new LinkedHashMap<>();
            negative.forEach(v -> m.put(v, 0));
            positive.forEach(v -> m.put(v, 1));
            return LabelSpec.mapping(column, m);
        }

        public int classes() {
            return 2;
        }

        public String describe() {
            return "binary: positive when " + column + " is one of " + positive
                    + (negative.isEmpty() ? ", negative otherwise" : ", negative when one of " + negative);
        }

        public List<String> classNames() {
            return List.of(negative.isEmpty() ? "other" : String.join("|", negative), String.join("|", positive));
        }
    }

    /** Multi-class: the column holds one of {@code levels}, class i being the i-th level. */
    record MultiClass(String column, List<String> levels) implements LabelRule {
        public MultiClass {
            requireColumn(column);
            levels = List.copyOf(levels);
            if (levels.size() < 2) {
                throw new IllegalArgumentException("label '" + column + "': levels must list at least two classes, got " + levels);
            }
        }

        public List<String> columns() {
            return List.of(column);
        }

        public LabelSpec spec() {
            Map<String, Integer> m = new LinkedHashMap<>();
            for (int i = 0; i < levels.size(); i++) {
                m.put(levels.get(i), i);
            }
            return LabelSpec.mapping(column, m);
        }

        public int classes() {
            return levels.size();
        }

        public String describe() {
            return "multi-class: " + column + " in " + levels;
        }

        public List<String> classNames() {
            return levels;
        }
    }

    /** Continuous: the column's number is the target. */
    record Continuous(String column) implements LabelRule {
        public Continuous {
            requireColumn(column);
        }

        public List<String> columns() {
            return List.of(column);
        }

        public LabelSpec spec() {
            return LabelSpec.regression(column);
        }

        public int classes() {
            return 0;
        }

        public String describe() {
            return "continuous: " + column;
        }

        public List<String> classNames() {
            return List.of();
        }
    }

    /**
     * Survival: the time to the event or to censoring in {@code time} (a number), and whether the event happened in
     * {@code event}: one of {@code eventValues} for an event, one of {@code censoredValues} for censoring.
     */
    record Survival(String time, String event, List<String> eventValues, List<String> censoredValues) implements LabelRule {
        public Survival {
            requireColumn(time);
            requireColumn(event);
            if (time.equals(event)) {
                throw new IllegalArgumentException("label: time and event must be two columns, both are '" + time + "'");
            }
            eventValues = List.copyOf(eventValues);
            censoredValues = List.copyOf(censoredValues);
            if (eventValues.isEmpty() || censoredValues.isEmpty()) {
                throw new IllegalArgumentException("label '" + event + "': event_values and censored_values must not be empty");
            }
        }

        public List<String> columns() {
            return List.of(time, event);
        }

        /** Read as a continuous target on the time column; the event column is read beside it. */
        public LabelSpec spec() {
            return LabelSpec.regression(time);
        }

        public int classes() {
            return 0;
        }

        public String describe() {
            return "survival: time " + time + ", event " + event + " (event when one of " + eventValues
                    + ", censored when one of " + censoredValues + ")";
        }

        public List<String> classNames() {
            return List.of();
        }
    }

    private static void requireColumn(String column) {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("label column must not be blank");
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
