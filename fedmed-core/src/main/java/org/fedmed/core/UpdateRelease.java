package org.fedmed.core;

/**
 * How a site releases the update of a fit. A closed choice: the site either sends its update, or keeps it and takes
 * part in the multi-exchange round of a secure sum ({@link org.fedmed.core.exchange}), in which the coordinator
 * learns only the sum of the cohort's updates.
 */
public enum UpdateRelease {
    /** The update travels to the coordinator in the result, as it always has. */
    CLEAR,
    /**
     * The update stays at the site: the result carries its counts and metrics only
     * ({@link FitResult#held}), and the site answers the secure sum's stages with its own fixed client.
     */
    SECURE_SUM
}
