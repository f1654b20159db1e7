package org.fedmed.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.Task;

/**
 * The loop every {@link SitePool} runs on the round engine's thread for one call of {@code fit} or
 * {@code evaluate}: outcomes arrive from any thread ({@link #delivered}, {@link #failed}), and the loop hands each
 * task's outcome to the sink exactly once, never concurrently, in the order asked ({@link DeliveryOrder}), before
 * {@link #run} returns. It cuts the tasks still open, through the pool's {@link Tasks#cut}, at the deadline
 * ({@link SiteFailure.Kind#TIMEOUT}, "no answer within the round deadline") and, for a fit that over-selected, as
 * soon as {@code enough} results have arrived (counted as they arrive, whatever the order they are reported in; the
 * reason is {@link OverSelection#cutReason}). A task the loop has decided (reported, or cut) takes no other outcome:
 * a later one is released and dropped. If the sink throws or the thread is interrupted, every open task is
 * abandoned ({@link Tasks#abandon}) and what undelivered outcomes hold is released.
 *
 * @param <R> the result type the sink takes
 */
public final class DeliveryLoop<R> {

    /** Why the loop cuts the tasks still open. */
    public enum Cut {
        /** The round deadline passed. */
        DEADLINE,
        /** The fit had {@code enough} results (over-selection). */
        ENOUGH
    }

    /** What the loop asks of the pool for the tasks it dispatched, by their index in the task list. */
    public interface Tasks {
        /**
         * Cuts open task {@code index} for {@code reason} and tells its site to stop; returns whether this call
         * decided the task (false when an outcome of it was decided elsewhere and is on its way to the loop).
         */
        boolean cut(int index, Cut why, String reason);

        /** Stops open task {@code index} without an outcome: the loop gave up on the round. */
        void abandon(int index);
    }

    /** How one task ended, waiting to be handed to the sink. */
    private sealed interface Outcome {
        int index();

        void release();
    }

    private record Delivered(int index, Object result, Runnable releaser) implements Outcome {
        @Override
        public void release() {
            releaser.run();
        }
    }

    private record Failed(int index, SiteFailure failure) implements Outcome {
        @Override
        public void release() {
        }
    }

    private final Class<R> type;
    private final List<? extends Task> tasks;
    private final LinkedBlockingQueue<Outcome> arrivals = new LinkedBlockingQueue<>();
    // Touched only by the thread in run: the next task to report in task order.
    private int nextInOrder;

    /** A loop over {@code tasks}, whose results the sink takes as {@code type}. */
    public DeliveryLoop(Class<R> type, List<? extends Task> tasks) {
        this.type = type;
        this.tasks = List.copyOf(tasks);
    }

    /**
     * Task {@code index} succeeded with {@code result}; {@code release} runs once the sink took it, or once it is
     * dropped. Thread-safe.
     */
    public void delivered(int index, Object result, Runnable release) {
        arrivals.add(new Delivered(index, result, release));
    }

    /** Task {@code index} failed. Thread-safe. */
    public void failed(int index, SiteFailure failure) {
        arrivals.add(new Failed(index, failure));
    }

    /** The failure the loop reports for a task it cuts, or that a pool reports for a task it could not send. */
    public SiteFailure failure(int index, SiteFailure.Kind kind, String reason) {
        Task task = tasks.get(index);
        return new SiteFailure(task.round(), task.siteId(), kind, reason);
    }

    /**
     * Waits for every task's outcome, or the deadline ({@code deadline} after {@code startNanos}), or
     * {@code enough} delivered results, and reports them all to {@code sink}; an {@code enough} of at least the
     * number of tasks waits for every one.
     */
    public void run(long startNanos, Duration deadline, int enough, DeliveryOrder order, OutcomeSink<R> sink,
                    Tasks control) {
        int n = tasks.size();
        long end = startNanos + deadline.toNanos();
        boolean[] decided = new boolean[n];
        Outcome[] parked = new Outcome[n];
        int reported = 0;
        int succeeded = 0;
        boolean cut = false;
        try {
            while (reported < n) {
                List<Outcome> settled = new ArrayList<>(1);
                Outcome o;
                if (cut) {
                    o = arrivals.take();
                } else {
                    o = arrivals.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (o == null) {
                        cutOpen(decided, Cut.DEADLINE, "no answer within the round deadline of "
                                + deadline.toMillis() + " ms", control, settled);
                        cut = true;
                    }
                }
                if (o != null) {
                    if (decided[o.index()]) {
                        o.release();
                        continue;
                    }
                    decided[o.index()] = true;
                    settled.add(o);
                    if (o instanceof Delivered && ++succeeded >= enough && enough < n && !cut) {
                        cutOpen(decided, Cut.ENOUGH, OverSelection.cutReason(enough), control, settled);
                        cut = true;
                    }
                }
                for (Outcome s : settled) {
                    reported += settle(s, order, parked, sink);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for site results", e);
        } finally {
            if (reported < n) {
                abandon(decided, parked, control);
            }
        }
    }

    /** Cuts every task not yet decided, adding the failures of those it decided to {@code settled}. */
    private void cutOpen(boolean[] decided, Cut why, String reason, Tasks control, List<Outcome> settled) {
        for (int i = 0; i < decided.length; i++) {
            if (!decided[i] && control.cut(i, why, reason)) {
                decided[i] = true;
                settled.add(new Failed(i, failure(i, SiteFailure.Kind.TIMEOUT, reason)));
            }
        }
    }

    /** Reports {@code o} now (arrival order) or once those before it are reported (task order); returns how many. */
    private int settle(Outcome o, DeliveryOrder order, Outcome[] parked, OutcomeSink<R> sink) {
        if (order == DeliveryOrder.ARRIVAL) {
            report(o, sink);
            return 1;
        }
        parked[o.index()] = o;
        int count = 0;
        while (nextInOrder < parked.length && parked[nextInOrder] != null) {
            Outcome ready = parked[nextInOrder];
            parked[nextInOrder++] = null;
            count++;
            report(ready, sink);
        }
        return count;
    }

    private void report(Outcome o, OutcomeSink<R> sink) {
        switch (o) {
            case Delivered d -> {
                try {
                    sink.success(type.cast(d.result()));
                } finally {
                    d.release();
                }
            }
            case Failed f -> sink.failure(f.failure());
        }
    }

    /** The sink threw or the thread was interrupted: stop every open task and free what undelivered ones hold. */
    private void abandon(boolean[] decided, Outcome[] parked, Tasks control) {
        for (int i = 0; i < decided.length; i++) {
            if (!decided[i]) {
                control.abandon(i);
            }
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
