package org.fedmed.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Task;
import org.fedmed.core.UpdateRelease;
import org.fedmed.core.exchange.ExchangeMessage;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.core.exchange.ExchangeRefusedException;
import org.fedmed.core.exchange.HeldUpdates;

/**
 * Sites living in this JVM, for simulation. Each task runs on its own virtual thread, and a semaphore bounds
 * how many train at once (by default the number of cores), so many sites share the machine fairly.
 * Outcomes are reported in task order, which makes aggregation, and so the whole run, reproducible bit for bit
 * (unless a round over-selects: which sites make the cut then depends on how fast they train).
 *
 * <p>A fit that keeps its update at the site ({@link UpdateRelease#SECURE_SUM}) is trained by the site's client as
 * any other; the update is then handed to the site's participant ({@link ExchangeParticipants}) and only the held
 * result is reported, and {@link #exchange} carries the later stages to those participants, as the sites behind the
 * wire answer them. Exchange outcomes are reported in message order too.
 */
public final class InProcessSitePool implements SitePool, AutoCloseable {

    private final Map<String, SiteClient> sites = new LinkedHashMap<>();
    private final Map<String, HeldUpdates> held = new LinkedHashMap<>();
    private final Semaphore permits;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public InProcessSitePool(List<? extends SiteClient> clients, int parallelism) {
        this(clients, parallelism, ExchangeParticipants.NONE);
    }

    /**
     * Sites whose fits that keep their update are answered by {@code participants}: each site gets its own
     * participants from it, as a site process builds its own.
     */
    public InProcessSitePool(List<? extends SiteClient> clients, int parallelism, ExchangeParticipants participants) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        for (SiteClient c : clients) {
            if (sites.put(c.siteId(), c) != null) {
                throw new IllegalArgumentException("two sites share the id '" + c.siteId() + "'");
            }
            held.put(c.siteId(), new HeldUpdates(c.siteId(), participants));
        }
        this.permits = new Semaphore(parallelism);
    }

    public InProcessSitePool(List<? extends SiteClient> clients) {
        this(clients, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public List<String> availableSites() {
        return List.copyOf(sites.keySet());
    }

    @Override
    public void fit(List<FitTask> tasks, Duration deadline, OutcomeSink<FitResult> sink) {
        fit(tasks, deadline, tasks.size(), sink);
    }

    /**
     * As {@link SitePool#fit(List, Duration, int, OutcomeSink)}: once {@code enough} sites have returned a result,
     * the sites still training are interrupted and reported as cut; what they return later is ignored. Outcomes
     * are still reported in task order.
     */
    @Override
    public void fit(List<FitTask> tasks, Duration deadline, int enough, OutcomeSink<FitResult> sink) {
        OverSelection.closesEarly(enough, tasks.size());
        dispatch(items(tasks), deadline, enough, sink, (c, t) -> {
            FitTask fit = (FitTask) ((TaskItem) t).task();
            FitResult r = c.fit(fit);
            return fit.release() == UpdateRelease.SECURE_SUM ? held.get(c.siteId()).hold(fit, r) : r;
        });
    }

    /**
     * Hands each message to its site's participant on the site's own thread (within the parallelism bound), and
     * reports the answers in message order; a participant that refuses is reported as an error with its reason, one
     * that has not answered by the deadline as a timeout.
     */
    @Override
    public void exchange(List<ExchangeMessage> messages, Duration deadline, OutcomeSink<ExchangeMessage> sink) {
        List<ExchangeTask> tasks = new ArrayList<>(messages.size());
        for (ExchangeMessage m : messages) {
            tasks.add(new ExchangeTask(m));
        }
        dispatch(tasks, deadline, tasks.size(), sink, (c, t) -> {
            ExchangeMessage m = ((ExchangeTask) t).message();
            HeldUpdates h = held.get(m.siteId());
            try {
                return m.reply(h.answer(m.taskId(), m.stage(), m.body()));
            } catch (ExchangeRefusedException e) {
                throw new IllegalStateException("site '" + m.siteId() + "' refused stage " + m.stage() + ": "
                        + e.getMessage(), e);
            }
        });
    }

    @Override
    public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
        dispatch(items(tasks), deadline, tasks.size(), sink, (c, t) -> c.evaluate((EvalTask) ((TaskItem) t).task()));
    }

    private interface Call<R> {
        R run(SiteClient client, Dispatched task) throws Exception;
    }

    /** What the dispatch loop sends to a site: a task, or one message of an exchange. */
    private sealed interface Dispatched permits TaskItem, ExchangeTask {
        String siteId();

        int round();
    }

    private record TaskItem(Task task) implements Dispatched {
        @Override
        public String siteId() {
            return task.siteId();
        }

        @Override
        public int round() {
            return task.round();
        }
    }

    private record ExchangeTask(ExchangeMessage message) implements Dispatched {
        @Override
        public String siteId() {
            return message.siteId();
        }

        @Override
        public int round() {
            return 0;
        }
    }

    /** A task that finished on its worker thread: its result, or what it threw. */
    private record Finished(int index, Object result, Throwable error) {
    }

    /** A task's decided outcome: a result to hand on, or a failure. */
    private record Decided(Object result, SiteFailure failure) {
    }

    private static List<TaskItem> items(List<? extends Task> tasks) {
        List<TaskItem> out = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            out.add(new TaskItem(t));
        }
        return out;
    }

    private <R> void dispatch(List<? extends Dispatched> tasks, Duration deadline, int enough, OutcomeSink<R> sink,
                              Call<R> call) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        int n = tasks.size();
        LinkedBlockingQueue<Finished> arrivals = new LinkedBlockingQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        Decided[] decided = new Decided[n];
        int open = 0;
        for (int i = 0; i < n; i++) {
            Dispatched task = tasks.get(i);
            SiteClient client = sites.get(task.siteId());
            if (client == null) {
                futures.add(null);
                decided[i] = new Decided(null, failure(task, SiteFailure.Kind.ERROR, "unknown site"));
                continue;
            }
            int index = i;
            futures.add(executor.submit(() -> {
                try {
                    permits.acquire();
                    try {
                        arrivals.add(new Finished(index, call.run(client, task), null));
                    } finally {
                        permits.release();
                    }
                } catch (Throwable t) {
                    arrivals.add(new Finished(index, null, t));
                }
            }));
            open++;
        }
        int next = 0;
        int succeeded = 0;
        try {
            next = report(decided, next, sink);
            while (open > 0) {
                Finished f = arrivals.poll(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (f == null) {
                    cutOpen(tasks, futures, decided,
                            "no answer within the round deadline of " + deadline.toMillis() + " ms");
                    break;
                }
                open--;
                if (f.error() == null) {
                    succeeded++;
                    decided[f.index()] = new Decided(f.result(), null);
                } else {
                    decided[f.index()] = new Decided(null,
                            failure(tasks.get(f.index()), SiteFailure.Kind.ERROR, describe(f.error())));
                }
                if (succeeded >= enough && open > 0) {
                    cutOpen(tasks, futures, decided, OverSelection.cutReason(enough));
                    break;
                }
                next = report(decided, next, sink);
            }
            report(decided, next, sink);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for site results", e);
        } finally {
            for (int i = 0; i < n; i++) {
                if (decided[i] == null) {
                    futures.get(i).cancel(true);
                }
            }
        }
    }

    /** Interrupts every task not yet decided and decides it as a timeout with {@code reason}. */
    private static void cutOpen(List<? extends Dispatched> tasks, List<Future<?>> futures, Decided[] decided, String reason) {
        for (int i = 0; i < decided.length; i++) {
            if (decided[i] == null) {
                futures.get(i).cancel(true);
                decided[i] = new Decided(null, failure(tasks.get(i), SiteFailure.Kind.TIMEOUT, reason));
            }
        }
    }

    /** Reports decided outcomes in task order from {@code next} up to the first undecided; returns where it stopped. */
    @SuppressWarnings("unchecked")
    private static <R> int report(Decided[] decided, int next, OutcomeSink<R> sink) {
        while (next < decided.length && decided[next] != null) {
            Decided d = decided[next++];
            if (d.failure() == null) {
                sink.success((R) d.result());
            } else {
                sink.failure(d.failure());
            }
        }
        return next;
    }

    private static SiteFailure failure(Dispatched task, SiteFailure.Kind kind, String reason) {
        return new SiteFailure(task.round(), task.siteId(), kind, reason);
    }

    static String describe(Throwable t) {
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
