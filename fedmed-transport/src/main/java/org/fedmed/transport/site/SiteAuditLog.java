package org.fedmed.transport.site;

/**
 * The site's append-only record of every task it was asked to do and what it sent back (see {@link AuditEntry}).
 * Implementations must be thread-safe. If recording an acceptance fails, the task is refused rather than run
 * unrecorded; other failures to record are logged.
 */
@FunctionalInterface
public interface SiteAuditLog {

    void record(AuditEntry entry);
}
