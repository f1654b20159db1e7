package org.fedmed.transport.site;

import java.time.Instant;
import java.util.List;
import org.fedmed.transport.TaskKind;

/**
 * One line of a site's audit trail: what the site was asked and what it sent, never any data. Every task gets
 * either a {@code REFUSED} entry, or an {@code ACCEPTED} entry followed by exactly one of {@code SENT},
 * {@code FAILED}, {@code CANCELLED} or {@code REJECTED_BY_SERVER}; a rejection that arrives after {@code SENT}
 * adds its own {@code REJECTED_BY_SERVER} entry. Two entries concern the site rather than a task, and have an
 * empty task id, no kind and round 0: {@code REFUSED_BY_SERVER} (the server refused the site, at Hello or later
 * when its certificate was revoked; a task it was running is recorded as {@code CANCELLED} first) and
 * {@code RUN_ENDED} (the server announced that its run is over). The statistics exchange before round 1 is recorded
 * with the request's id as the task id, no kind and round 0: {@code STATISTICS_SENT} (with the statistics named in
 * {@code metricKeys} and the reply's size), {@code STATISTICS_REFUSED} (with the reason), and
 * {@code STATISTICS_MERGED} (merged statistics received; {@code metricKeys} names the sites merged). Each stage of a
 * secure sum about a fit whose update the site kept is recorded with that fit's task id and round:
 * {@code EXCHANGE_ANSWERED} (with the stage in {@code metricKeys}, and the bytes received and sent) or
 * {@code EXCHANGE_REFUSED} (with the stage and the reason).
 *
 * @param kind          the task's kind; null for a malformed task whose kind was unknown, and for the entries
 *                      about the site
 * @param reason        why a task was refused, failed, cancelled or rejected; empty otherwise
 * @param bytesReceived model bytes received for the task
 * @param bytesSent     bytes of the result sent (header and parameters)
 * @param metricKeys    names of the metrics sent (their values are not recorded)
 */
public record AuditEntry(Instant at, String siteId, String taskId, TaskKind kind, int round, Event event,
                         String reason, long bytesReceived, long bytesSent, List<String> metricKeys) {

    /** What happened to the task. */
    public enum Event {
        /** The policy accepted the task; the model is being received and the site will work on it. */
        ACCEPTED,
        /** The policy (or a malformed request) refused the task; nothing ran. */
        REFUSED,
        /** The result was handed to the connection in full. */
        SENT,
        /** The site could not complete the task. */
        FAILED,
        /** The server cancelled the task or the connection dropped before the result was sent. */
        CANCELLED,
        /** The server rejected the site's update, with the reason. */
        REJECTED_BY_SERVER,
        /** The server refused the site itself (not a member, revoked, ...), with its reason; the site stops. */
        REFUSED_BY_SERVER,
        /** The server announced that the run the site took part in has ended, with its reason. */
        RUN_ENDED,
        /** The site answered a statistics request with summaries of its training rows. */
        STATISTICS_SENT,
        /** The site refused a statistics request (its reason), or could not answer it. */
        STATISTICS_REFUSED,
        /** The site received the merged statistics and built its preprocessing from them (or failed to, with why). */
        STATISTICS_MERGED,
        /** The site's secagg client answered a stage of the secure sum about a fit whose update it kept. */
        EXCHANGE_ANSWERED,
        /** The site's secagg client refused a stage of a secure sum (out of turn, malformed, unsafe), with why. */
        EXCHANGE_REFUSED
    }

    public AuditEntry {
        if (at == null || event == null) {
            throw new IllegalArgumentException("audit entry for task '" + taskId + "': time and event are required");
        }
        reason = reason == null ? "" : reason;
        metricKeys = metricKeys == null ? List.of() : List.copyOf(metricKeys);
    }
}
