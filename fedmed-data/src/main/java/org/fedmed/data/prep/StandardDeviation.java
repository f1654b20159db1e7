package org.fedmed.data.prep;

import java.util.Locale;

/**
 * Which standard deviation standardization divides by: the population one, {@code sqrt(ssd / n)}, or the unbiased
 * sample one, {@code sqrt(ssd / (n - 1))}, where {@code ssd} is the sum of squared deviations from the mean of the
 * {@code n} present values. For {@code {1, 2, 3, 4}} they are 1.1180 and 1.2910.
 */
public enum StandardDeviation {
    /** Divisor n (numpy's default). */
    POPULATION,
    /** Divisor n - 1 (pandas' and R's default, and FLamby's); with one value it is taken as 0. */
    UNBIASED;

    /** The config spelling: {@code population} or {@code unbiased}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The standard deviation of the values these moments summarize; 0 when there are too few to tell. */
    public double of(ColumnMoments m) {
        long divisor = this == POPULATION ? m.count() : m.count() - 1;
        return divisor <= 0 ? 0.0 : Math.sqrt(m.sumSquaredDeviations() / divisor);
    }

    /**
     * The kind a config value names.
     *
     * @throws IllegalArgumentException naming {@code key} and the allowed values
     */
    public static StandardDeviation fromKey(String key, String value) {
        for (StandardDeviation s : values()) {
            if (s.key().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("config key '" + key + "': unknown value '" + value
                + "' (allowed: population, unbiased)");
    }
}
