package org.fedmed.server.store;

import java.util.Locale;

/** Whether a stored site result or metric comes from training (fit) or from evaluation. */
public enum TaskKind {
    FIT, EVAL;

    /** The value stored in the database, in lowercase. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static TaskKind fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
