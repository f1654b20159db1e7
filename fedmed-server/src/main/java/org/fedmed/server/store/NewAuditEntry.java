package org.fedmed.server.store;

/**
 * An audit entry not yet written: who ({@code actor}, a site id or {@code server}), what, and its detail. The store
 * gives it its id, time and place in the run's hash chain when it appends it ({@link RunStore#audit(long, java.util.List)}).
 */
public record NewAuditEntry(String actor, AuditEvent event, String detail) {
    public NewAuditEntry {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("audit entry needs an actor (a site id or 'server')");
        }
        if (event == null) {
            throw new IllegalArgumentException("audit entry by '" + actor + "' needs an event");
        }
    }
}
