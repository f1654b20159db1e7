package org.fedmed.server.store;

import java.util.Locale;

/**
 * What an audit-log entry records. Site events say who talked to the server and what was exchanged; run events
 * say what the server did with a run. Stored in lowercase, for example {@code result_received}.
 */
public enum AuditEvent {
    /** A site connected. */
    JOINED,
    /** A site disconnected. */
    LEFT,
    /** A task was sent to a site. */
    TASK_SENT,
    /** A site's result arrived. */
    RESULT_RECEIVED,
    /** The server refused a connection at admission (certificate not of this federation, revoked, not listed). */
    ADMISSION_REFUSED,
    /** A site declined a task (for example its data governance refused it). */
    REFUSED,
    /** The server refused a site's update (wrong shape, not finite, wrong round). */
    REJECTED,
    /** A site's aggregation weight was capped: it claimed more than its share of the round's total. */
    WEIGHT_CAPPED,
    /** A site did not answer before the round's deadline. */
    TIMED_OUT,
    /** A site raised an error or could not be reached. */
    FAILED,
    /** A run was created. */
    RUN_CREATED,
    /** A run was resumed from a stored round. */
    RUN_RESUMED,
    /** A run ended (completed, failed or aborted). */
    RUN_FINISHED,
    /** A run was stopped on request (SIGTERM or SIGINT); the detail says after which round. */
    RUN_STOPPED,
    /** Recorded rounds were discarded, on explicit request, to resume from an earlier good checkpoint. */
    ROUNDS_DISCARDED,
    /** A run's config was amended after it was created; the detail says what changed. */
    RUN_CONFIG_AMENDED,
    /** A statistics request went to a site (before round 1); the detail names the statistics. */
    STATISTICS_REQUESTED,
    /** A site answered a statistics request. */
    STATISTICS_RECEIVED,
    /** A site refused a statistics request, or left before answering; the detail says why. */
    STATISTICS_REFUSED,
    /** The merged statistics went to a site; the detail names the sites merged, in merge order. */
    STATISTICS_MERGED;

    /** The value stored in the database, in lowercase. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AuditEvent fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
