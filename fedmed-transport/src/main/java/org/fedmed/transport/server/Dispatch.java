package org.fedmed.transport.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.Task;
import org.fedmed.core.engine.DeliveryLoop;
import org.fedmed.core.engine.DeliveryOrder;
import org.fedmed.core.engine.OutcomeSink;

/**
 * One call of {@code fit} or {@code evaluate} on the gRPC pool: the tasks sent, each a {@link PendingTask}, and the
 * core {@link DeliveryLoop} their outcomes arrive on. The loop hands each outcome to the sink exactly once, never
 * concurrently, and cuts the tasks still open as timeouts at the deadline or once enough of them have delivered
 * (over-selection); a task cut here is told to stop at its site, and one abandoned is stopped there too.
 */
final class Dispatch<R> implements DeliveryLoop.Tasks {

    private static final System.Logger LOG = System.getLogger(Dispatch.class.getName());

    private final DeliveryLoop<R> loop;
    private final List<PendingTask> tasks;

    Dispatch(Class<R> type, List<? extends Task> tasks) {
        this.loop = new DeliveryLoop<>(type, tasks);
        this.tasks = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            this.tasks.add(new PendingTask(this.tasks.size(), task, loop));
        }
    }

    /** The pending task at {@code index} of the dispatched list. */
    PendingTask task(int index) {
        return tasks.get(index);
    }

    /**
     * Waits for every task's outcome, or the deadline, or {@code enough} delivered results (counted as they
     * arrive), and reports them all to {@code sink}; an {@code enough} of at least the number of tasks waits for
     * every one.
     */
    void run(long startNanos, Duration deadline, OutcomeSink<R> sink, DeliveryOrder order, int enough) {
        loop.run(startNanos, deadline, enough, order, sink, this);
    }

    @Override
    public boolean cut(int index, DeliveryLoop.Cut why, String reason) {
        PendingTask p = tasks.get(index);
        if (!p.cut(reason)) {
            return false;
        }
        LOG.log(System.Logger.Level.INFO, "site ''{0}'' cut {1} ''{2}''", p.task().siteId(), switch (why) {
            case DEADLINE -> "at the deadline of task";
            case ENOUGH -> "by over-selection from task";
        }, p.taskId());
        p.cancelAtSite(switch (why) {
            case DEADLINE -> "the round deadline passed";
            case ENOUGH -> "the round had enough results without this site (over-selection)";
        });
        return true;
    }

    @Override
    public void abandon(int index) {
        tasks.get(index).abandon("the server stopped waiting for this round");
    }
}
