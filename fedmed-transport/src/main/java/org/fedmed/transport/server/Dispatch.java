package org.fedmed.transport.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.Task;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.OverSelection;
import org.fedmed.core.engine.SiteFailure;

/**
 * One call of {@code fit} or {@code evaluate}: the tasks sent, the queue their outcomes arrive on, and the loop
 * on the engine's thread that hands each outcome to the sink exactly once, never concurrently, and cuts the
 * tasks still open as timeouts at the deadline, or as soon as enough of them have delivered (over-selection).
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

    /**
     * Waits for every task's outcome, or the deadline, or {@code enough} delivered results (counted as they
     * arrive), and reports them all to {@code sink}; an {@code enough} of at least the number of tasks waits for
     * every one.
     */
    void run(long startNanos, OutcomeSink<R> sink, DeliveryOrder order, int enough) {
        int n = tasks.size();
        long end = startNanos + deadline.toNanos();
        Outcome[] parked = new Outcome[n];
        int next = 0;
        int delivered = 0;
        int succeeded = 0;
        boolean cut = false;
        try {
            while (delivered < n) {
                Outcome o;
                if (cut) {
                    o = arrivals.take();
                } else {
                    o = arrivals.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (o == null) {
                        cutOpenTasks("no answer within the round deadline of " + deadline.toMillis() + " ms",
                                "the round deadline passed", "at the deadline of task");
                        cut = true;
                        continue;
                    }
                }
                if (o instanceof Outcome.Delivered && ++succeeded >= enough && enough < n && !cut) {
                    cutOpenTasks(OverSelection.cutReason(enough), "the round had enough results without this site"
                            + " (over-selection)", "by over-selection from task");
                    cut = true;
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

    /** Fails every task still open as a timeout with {@code reason} and tells its site to stop. */
    private void cutOpenTasks(String reason, String toldSite, String when) {
        for (PendingTask p : tasks) {
            if (p.fail(SiteFailure.Kind.TIMEOUT, reason)) {
                LOG.log(System.Logger.Level.INFO, "site ''{0}'' cut {1} ''{2}''",
                        p.task().siteId(), when, p.taskId());
                p.cancelAtSite(toldSite);
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
