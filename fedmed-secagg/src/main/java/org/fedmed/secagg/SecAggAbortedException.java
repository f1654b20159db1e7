package org.fedmed.secagg;

/**
 * The round was stopped safely because too few clients remained to unmask the sum: the survivors of some
 * neighbourhood fell below the Shamir threshold. Whoever throws it has released nothing: the server discards
 * its running sum and any shares it holds and outputs no sum; a client that refuses reveals no share.
 */
public final class SecAggAbortedException extends SecAggException {

    private final String reason;
    private final int survivors;
    private final int threshold;

    /**
     * @param reason    what was short, in words a user can act on
     * @param client    the client whose neighbourhood was short, or 0 when the shortfall is not about one client
     * @param survivors how many were left where {@code threshold} were needed
     * @param threshold how many were needed
     */
    public SecAggAbortedException(String reason, int client, int survivors, int threshold) {
        this(reason, client, survivors, threshold, null);
    }

    /** As above, restating an earlier abort (for example with site names added to its reason). */
    public SecAggAbortedException(String reason, int client, int survivors, int threshold, Throwable cause) {
        super("secure aggregation aborted, nothing revealed: " + reason + " (" + survivors + " survived, threshold "
                + threshold + ")", client, cause);
        this.reason = reason;
        this.survivors = survivors;
        this.threshold = threshold;
    }

    /** What was short, without the counts. */
    public String reason() {
        return reason;
    }

    /** How many parties were left where {@link #threshold()} were needed. */
    public int survivors() {
        return survivors;
    }

    /** How many were needed. */
    public int threshold() {
        return threshold;
    }
}
