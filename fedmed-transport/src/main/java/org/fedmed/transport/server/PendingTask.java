package org.fedmed.transport.server;

import java.util.concurrent.atomic.AtomicBoolean;
import org.fedmed.core.Task;
import org.fedmed.core.engine.DeliveryLoop;
import org.fedmed.core.engine.SiteFailure;

/**
 * One task sent to one site, from dispatch until its outcome is decided. Whoever decides first wins (the result
 * arriving, a rejection, a disconnect, the deadline); every later attempt is refused, so each task reaches the
 * sink exactly once and a late result is dropped. The outcome goes to the call's {@link DeliveryLoop}.
 */
final class PendingTask {

    private final int index;
    private final Task task;
    private final DeliveryLoop<?> loop;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile SiteLink link;

    PendingTask(int index, Task task, DeliveryLoop<?> loop) {
        this.index = index;
        this.task = task;
        this.loop = loop;
    }

    Task task() {
        return task;
    }

    String taskId() {
        return task.taskId();
    }

    void attach(SiteLink l) {
        link = l;
    }

    boolean isDone() {
        return done.get();
    }

    /**
     * Decides the task as delivered; {@code release} runs once the sink took the result. If this call decides the
     * task, {@code announce} runs before the outcome is handed on, so what it reports precedes the round engine.
     */
    boolean succeed(Object result, Runnable release, Runnable announce) {
        return decide("it was already answered", announce, () -> loop.delivered(index, result, release));
    }

    boolean fail(SiteFailure.Kind kind, String reason) {
        String why = switch (kind) {
            case TIMEOUT -> "it was cut: " + reason;
            case REJECTED -> "its update was rejected";
            case ERROR -> "it failed: " + reason;
        };
        return decide(why, null, () -> loop.failed(index, loop.failure(index, kind, reason)));
    }

    /** Decides the task as cut by the delivery loop, which reports the cut itself; false if already decided. */
    boolean cut(String reason) {
        return decide("it was cut: " + reason, null, () -> { });
    }

    /** Closes the task without an outcome (the dispatch was abandoned) and tells the site to stop. */
    boolean abandon(String reason) {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        SiteLink l = link;
        if (l != null) {
            l.taskClosed(this, "the server stopped waiting for it");
            l.cancelTask(this, reason);
        }
        return true;
    }

    /** Tells the site to stop working on the task and drops whatever of it is in flight. */
    void cancelAtSite(String reason) {
        SiteLink l = link;
        if (l != null) {
            l.cancelTask(this, reason);
        }
    }

    private boolean decide(String closedBecause, Runnable announce, Runnable handOn) {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        SiteLink l = link;
        if (l != null) {
            l.taskClosed(this, closedBecause);
        }
        if (announce != null) {
            announce.run();
        }
        handOn.run();
        return true;
    }
}
