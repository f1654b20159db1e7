package org.fedmed.transport.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.Task;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;

/**
 * One call of {@code fit} or {@code evaluate}: the tasks sent, the queue their outcomes arrive on, and the loop
 * on the engine's thread that hands each outcome to the sink exactly once, never concurrently, and cuts the
 * tasks still open at the deadline as timeouts.
 */
final class Dispatch<R> {

    private static final System.Logger LOG = System.getLogger(Dispatch.class.getName());

    private final Class<R> type;
    private final Duration deadline;
    private final List<PendingTask> tasks = new ArrayList<>();
    private final LinkedBlockingQueue<Outcome> arrivals = new LinkedBlockingQueue<>();

    Dispatch(Class<R> type, Duration deadline) {
        this.type = type;
        this.deadline = deadline;
    }

    PendingTask add(Task task) {
        PendingTask p = new PendingTask(tasks.size(), task, this);
        tasks.add(p);
        return p;
    }

    void arrived(Outcome outcome) {
        arrivals.add(outcome);
    }

    /** Waits for every task's outcome, or the deadline, and reports them all to {@code sink}. */
    void run(long startNanos, OutcomeSink<R> sink, DeliveryOrder order) {
        int n = tasks.size();
        long end = startNanos + deadline.toNanos();
        Outcome[] parked = new Outcome[n];
        int next = 0;
        int delivered = 0;
        boolean cut = false;
        try {
            while (delivered < n) {
                Outcome o;
                if (cut) {
                    o = arrivals.take();
                } else {
                    o = arrivals.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (o == null) {
                        cutOpenTasks();
                        cut = true;
                        continue;
                    }
                }
                if (order == DeliveryOrder.ARRIVAL) {
                    delivered++;
                    deliver(o, sink);
                } else {
                    parked[o.index()] = o;
                    while (next < n && parked[next] != null) {
                        Outcome ready = parked[next];
                        parked[next++] = null;
                        delivered++;
                        deliver(ready, sink);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for site results", e);
        } finally {
            if (delivered < n) {
                abandon(parked);
            }
        }
    }

    private void deliver(Outcome o, OutcomeSink<R> sink) {
        switch (o) {
            case Outcome.Delivered d -> {
                try {
                    sink.success(type.cast(d.result()));
                } finally {
                    d.release();
                }
            }
            case Outcome.Failed f -> sink.failure(f.failure());
        }
    }

    private void cutOpenTasks() {
        String reason = "no answer within the round deadline of " + deadline.toMillis() + " ms";
        for (PendingTask p : tasks) {
            if (p.fail(SiteFailure.Kind.TIMEOUT, reason)) {
                LOG.log(System.Logger.Level.INFO, "site ''{0}'' cut at the deadline of task ''{1}''",
                        p.task().siteId(), p.taskId());
                p.cancelAtSite("the round deadline passed");
            }
        }
    }

    /** The sink threw or the thread was interrupted: stop every open task and free what undelivered ones hold. */
    private void abandon(Outcome[] parked) {
        for (PendingTask p : tasks) {
            p.abandon("the server stopped waiting for this round");
        }
        for (Outcome o : parked) {
            if (o != null) {
                o.release();
            }
        }
        Outcome o;
        while ((o = arrivals.poll()) != null) {
            o.release();
        }
    }
}
