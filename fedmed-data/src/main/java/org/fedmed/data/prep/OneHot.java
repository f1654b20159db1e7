package org.fedmed.data.prep;

import java.util.Locale;

/**
 * How a categorical column with k declared levels is one-hot encoded: {@link #FULL} gives k columns
 * {@code <col>=<level>}; {@link #DROP_FIRST} gives k-1, leaving out the first declared level, which is then encoded
 * as all zeros (as a missing value is in either mode; a missing-indicator column tells them apart).
 */
public enum OneHot {
    /** One column per declared level. */
    FULL,
    /** One column per declared level but the first. */
    DROP_FIRST;

    /** The config spelling: {@code full} or {@code drop_first}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The first level that gets a column: 0, or 1 when the first is dropped. */
    public int firstEncodedLevel() {
        return this == DROP_FIRST ? 1 : 0;
    }

    /**
     * The mode a config value names.
     *
     * @throws IllegalArgumentException naming {@code key} and the allowed values
     */
    public static OneHot fromKey(String key, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (OneHot o : values()) {
            if (o.key().equals(v)) {
                return o;
            }
        }
        throw new IllegalArgumentException("config key '" + key + "': unknown value '" + value
                + "' (allowed: full, drop_first)");
    }
}
