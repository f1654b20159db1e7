package org.fedmed.server.run;

/**
 * A run cannot be resumed: it does not exist, or the checkpoint it would resume from is missing, corrupt or does
 * not match the SHA-256 the store recorded. The message names the run, the round and the file, and says whether
 * {@link FallbackPolicy#PREVIOUS_GOOD_ROUND} could help.
 */
public final class ResumeException extends RuntimeException {
    public ResumeException(String message) {
        super(message);
    }

    public ResumeException(String message, Throwable cause) {
        super(message, cause);
    }
}
