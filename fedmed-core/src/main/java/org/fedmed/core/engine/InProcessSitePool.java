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
import java.util.concurrent.ConcurrentHashMap;
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
import org.fedmed.core.UpdateRelease;
import org.fedmed.core.exchange.ExchangeMessage;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.core.exchange.ExchangeRefusedException;
import org.fedmed.core.exchange.HeldUpdates;
import org.fedmed.core.strategy.SortedSiteIds;

/**
 * Sites living in this JVM, for simulation. Each task runs on its own virtual thread, and a semaphore bounds
 * how many train at once (by default the number of cores), so many sites share the machine fairly.
 * Outcomes are reported in task order, which makes aggregation, and so the whole run, reproducible bit for bit
 * (unless a round over-selects: which sites make the cut then depends on how fast they train). The deadline, the
 * order and the cut of stragglers are the shared {@link DeliveryLoop}'s, as in a deployment's pool.
 *
 * <p>A pool made by {@link #lazy} holds no site up front: it offers a {@link SortedSiteIds} view of a population,
 * builds a site's client when a task first names it (on the task's worker thread, within the permits), and keeps at
 * most a bounded number of built clients (least recently used go first), so memory follows the sites a round
 * samples, not the population. A rebuilt client must behave as the first one did: the builder is a function of the
 * site id. {@link #takeTimes} reports the time spent building sites and in their fit and evaluate calls.
 *
 * <p>A fit that keeps its update at the site ({@link UpdateRelease#SECURE_SUM}) is trained by the site's client as
 * any other; the update is then handed to the site's participant ({@link ExchangeParticipants}) and only the held
 * result is reported, and {@link #exchange} carries the later stages to those participants, as the sites behind the
 * wire answer them. Exchange answers are reported in message order too. A lazy pool's sites keep no update.
 */
public final class InProcessSitePool implements SitePool, AutoCloseable {

    private final Map<String, SiteClient> sites = new LinkedHashMap<>();
    private final Map<String, HeldUpdates> held = new ConcurrentHashMap<>();
    private final ExchangeParticipants participants;
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
        }
        this.participants = Objects.requireNonNull(participants, "participants");
        this.permits = new Semaphore(parallelism);
        this.population = null;
        this.evaluationSites = null;
        this.builder = null;
        this.cachedSites = 0;
    }

    private InProcessSitePool(SortedSiteIds population, List<String> evaluationSites,
                              Function<String, ? extends SiteClient> builder, int cachedSites, int parallelism) {
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
        this.participants = ExchangeParticipants.NONE;
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
                                         Function<String, ? extends SiteClient> builder, int cachedSites,
                                         int parallelism) {
        return new InProcessSitePool(population, evaluationSites, builder, cachedSites, parallelism);
    }

    /**
     * The time spent since the previous call (or since the pool started) building sites, in their fit calls and in
     * their evaluate calls, each summed over sites (so over threads: up to the parallelism times the wall time), and
     * how many sites were built; then counts afresh. An eager pool builds nothing.
     */
    @Override
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
        dispatch(tasks, deadline, enough, sink, FitResult.class, (c, t) -> {
            FitTask fit = (FitTask) t;
            FitResult r = c.fit(fit);
            return fit.release() == UpdateRelease.SECURE_SUM ? heldBy(c.siteId()).hold(fit, r) : r;
        }, fitNanos);
    }

    private HeldUpdates heldBy(String siteId) {
        return held.computeIfAbsent(siteId, id -> new HeldUpdates(id, participants));
    }

    /** One exchange message's answer, or why there is none. */
    private record Answered(int index, ExchangeMessage reply, String refusal) {
    }

    /**
     * Hands each message to its site's participant on a thread of its own (within the parallelism bound), and reports
     * the answers in message order; a participant that refuses is reported as an error with its reason, one that has
     * not answered by the deadline as a timeout (and interrupted).
     */
    @Override
    public void exchange(List<ExchangeMessage> messages, Duration deadline, OutcomeSink<ExchangeMessage> sink) {
        long end = System.nanoTime() + deadline.toNanos();
        int n = messages.size();
        LinkedBlockingQueue<Answered> arrivals = new LinkedBlockingQueue<>();
        List<Future<?>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ExchangeMessage m = messages.get(i);
            int index = i;
            if (!known(m.siteId())) {
                futures.add(null);
                arrivals.add(new Answered(i, null, "unknown site"));
                continue;
            }
            HeldUpdates h = heldBy(m.siteId());
            futures.add(executor.submit(() -> {
                try {
                    permits.acquire();
                    try {
                        arrivals.add(new Answered(index, m.reply(h.answer(m.taskId(), m.stage(), m.body())), null));
                    } finally {
                        permits.release();
                    }
                } catch (ExchangeRefusedException e) {
                    arrivals.add(new Answered(index, null, "site '" + m.siteId() + "' refused stage " + m.stage()
                            + ": " + e.getMessage()));
                } catch (Throwable t) {
                    arrivals.add(new Answered(index, null, describe(t)));
                }
            }));
        }
        Answered[] parked = new Answered[n];
        int next = 0;
        try {
            while (next < n) {
                Answered a = arrivals.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (a == null) {
                    for (int i = 0; i < n; i++) {
                        if (parked[i] == null) {
                            stop(futures.get(i));
                            parked[i] = new Answered(i, null, null);
                        }
                    }
                } else if (parked[a.index()] == null) {
                    parked[a.index()] = a;
                }
                while (next < n && parked[next] != null) {
                    Answered d = parked[next];
                    ExchangeMessage m = messages.get(next++);
                    if (d.reply() != null) {
                        sink.success(d.reply());
                    } else {
                        sink.failure(new SiteFailure(0, m.siteId(), d.refusal() == null ? SiteFailure.Kind.TIMEOUT
                                : SiteFailure.Kind.ERROR, d.refusal() == null ? "no answer to stage " + m.stage()
                                + " within its deadline of " + deadline.toMillis() + " ms" : d.refusal()));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sites' answers to an exchange stage", e);
        } finally {
            for (int i = 0; i < n; i++) {
                if (parked[i] == null) {
                    stop(futures.get(i));
                }
            }
        }
    }

    @Override
    public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
        dispatch(tasks, deadline, tasks.size(), sink, EvalResult.class, (c, t) -> c.evaluate((EvalTask) t),
                evaluateNanos);
    }

    private interface Call<R> {
        R run(SiteClient client, Task task) throws Exception;
    }

    private static final Runnable NOTHING_HELD = () -> { };

    private <R> void dispatch(List<? extends Task> tasks, Duration deadline, int enough, OutcomeSink<R> sink,
                              Class<R> type, Call<R> call, LongAdder callNanos) {
        long start = System.nanoTime();
        int n = tasks.size();
        DeliveryLoop<R> loop = new DeliveryLoop<>(type, tasks);
        // Unknown sites first, so that their failures are ahead of every result in the loop's queue.
        for (int i = 0; i < n; i++) {
            if (!known(tasks.get(i).siteId())) {
                loop.failed(i, loop.failure(i, SiteFailure.Kind.ERROR, "unknown site"));
            }
        }
        List<Future<?>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Task task = tasks.get(i);
            if (!known(task.siteId())) {
                futures.add(null);
                continue;
            }
            int index = i;
            futures.add(executor.submit(() -> {
                try {
                    permits.acquire();
                    try {
                        SiteClient client = client(task.siteId());
                        long begun = System.nanoTime();
                        R result = call.run(client, task);
                        callNanos.add(System.nanoTime() - begun);
                        loop.delivered(index, result, NOTHING_HELD);
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
