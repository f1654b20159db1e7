package org.fedmed.data.definition;

/** What a declared column is for: a model input, or a column the files hold that is read past. */
public enum ColumnRole {
    /** An input of the model. */
    FEATURE,
    /** Present in the files, never read into the model (an identifier, a free-text note). */
    DROP
}
