package org.fedmed.spark;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Task;
import org.fedmed.core.engine.FoldPlan;
import org.fedmed.core.engine.FoldedFit;
import org.fedmed.core.engine.FoldingSitePool;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.strategy.LinearFold;
import org.fedmed.core.strategy.UpdateIntake;
import scala.Tuple2;

/**
 * A population of virtual sites trained on Apache Spark: each round's sampled sites become one Spark job. The tasks
 * are sliced into partitions; each Spark task builds its virtual sites from the seed ({@link VirtualSites}), trains
 * them with their own site client (the same {@code TrainingSiteClient} and {@code Trainer} an in-process pool runs,
 * with the same fit config and per-site seed, since the round engine makes the tasks) and, when the round's
 * aggregator allows it, folds their updates into a {@link LinearFold} allocated inside the task. The partials combine
 * with {@code treeReduce} ({@link Tiers#FLAT}) or, for {@link Tiers#REGIONAL}, by region with {@code reduceByKey}
 * and then the regional means with {@code treeReduce}; the driver receives one partial of O(P) values and one small
 * outcome per site (its claimed count, metrics, or why it failed), never an update.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The same seed gives the same model as an in-process pool that folds ({@code LocalFoldingPool}), bit for bit,
 *       whatever the partitioning, the number of executors or the order tasks finish in: every fold is exact
 *       ({@link LinearFold}). Two-tier rounds agree with flat ones to float rounding (the regional means are
 *       rounded to float, as a relay would send them).</li>
 *   <li>Outcomes are reported to the engine in task order, each exactly once, as {@code InProcessSitePool} reports
 *       them, so the round records match too.</li>
 *   <li>A strategy whose aggregator must see every update (robust rules, SCAFFOLD, server-side DP, norm bounds)
 *       still runs: the engine then calls {@link #fit}, which ships each update to the driver ({@code collect}),
 *       O(N·P) driver memory for the round, as those rules need anyway.</li>
 *   <li>A round that outlasts its deadline has its Spark job cancelled and every task reported as a timeout; a
 *       site whose training throws is reported as an error with its message, and the others still count. An
 *       over-selecting round is not cut early: every selected site is waited for (the pool's default).</li>
 *   <li>Driver memory per round is O(P + sites sampled), independent of the population size.</li>
 * </ul>
 * Not thread-safe: one engine drives it. {@link #close()} stops the Spark context when the pool opened it.
 */
public final class SparkSitePool implements FoldingSitePool, AutoCloseable {

    private final JavaSparkContext spark;
    private final VirtualSites sites;
    private final Tiers tiers;
    private final boolean ownsContext;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fedmed-spark-round");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong jobs = new AtomicLong();
    /** Summed over the sites of folded rounds since the last {@link #takeBuildAndFitNanos()}. */
    private long buildNanos;
    private long fitNanos;
    private long built;

    /**
     * @param spark       the context the rounds run in
     * @param sites       the population
     * @param tiers       flat or regional aggregation
     * @param ownsContext whether {@link #close()} stops {@code spark}
     */
    public SparkSitePool(JavaSparkContext spark, VirtualSites sites, Tiers tiers, boolean ownsContext) {
        if (spark == null || sites == null || tiers == null) {
            throw new IllegalArgumentException("a Spark pool needs a context, a population and tiers, got " + spark
                    + ", " + sites + ", " + tiers);
        }
        this.spark = spark;
        this.sites = sites;
        this.tiers = tiers;
        this.ownsContext = ownsContext;
    }

    @Override
    public List<String> availableSites() {
        return sites.siteIds();
    }

    /** A task's outcome inside a job: its index in the round's task list, and a result or a failure. */
    private record Outcome<R>(int index, R result, SiteFailure failure) implements Serializable {
    }

    /** A task with its index in the round's list, so outcomes can be reported in task order. */
    private record Indexed<T>(int index, T task) implements Serializable {
    }

    /** A partition's (or a region's, or a merged) fold and the outcomes of its sites. */
    private static final class Partial implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        LinearFold fold;
        final List<Outcome<FoldedFit>> outcomes = new ArrayList<>();
        /** A partition's folds by region, before they are keyed ({@link Tiers#REGIONAL} only). */
        TreeMap<String, Partial> regions;
        /** Time spent building sites and in their fit calls, summed over the sites, and the sites built. */
        long buildNanos;
        long fitNanos;
        long built;

        Partial merge(Partial other) {
            if (fold == null) {
                fold = other.fold;
            } else if (other.fold != null) {
                fold.merge(other.fold);
            }
            outcomes.addAll(other.outcomes);
            buildNanos += other.buildNanos;
            fitNanos += other.fitNanos;
            built += other.built;
            return this;
        }
    }

    @Override
    public LinearFold fitFolded(List<FitTask> tasks, Duration deadline, FoldPlan plan, OutcomeSink<FoldedFit> sink) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a folded round needs at least one task");
        }
        ModelParameters global = tasks.getFirst().global();
        VirtualSites population = sites;
        boolean regional = tiers == Tiers.REGIONAL;
        JavaRDD<Indexed<FitTask>> rdd = spark.parallelize(indexed(tasks), slices(tasks.size()));
        Partial total;
        try {
            total = within(deadline, "fit round " + tasks.getFirst().round() + " (" + tasks.size() + " sites)", () -> {
                if (!regional) {
                    return rdd.mapPartitions(it -> List.of(trainAndFold(it, population, plan, null)).iterator())
                            .treeReduce(Partial::merge, 2);
                }
                return rdd.mapPartitions(it -> List.of(trainAndFold(it, population, plan, new TreeMap<>())).iterator())
                        .flatMapToPair(SparkSitePool::byRegion)
                        .reduceByKey(Partial::merge)
                        .map(region -> regionalMean(region._1(), region._2(), global))
                        .treeReduce(Partial::merge, 2);
            });
        } catch (TimeoutException e) {
            failAll(tasks, SiteFailure.Kind.TIMEOUT, "no answer within the round deadline of " + deadline.toMillis()
                    + " ms (the Spark job was cancelled)", sink);
            return plan.rule().newFold(global.size());
        } catch (RuntimeException e) {
            failAll(tasks, SiteFailure.Kind.ERROR, "the Spark job failed: " + describe(e), sink);
            return plan.rule().newFold(global.size());
        }
        buildNanos += total.buildNanos;
        fitNanos += total.fitNanos;
        built += total.built;
        report(tasks, total.outcomes, sink);
        return total.fold == null ? plan.rule().newFold(global.size()) : total.fold;
    }

    /**
     * Builds and trains a partition's sites and folds their updates into a fold allocated here, in the task; with
     * {@code regions}, one fold per region, returned one partial each through {@link #byRegion}.
     */
    private static Partial trainAndFold(Iterator<Indexed<FitTask>> it, VirtualSites population, FoldPlan plan,
                                        TreeMap<String, Partial> regions) {
        Partial flat = new Partial();
        UpdateIntake intake = null;
        while (it.hasNext()) {
            Indexed<FitTask> next = it.next();
            FitTask task = next.task();
            if (intake == null) {
                intake = new UpdateIntake(task.global(), task.round());
            }
            Partial into = regions == null ? flat
                    : regions.computeIfAbsent(population.region(task.siteId()), r -> new Partial());
            if (into.fold == null) {
                into.fold = plan.rule().newFold(task.global().size());
            }
            try {
                long start = System.nanoTime();
                SiteClient site = population.site(task.siteId());
                long trained = System.nanoTime();
                FitResult result = site.fit(task);
                into.buildNanos += trained - start;
                into.fitNanos += System.nanoTime() - trained;
                into.built++;
                into.outcomes.add(new Outcome<>(next.index(), plan.fold(into.fold, result, intake), null));
            } catch (Exception e) {
                into.outcomes.add(new Outcome<>(next.index(), null,
                        new SiteFailure(task.round(), task.siteId(), SiteFailure.Kind.ERROR, describe(e))));
            }
        }
        if (regions != null) {
            flat.regions = regions;
        }
        return flat;
    }

    private static Iterator<Tuple2<String, Partial>> byRegion(Partial p) {
        List<Tuple2<String, Partial>> out = new ArrayList<>();
        p.regions.forEach((region, partial) -> out.add(new Tuple2<>(region, partial)));
        return out.iterator();
    }

    /** A region's partial as one aggregate of the second tier: its mean, weighted by its sites' total weight. */
    private static Partial regionalMean(String region, Partial p, ModelParameters global) {
        Partial top = new Partial();
        top.outcomes.addAll(p.outcomes);
        top.buildNanos = p.buildNanos;
        top.fitNanos = p.fitNanos;
        top.built = p.built;
        top.fold = new LinearFold(global.size(), 1.0);
        if (p.fold != null && p.fold.count() > 0 && p.fold.totalWeight() > 0) {
            double weight = p.fold.totalWeight();
            long count = p.fold.count();
            top.fold.addAggregate(region, p.fold.mean(global).flat(), weight, count);
        }
        return top;
    }

    @Override
    public void fit(List<FitTask> tasks, Duration deadline, OutcomeSink<FitResult> sink) {
        VirtualSites population = sites;
        runEach(tasks, deadline, "fit", sink, t -> population.site(t.siteId()).fit((FitTask) t));
    }

    @Override
    public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
        VirtualSites population = sites;
        runEach(tasks, deadline, "evaluate", sink, t -> population.site(t.siteId()).evaluate((EvalTask) t));
    }

    /** What a task does with its site; serializable, so it travels to the executors. */
    private interface Call<R> extends Serializable {
        R run(Task task) throws Exception;
    }

    private <T extends Task, R> void runEach(List<T> tasks, Duration deadline, String what, OutcomeSink<R> sink,
                                             Call<R> call) {
        if (tasks.isEmpty()) {
            return;
        }
        JavaRDD<Indexed<T>> rdd = spark.parallelize(indexed(tasks), slices(tasks.size()));
        List<Outcome<R>> outcomes;
        try {
            outcomes = within(deadline, what + " round " + tasks.getFirst().round() + " (" + tasks.size() + " sites)",
                    () -> rdd.map(t -> run(t, call)).collect());
        } catch (TimeoutException e) {
            failAll(tasks, SiteFailure.Kind.TIMEOUT, "no answer within the round deadline of " + deadline.toMillis()
                    + " ms (the Spark job was cancelled)", sink);
            return;
        } catch (RuntimeException e) {
            failAll(tasks, SiteFailure.Kind.ERROR, "the Spark job failed: " + describe(e), sink);
            return;
        }
        report(tasks, outcomes, sink);
    }

    private static <T extends Task, R> Outcome<R> run(Indexed<T> t, Call<R> call) {
        try {
            return new Outcome<>(t.index(), call.run(t.task()), null);
        } catch (Exception e) {
            Task task = t.task();
            return new Outcome<>(t.index(), null,
                    new SiteFailure(task.round(), task.siteId(), SiteFailure.Kind.ERROR, describe(e)));
        }
    }

    /** Reports every task's outcome in task order, exactly once; a task Spark returned nothing for is an error. */
    private static <R> void report(List<? extends Task> tasks, List<Outcome<R>> outcomes, OutcomeSink<R> sink) {
        List<Outcome<R>> byIndex = new ArrayList<>(java.util.Collections.nCopies(tasks.size(), null));
        for (Outcome<R> o : outcomes) {
            if (byIndex.set(o.index(), o) != null) {
                throw new IllegalStateException("site '" + tasks.get(o.index()).siteId()
                        + "' has two outcomes in one Spark job");
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            Outcome<R> o = byIndex.get(i);
            if (o == null) {
                Task t = tasks.get(i);
                sink.failure(new SiteFailure(t.round(), t.siteId(), SiteFailure.Kind.ERROR,
                        "the Spark job returned no outcome for the site"));
            } else if (o.failure() != null) {
                sink.failure(o.failure());
            } else {
                sink.success(o.result());
            }
        }
    }

    private static <R> void failAll(List<? extends Task> tasks, SiteFailure.Kind kind, String reason,
                                    OutcomeSink<R> sink) {
        for (Task t : tasks) {
            sink.failure(new SiteFailure(t.round(), t.siteId(), kind, reason));
        }
    }

    private static <T> List<Indexed<T>> indexed(List<T> tasks) {
        List<Indexed<T>> out = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            out.add(new Indexed<>(i, tasks.get(i)));
        }
        return out;
    }

    /** Two partitions per core the context has, at most one per task. */
    private int slices(int tasks) {
        return Math.max(1, Math.min(tasks, 2 * spark.defaultParallelism()));
    }

    private interface Job<T> {
        T run();
    }

    /** Runs {@code job} as a Spark job group; past {@code deadline} the group is cancelled and this throws. */
    private <T> T within(Duration deadline, String description, Job<T> job) throws TimeoutException {
        String group = "fedmed-" + jobs.incrementAndGet();
        Future<T> running = runner.submit(() -> {
            spark.setJobGroup(group, description, true);
            try {
                return job.run();
            } finally {
                spark.clearJobGroup();
            }
        });
        try {
            return running.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            spark.cancelJobGroup(group);
            running.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            spark.cancelJobGroup(group);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Spark job of " + description, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(describe(cause), cause);
        }
    }

    static String describe(Throwable t) {
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }

    @Override
    public void close() {
        runner.shutdownNow();
        if (ownsContext) {
            spark.stop();
        }
    }

    /**
     * The time the tasks of folded rounds spent building sites and in their fit calls since the previous call, each
     * summed over sites (so over executor threads), and how many sites were built; then counts afresh.
     */
    public long[] takeBuildAndFitNanos() {
        long[] out = {buildNanos, fitNanos, built};
        buildNanos = 0;
        fitNanos = 0;
        built = 0;
        return out;
    }

    /** What the pool's rounds run on, for records and printouts. */
    public String master() {
        return spark.master();
    }

    /** The population this pool samples from. */
    public VirtualSites sites() {
        return sites;
    }

    /** For tests: the partitions a round of {@code tasks} tasks is split into. */
    int slicesFor(int tasks) {
        return slices(tasks);
    }
}
