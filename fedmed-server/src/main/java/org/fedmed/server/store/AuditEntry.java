package org.fedmed.server.store;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * One line of the audit log: when, for which run (if any), who acted (a site id, or {@code server}), what
 * happened, and free-text detail. Entries are only ever appended.
 */
public record AuditEntry(long id, Instant time, OptionalLong runId, String actor, AuditEvent event, String detail) {
    public AuditEntry {
        if (time == null || runId == null || actor == null || event == null) {
            throw new IllegalArgumentException("audit entry " + id + ": time, runId, actor and event are required");
        }
    }
}
