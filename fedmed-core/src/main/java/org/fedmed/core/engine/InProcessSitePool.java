package org.fedmed.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
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
 * (unless a round over-selects: which sites make the cut then depends on how fast they train). The deadline, the
 * order and the cut of stragglers are the shared {@link DeliveryLoop}'s, as in a deployment's pool.
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
        dispatch(tasks, deadline, enough, sink, FitResult.class, (c, t) -> c.fit((FitTask) t));
    }

    @Override
    public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
        dispatch(tasks, deadline, tasks.size(), sink, EvalResult.class, (c, t) -> c.evaluate((EvalTask) t));
    }

    private interface Call<R> {
        R run(SiteClient client, Task task) throws Exception;
    }

    private static final Runnable NOTHING_HELD = () -> { };

    private <R> void dispatch(List<? extends Task> tasks, Duration deadline, int enough, OutcomeSink<R> sink,
                              Class<R> type, Call<R> call) {
        long start = System.nanoTime();
        int n = tasks.size();
        DeliveryLoop<R> loop = new DeliveryLoop<>(type, tasks);
        // Unknown sites first, so that their failures are ahead of every result in the loop's queue.
        for (int i = 0; i < n; i++) {
            if (!sites.containsKey(tasks.get(i).siteId())) {
                loop.failed(i, loop.failure(i, SiteFailure.Kind.ERROR, "unknown site"));
            }
        }
        List<Future<?>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Task task = tasks.get(i);
            SiteClient client = sites.get(task.siteId());
            if (client == null) {
                futures.add(null);
                continue;
            }
            int index = i;
            futures.add(executor.submit(() -> {
                try {
                    permits.acquire();
                    try {
                        loop.delivered(index, call.run(client, task), NOTHING_HELD);
                    } finally {
                        permits.release();
                    }
                } catch (Throwable t) {
                    loop.failed(index, loop.failure(index, SiteFailure.Kind.ERROR, describe(t)));
                }
            }));
        }
        loop.run(start, deadline, enough, DeliveryOrder.TASK_ORDER, sink, new DeliveryLoop.Tasks() {
            @Override
            public boolean cut(int index, DeliveryLoop.Cut why, String reason) {
                stop(futures.get(index));
                return true;
            }

            @Override
            public void abandon(int index) {
                stop(futures.get(index));
            }
        });
    }

    /** Interrupts a site's work; what it returns afterwards is dropped by the delivery loop. */
    private static void stop(Future<?> work) {
        if (work != null) {
            work.cancel(true);
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
