package org.fedmed.secagg;

import java.util.OptionalInt;

/**
 * Base of the errors a secure-aggregation round raises. Where the error is about one client, {@link #client()}
 * names it by its protocol id (1..n), so a caller that knows which site holds which id can say which site.
 */
public class SecAggException extends RuntimeException {

    private final int client;

    public SecAggException(String message, int client) {
        super(message);
        this.client = client;
    }

    public SecAggException(String message, int client, Throwable cause) {
        super(message, cause);
        this.client = client;
    }

    /** The client the error is about, if it is about one. */
    public OptionalInt client() {
        return client > 0 ? OptionalInt.of(client) : OptionalInt.empty();
    }
}
