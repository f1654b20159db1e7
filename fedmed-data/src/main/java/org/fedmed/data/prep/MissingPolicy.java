package org.fedmed.data.prep;

import java.util.Locale;

/** What preprocessing does with a missing feature value. */
public enum MissingPolicy {
    /**
     * Keep only complete cases: drop every row that lacks a value in any feature column in use (training and test
     * alike). Columns the schema ignores are never read, so a gap there drops nothing.
     */
    DROP,
    /** Replace a missing numeric value by the column mean; a missing categorical becomes all zeros. */
    MEAN,
    /**
     * Replace a missing numeric value by the column median (approximate when computed federated, from a
     * shared fixed-bin histogram); a missing categorical becomes all zeros.
     */
    MEDIAN,
    /**
     * Replace a missing numeric value by a constant the user gives (one for every column, or one per column, see
     * {@link ConstantFill}); a missing categorical becomes all zeros.
     */
    CONSTANT;

    /** The config spelling: {@code drop}, {@code mean}, {@code median} or {@code constant}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The policy a config value names.
     *
     * @throws IllegalArgumentException naming {@code key} and the allowed values
     */
    public static MissingPolicy fromKey(String key, String value) {
        for (MissingPolicy p : values()) {
            if (p.key().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("config key '" + key + "': unknown value '" + value
                + "' (allowed: drop, mean, median, constant)");
    }
}
