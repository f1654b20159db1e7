package org.fedmed.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Task;

/**
 * Sites living in this JVM, for simulation. Each task runs on its own virtual thread, and a semaphore bounds
 * how many train at once (by default the number of cores), so many sites share the machine fairly.
 * Outcomes are reported in task order, which makes aggregation, and so the whole run, reproducible bit for bit.
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
        dispatch(tasks, deadline, sink, (c, t) -> c.fit((FitTask) t));
    }

    @Override
    public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
        dispatch(tasks, deadline, sink, (c, t) -> c.evaluate((EvalTask) t));
    }

    private interface Call<R> {
        R run(SiteClient client, Task task) throws Exception;
    }

    private <R> void dispatch(List<? extends Task> tasks, Duration deadline, OutcomeSink<R> sink, Call<R> call) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        List<Future<R>> futures = new ArrayList<>();
        for (Task task : tasks) {
            SiteClient client = sites.get(task.siteId());
            if (client == null) {
                futures.add(null);
                continue;
            }
            futures.add(executor.submit(() -> {
                permits.acquire();
                try {
                    return call.run(client, task);
                } finally {
                    permits.release();
                }
            }));
        }
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            Future<R> f = futures.get(i);
            if (f == null) {
                sink.failure(new SiteFailure(task.round(), task.siteId(), SiteFailure.Kind.ERROR, "unknown site"));
                continue;
            }
            try {
                long left = Math.max(0, deadlineNanos - System.nanoTime());
                sink.success(f.get(left, TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                f.cancel(true);
                sink.failure(new SiteFailure(task.round(), task.siteId(), SiteFailure.Kind.TIMEOUT,
                        "no answer within the round deadline of " + deadline.toMillis() + " ms"));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                sink.failure(new SiteFailure(task.round(), task.siteId(), SiteFailure.Kind.ERROR, describe(cause)));
            } catch (CancellationException e) {
                sink.failure(new SiteFailure(task.round(), task.siteId(), SiteFailure.Kind.ERROR, "cancelled"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                for (int j = i; j < tasks.size(); j++) {
                    if (futures.get(j) != null) futures.get(j).cancel(true);
                }
                throw new IllegalStateException("interrupted while waiting for site results", e);
            }
        }
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
