package org.fedmed.data.population;

import java.io.Serializable;
import java.util.random.RandomGenerator;

/**
 * How many rows a virtual site (a device) holds: {@code round(median * exp(sigma * Z))} for a standard normal Z,
 * clamped to {@code [min, max]}; a log-normal whose median is {@code median}, the usual shape of per-device record
 * counts. With {@code sigma} 0 every site holds exactly {@code median} rows (clamped). At least 2 rows, so a site
 * always has a training row and a test row.
 */
public record RowCount(int median, double sigma, int min, int max) implements Serializable {

    public RowCount {
        if (min < 2) {
            throw new IllegalArgumentException("row count field 'min' must be >= 2 (a training and a test row), got " + min);
        }
        if (max < min) {
            throw new IllegalArgumentException("row count field 'max' must be >= min " + min + ", got " + max);
        }
        if (median < 1) {
            throw new IllegalArgumentException("row count field 'median' must be >= 1, got " + median);
        }
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("row count field 'sigma' must be finite and >= 0, got " + sigma);
        }
    }

    /** Exactly {@code rows} rows per site. */
    public static RowCount fixed(int rows) {
        if (rows < 2) {
            throw new IllegalArgumentException("rows per site must be >= 2 (a training and a test row), got " + rows);
        }
        return new RowCount(rows, 0, rows, rows);
    }

    /** Log-normal counts with this median and log-scale spread, clamped to [min, max]. */
    public static RowCount logNormal(int median, double sigma, int min, int max) {
        return new RowCount(median, sigma, min, max);
    }

    /** A site's row count, drawn from {@code rng} (which draws one Gaussian only when sigma is above 0). */
    public int draw(RandomGenerator rng) {
        double n = sigma == 0 ? median : median * Math.exp(sigma * rng.nextGaussian());
        return (int) Math.max(min, Math.min(max, Math.round(n)));
    }
}
