package org.fedmed.data.prep;

/**
 * The fitted treatment of one raw feature column. A numeric value {@code x} (or {@code fill} when missing)
 * becomes {@code (x - center) / scale}; a categorical column ignores these numbers and is one-hot encoded.
 * {@code indicator} adds a {@code <col>_missing} column that is 1 when the value was missing.
 */
public record ColumnTransform(double fill, double center, double scale, boolean indicator) {

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
    }
}
