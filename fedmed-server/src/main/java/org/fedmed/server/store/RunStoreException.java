package org.fedmed.server.store;

import java.nio.file.Path;

/**
 * The run store's database could not be opened, migrated, read or written. The message names the database file
 * and the operation; the cause is the SQLite error.
 */
public final class RunStoreException extends RuntimeException {

    public RunStoreException(Path database, String operation, Throwable cause) {
        super("run store " + database + ": cannot " + operation + ": " + cause.getMessage(), cause);
    }

    public RunStoreException(Path database, String problem) {
        super("run store " + database + ": " + problem);
    }
}
