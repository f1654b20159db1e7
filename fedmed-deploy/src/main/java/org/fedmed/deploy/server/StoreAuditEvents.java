package org.fedmed.deploy.server;

import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStore;
import org.fedmed.transport.server.FederationEvents;

/**
 * Writes what happens on the wire to the run store's audit log: who joined and left, whose certificate was
 * refused, which task went to whom and what came back, what a site declined and which updates were rejected.
 * Rejections and failures within a round are also recorded by the round's listener with the round number.
 */
final class StoreAuditEvents implements FederationEvents {

    private final RunStore store;
    private final long runId;

    StoreAuditEvents(RunStore store, long runId) {
        this.store = store;
        this.runId = runId;
    }

    @Override
    public void siteJoined(String siteId, String peerAddress) {
        store.audit(runId, siteId, AuditEvent.JOINED, "from " + peerAddress);
    }

    @Override
    public void siteLeft(String siteId, String reason) {
        store.audit(runId, siteId, AuditEvent.LEFT, reason);
    }

    @Override
    public void peerRefused(String subject, String peerAddress, String reason) {
        store.audit(runId, subject == null || subject.isBlank() ? peerAddress : subject, AuditEvent.ADMISSION_REFUSED,
                reason + " (from " + peerAddress + ")");
    }

    @Override
    public void taskSent(String siteId, String taskId, String kind, int round, long modelBytes) {
        store.audit(runId, siteId, AuditEvent.TASK_SENT, kind + " task '" + taskId + "' of round " + round + ", "
                + modelBytes + " model bytes");
    }

    @Override
    public void resultReceived(String siteId, String taskId, long bytes) {
        store.audit(runId, siteId, AuditEvent.RESULT_RECEIVED, "task '" + taskId + "', " + bytes + " bytes");
    }

    @Override
    public void taskDeclined(String siteId, String taskId, String reason) {
        store.audit(runId, siteId, AuditEvent.REFUSED, "task '" + taskId + "': " + reason);
    }
}
