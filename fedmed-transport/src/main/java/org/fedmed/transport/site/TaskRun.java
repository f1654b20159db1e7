package org.fedmed.transport.site;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedmed.transport.wire.ModelAssembler;

/**
 * One task a site accepted, from its acceptance until its final audit entry: the model being received, the
 * work on it, and the result on its way out. {@link #finish} records the outcome exactly once.
 */
final class TaskRun {

    private final TaskOffer offer;
    private final SiteConnection connection;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final ModelAssembler assembler;
    private volatile long bytesReceived;
    private volatile Future<?> work;

    TaskRun(TaskOffer offer, SiteConnection connection) {
        this.offer = offer;
        this.connection = connection;
        this.assembler = new ModelAssembler(offer.taskId(),
                new float[offer.layout().totalSize() * (1 + offer.auxiliary().size())]);
    }

    TaskOffer offer() {
        return offer;
    }

    String taskId() {
        return offer.taskId();
    }

    ModelAssembler assembler() {
        return assembler;
    }

    void received(long bytes) {
        bytesReceived += bytes;
    }

    void started(Future<?> f) {
        work = f;
    }

    boolean isFinished() {
        return finished.get();
    }

    /** Records the task's final audit entry; false if it was already recorded. */
    boolean finish(AuditEntry.Event event, String reason, long bytesSent, List<String> metricKeys) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        connection.audit(new AuditEntry(Instant.now(), connection.siteId(), offer.taskId(), offer.kind(), offer.round(),
                event, reason, bytesReceived, bytesSent, metricKeys));
        return true;
    }

    /** Stops the work (interrupting it) and records the task as {@code event}, unless it already ended. */
    boolean stop(AuditEntry.Event event, String reason) {
        boolean recorded = finish(event, reason, 0, List.of());
        Future<?> f = work;
        if (recorded && f != null) {
            f.cancel(true);
        }
        return recorded;
    }
}
