package org.fedmed.data.registry;

/**
 * A registered dataset's files are not on this machine. The message says which files were missing, the
 * folders searched, where to get the data (canonical URL and licence) and where to put it.
 */
public class DatasetNotFoundException extends RuntimeException {

    /** A missing-dataset error with its full explanation. */
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
