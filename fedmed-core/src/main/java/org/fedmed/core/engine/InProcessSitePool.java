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

/**
 * Sites living in this JVM, for simulation. Each task runs on its own virtual thread, and a semaphore bounds
 * how many train at once (by default the number of cores), so many sites share the machine fairly.
 * Outcomes are reported in task order, which makes aggregation, and so the whole run, reproducible bit for bit
 * (unless a round over-selects: which sites make the cut then depends on how fast they train).
 */
public final class InProcessSitePool implements SitePool, AutoCloseable {

    private final Map<String, SiteClient> sites = new LinkedHashMap<>();
    private final Semaphore permits;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public InProcessSitePool(List<? extends SiteClient> clients, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        for (SiteClient c : clients) {
            if (sites.put(c.siteId(), c) != null) {
                throw new IllegalArgumentException("two sites share the id '" + c.siteId() + "'");
            }
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
        dispatch(tasks, deadline, enough, sink, (c, t) -> c.fit((FitTask) t));
    }

    @Override
    public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
        dispatch(tasks, deadline, tasks.size(), sink, (c, t) -> c.evaluate((EvalTask) t));
    }

    private interface Call<R> {
        R run(SiteClient client, Task task) throws Exception;
    }

    /** A task that finished on its worker thread: its result, or what it threw. */
    private record Finished(int index, Object result, Throwable error) {
    }

    /** A task's decided outcome: a result to hand on, or a failure. */
    private record Decided(Object result, SiteFailure failure) {
    }

    private <R> void dispatch(List<? extends Task> tasks, Duration deadline, int enough, OutcomeSink<R> sink,
                              Call<R> call) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        int n = tasks.size();
        LinkedBlockingQueue<Finished> arrivals = new LinkedBlockingQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        Decided[] decided = new Decided[n];
        int open = 0;
        for (int i = 0; i < n; i++) {
            Task task = tasks.get(i);
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
    private static void cutOpen(List<? extends Task> tasks, List<Future<?>> futures, Decided[] decided, String reason) {
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

    private static SiteFailure failure(Task task, SiteFailure.Kind kind, String reason) {
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
