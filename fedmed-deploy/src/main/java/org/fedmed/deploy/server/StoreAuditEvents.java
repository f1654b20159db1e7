package org.fedmed.deploy.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.NewAuditEntry;
import org.fedmed.server.store.RunStore;
import org.fedmed.transport.server.FederationEvents;

/**
 * Writes what happens on the wire to the run store's audit log: who joined and left, whose certificate was
 * refused (at the TLS handshake, with the peer's address and TLS's reason; at Hello; or later, when a connected
 * site is cut because it is no longer admitted), which task went to whom and what came back, what a site declined
 * and which updates were rejected, and each step of the statistics exchange before round 1.
 * Rejections and failures within a round are also recorded by the round's listener with the round number.
 *
 * <p>Entries are written in order by one background thread, so the transport never waits for the database's
 * fsync; what queued up while it wrote goes in the next transaction, together, so a busy server commits a few times
 * a round, not once per task and result. {@link #close()} writes what is queued. The server listens before its run
 * is created or reopened, so entries wait for {@link #attach} and then belong to that run; when no run is attached
 * by {@link #close()} (the start failed first), they are written as entries of no run.
 */
final class StoreAuditEvents implements FederationEvents, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StoreAuditEvents.class.getName());

    private final RunStore store;
    private final CompletableFuture<Long> runId = new CompletableFuture<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("fedmed-audit-writer").daemon().factory());
    private final ConcurrentLinkedQueue<NewAuditEntry> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    StoreAuditEvents(RunStore store) {
        this.store = store;
    }

    /** The run the entries belong to, those already queued included. */
    void attach(long run) {
        runId.complete(run);
    }

    private void write(String actor, AuditEvent event, String detail) {
        queued.add(new NewAuditEntry(actor, event, detail));
        if (drainScheduled.compareAndSet(false, true)) {
            writer.execute(this::writeQueued);
        }
    }

    /** Writes every entry queued by now in one transaction, in the order they were queued. */
    private void writeQueued() {
        drainScheduled.set(false); // an entry queued from here on schedules another drain
        List<NewAuditEntry> batch = new ArrayList<>();
        for (NewAuditEntry e; (e = queued.poll()) != null; ) {
            batch.add(e);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            Long run = runId.join();
            if (run == null) {
                store.audit(batch);
            } else {
                store.audit(run, batch);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot write " + batch.size() + " audit entries (the first: "
                    + batch.getFirst().event() + " of '" + batch.getFirst().actor() + "'): " + e.getMessage());
        }
    }

    /** Writes the queued entries (waiting up to 30 s) and stops the writer. */
    @Override
    public void close() {
        runId.complete(null);
        writer.shutdown();
        try {
            if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "audit writer did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void statisticsRequested(String siteId, String requestId, java.util.List<String> kinds) {
        write(siteId, AuditEvent.STATISTICS_REQUESTED, requestId + ": " + String.join(", ", kinds));
    }

    @Override
    public void statisticsReceived(String siteId, String requestId, long bytes) {
        write(siteId, AuditEvent.STATISTICS_RECEIVED, requestId + ": " + bytes + " bytes");
    }

    @Override
    public void statisticsRefused(String siteId, String requestId, String reason) {
        write(siteId, AuditEvent.STATISTICS_REFUSED, requestId + ": " + reason);
    }

    @Override
    public void mergedStatisticsSent(String siteId, String requestId, java.util.List<String> merged) {
        write(siteId, AuditEvent.STATISTICS_MERGED, requestId + ": merged over " + merged);
    }

    @Override
    public void siteJoined(String siteId, String peerAddress) {
        write(siteId, AuditEvent.JOINED, "from " + peerAddress);
    }

    @Override
    public void siteLeft(String siteId, String reason) {
        write(siteId, AuditEvent.LEFT, reason);
    }

    @Override
    public void peerRefused(String subject, String peerAddress, String reason) {
        write(subject == null || subject.isBlank() ? peerAddress : subject, AuditEvent.ADMISSION_REFUSED,
                reason + " (from " + peerAddress + ")");
    }

    @Override
    public void handshakeRefused(String peerAddress, String reason) {
        write(peerAddress, AuditEvent.ADMISSION_REFUSED, "TLS handshake failed: " + reason + " (from " + peerAddress
                + ")");
    }

    @Override
    public void admissionWithdrawn(String siteId, String peerAddress, String reason) {
        write(siteId, AuditEvent.ADMISSION_REFUSED, "cut while connected: " + reason + " (from " + peerAddress + ")");
    }

    @Override
    public void taskSent(String siteId, String taskId, String kind, int round, long modelBytes) {
        write(siteId, AuditEvent.TASK_SENT, kind + " task '" + taskId + "' of round " + round + ", "
                + modelBytes + " model bytes");
    }

    @Override
    public void resultReceived(String siteId, String taskId, long bytes) {
        write(siteId, AuditEvent.RESULT_RECEIVED, "task '" + taskId + "', " + bytes + " bytes");
    }

    @Override
    public void taskDeclined(String siteId, String taskId, String reason) {
        write(siteId, AuditEvent.REFUSED, "task '" + taskId + "': " + reason);
    }
}
