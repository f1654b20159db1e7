package org.fedmed.data.prep;

/**
 * The fitted treatment of one raw feature column. A present numeric value {@code x} is first clipped to
 * {@code [lower, upper]} (infinite bounds: no clipping), a missing one becomes {@code fill} (not clipped), and the
 * result becomes {@code (x - center) / scale}; a categorical column ignores these numbers and is one-hot encoded.
 * {@code indicator} adds a {@code <col>_missing} column that is 1 when the value was missing.
 */
public record ColumnTransform(double fill, double center, double scale, double lower, double upper,
                              boolean indicator) {

    public ColumnTransform {
        if (!Double.isFinite(center)) {
            throw new IllegalArgumentException("column transform field 'center' must be finite, got " + center);
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("column transform field 'scale' must be finite and > 0, got " + scale);
        }
        if (Double.isInfinite(fill)) {
            throw new IllegalArgumentException("column transform field 'fill' must be finite or NaN (no imputation), got " + fill);
        }
        if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper
                || lower == Double.POSITIVE_INFINITY || upper == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("column transform fields 'lower' and 'upper' must satisfy lower <= upper"
                    + " (infinite for no bound), got " + lower + ", " + upper);
        }
    }

    /** A transform without clipping. */
    public ColumnTransform(double fill, double center, double scale, boolean indicator) {
        this(fill, center, scale, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, indicator);
    }

    /** True when present values are clipped at a finite bound. */
    public boolean clips() {
        return Double.isFinite(lower) || Double.isFinite(upper);
    }

    /** The model input for a present value {@code v}, or for a missing one ({@code NaN}) under the fitted fill. */
    public double apply(double v) {
        double x = Double.isNaN(v) ? fill : Math.min(Math.max(v, lower), upper);
        return (x - center) / scale;
    }
}
