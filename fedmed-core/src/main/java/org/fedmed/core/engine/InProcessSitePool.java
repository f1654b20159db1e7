package org.fedmed.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Task;
import org.fedmed.core.strategy.SortedSiteIds;

/**
 * Sites living in this JVM, for simulation. Each task runs on its own virtual thread, and a semaphore bounds
 * how many train at once (by default the number of cores), so many sites share the machine fairly.
 * Outcomes are reported in task order, which makes aggregation, and so the whole run, reproducible bit for bit
 * (unless a round over-selects: which sites make the cut then depends on how fast they train).
 *
 * <p>A pool made by {@link #lazy} holds no site up front: it offers a {@link SortedSiteIds} view of a population,
 * builds a site's client when a task first names it (on the task's worker thread, within the permits), and keeps at
 * most a bounded number of built clients (least recently used go first), so memory follows the sites a round
 * samples, not the population. A rebuilt client must behave as the first one did: the builder is a function of the
 * site id. {@link #takeTimes} reports the time spent building sites and in their fit and evaluate calls.
 */
public final class InProcessSitePool implements SitePool, AutoCloseable {

    private final Map<String, SiteClient> sites = new LinkedHashMap<>();
    private final Semaphore permits;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final SortedSiteIds population;
    private final List<String> evaluationSites;
    private final Function<String, ? extends SiteClient> builder;
    private final int cachedSites;
    private final LongAdder buildNanos = new LongAdder();
    private final LongAdder fitNanos = new LongAdder();
    private final LongAdder evaluateNanos = new LongAdder();
    private final LongAdder built = new LongAdder();

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
        this.population = null;
        this.evaluationSites = null;
        this.builder = null;
        this.cachedSites = 0;
    }

    private InProcessSitePool(SortedSiteIds population, List<String> evaluationSites,
                              Function<String, ? extends SiteClient> builder, int cachedSites,
                              int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        if (cachedSites < 0) {
            throw new IllegalArgumentException("cached sites must be >= 0, got " + cachedSites);
        }
        for (String id : evaluationSites) {
            if (!population.contains(id)) {
                throw new IllegalArgumentException("evaluation site '" + id + "' is not in the population");
            }
        }
        this.permits = new Semaphore(parallelism);
        this.population = population;
        this.evaluationSites = List.copyOf(evaluationSites);
        this.builder = Objects.requireNonNull(builder, "site builder");
        this.cachedSites = cachedSites;
    }

    /**
     * A pool over a population: {@code population} is offered as the available sites, {@code evaluationSites} (ids
     * of it) as the sites evaluated after each round, and a site's client is built by {@code builder} from its id
     * when a task names it, keeping at most {@code cachedSites} built clients.
     */
    public static InProcessSitePool lazy(SortedSiteIds population, List<String> evaluationSites,
                                         Function<String, ? extends SiteClient> builder,
                                         int cachedSites, int parallelism) {
        return new InProcessSitePool(population, evaluationSites, builder, cachedSites, parallelism);
    }

    /**
     * The time spent since the previous call (or since the pool started) building sites, in their fit calls and in
     * their evaluate calls, each summed over sites (so over threads: up to the parallelism times the wall time), and
     * how many sites were built; then counts afresh. An eager pool builds nothing.
     */
    public SiteTimes takeTimes() {
        return new SiteTimes(buildNanos.sumThenReset(), fitNanos.sumThenReset(), evaluateNanos.sumThenReset(),
                built.sumThenReset());
    }

    private SiteClient client(String siteId) {
        if (population == null) {
            return sites.get(siteId);
        }
        if (cachedSites > 0) {
            synchronized (sites) {
                SiteClient cached = sites.remove(siteId);
                if (cached != null) {
                    sites.put(siteId, cached);
                    return cached;
                }
            }
        }
        long start = System.nanoTime();
        SiteClient c = builder.apply(siteId);
        buildNanos.add(System.nanoTime() - start);
        built.increment();
        if (cachedSites > 0) {
            synchronized (sites) {
                sites.put(siteId, c);
                if (sites.size() > cachedSites) {
                    sites.remove(sites.keySet().iterator().next());
                }
            }
        }
        return c;
    }

    private boolean known(String siteId) {
        return population == null ? sites.containsKey(siteId) : population.contains(siteId);
    }

    public InProcessSitePool(List<? extends SiteClient> clients) {
        this(clients, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public List<String> availableSites() {
        return population != null ? population : List.copyOf(sites.keySet());
    }

    @Override
    public List<String> evaluationSites() {
        return population != null ? evaluationSites : availableSites();
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
        dispatch(tasks, deadline, enough, sink, (c, t) -> c.fit((FitTask) t), fitNanos);
    }

    @Override
    public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
        dispatch(tasks, deadline, tasks.size(), sink, (c, t) -> c.evaluate((EvalTask) t), evaluateNanos);
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
                              Call<R> call, LongAdder callNanos) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        int n = tasks.size();
        LinkedBlockingQueue<Finished> arrivals = new LinkedBlockingQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        Decided[] decided = new Decided[n];
        int open = 0;
        for (int i = 0; i < n; i++) {
            Task task = tasks.get(i);
            if (!known(task.siteId())) {
                futures.add(null);
                decided[i] = new Decided(null, failure(task, SiteFailure.Kind.ERROR, "unknown site"));
                continue;
            }
            int index = i;
            futures.add(executor.submit(() -> {
                try {
                    permits.acquire();
                    try {
                        SiteClient client = client(task.siteId());
                        long start = System.nanoTime();
                        Object result = call.run(client, task);
                        callNanos.add(System.nanoTime() - start);
                        arrivals.add(new Finished(index, result, null));
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
