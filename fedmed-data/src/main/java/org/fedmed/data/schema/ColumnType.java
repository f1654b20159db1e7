package org.fedmed.data.schema;

/** How a feature column is read and encoded: a number, or one of a fixed set of declared levels. */
public enum ColumnType {
    /** A real number; imputed and standardized during preprocessing. */
    NUMERIC,
    /** One of the levels declared in the schema; one-hot encoded during preprocessing. */
    CATEGORICAL
}
