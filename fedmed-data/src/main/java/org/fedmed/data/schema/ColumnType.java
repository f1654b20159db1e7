package org.fedmed.data.schema;

/**
 * How a feature column is read and encoded. Numeric, integer and binary columns become one model input each
 * (imputed and standardized during preprocessing); a categorical column is one-hot encoded over its declared levels.
 */
public enum ColumnType {
    /** A real number. */
    NUMERIC,
    /** A whole number; a cell with a fractional part does not fit. */
    INTEGER,
    /** One of exactly two declared levels, read as 0 (the first) or 1 (the second). */
    BINARY,
    /** One of the levels declared in the schema; one-hot encoded during preprocessing. */
    CATEGORICAL
}
