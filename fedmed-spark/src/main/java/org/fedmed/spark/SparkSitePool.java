package org.fedmed.spark;

import java.time.Duration;
import java.util.ArrayList;
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
import org.fedmed.core.Task;
import org.fedmed.core.engine.FoldPlan;
import org.fedmed.core.engine.FoldedFit;
import org.fedmed.core.engine.FoldingSitePool;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SiteTimes;
import org.fedmed.core.strategy.LinearFold;

/**
 * A population of virtual sites trained on Apache Spark: each round's sampled sites become one Spark job. The tasks
 * are sliced into partitions; each Spark task builds its virtual sites from the seed ({@link VirtualSites}), trains
 * them with their own site client (the same {@code TrainingSiteClient} and {@code Trainer} an in-process pool runs,
 * with the same fit config and per-site seed, since the round engine makes the tasks) and, when the round's
 * aggregator allows it, folds their updates into a {@link LinearFold} allocated inside the task. The partials combine
 * with {@code treeReduce}, or, for a round that folds {@linkplain org.fedmed.core.strategy.FoldRule#byRegion() by
 * region}, by the population's regions with {@code reduceByKey} first, each region's fold then becoming its regional
 * mean ({@link LinearFold#regional}), and those with {@code treeReduce}; the driver receives one partial of O(P) values and one small
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
    private final List<String> evaluationSites;
    private final boolean ownsContext;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fedmed-spark-round");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong jobs = new AtomicLong();
    /** Summed over sites since the last {@link #takeTimes()}. */
    private long buildNanos;
    private long fitNanos;
    private long evaluateNanos;
    private long built;

    /**
     * @param spark       the context the rounds run in
     * @param sites       the population
     * @param ownsContext whether {@link #close()} stops {@code spark}
     */
    public SparkSitePool(JavaSparkContext spark, VirtualSites sites, boolean ownsContext) {
        this(spark, sites, List.of(), ownsContext);
    }

    /**
     * As the three-argument form, evaluating the global model on {@code evaluationSites} (ids of the population)
     * after each round instead of on every site: a population of a million is evaluated on a fixed sample.
     *
     * @param evaluationSites the sites evaluated; empty for all
     */
    public SparkSitePool(JavaSparkContext spark, VirtualSites sites, List<String> evaluationSites,
                         boolean ownsContext) {
        if (spark == null || sites == null || evaluationSites == null) {
            throw new IllegalArgumentException("a Spark pool needs a context, a population and its evaluation sites,"
                    + " got " + spark + ", " + sites + ", " + evaluationSites);
        }
        this.spark = spark;
        this.sites = sites;
        this.evaluationSites = List.copyOf(evaluationSites);
        this.ownsContext = ownsContext;
    }

    @Override
    public List<String> availableSites() {
        return sites.siteIds();
    }

    /** The sites the global model is evaluated on after a round: the sample given, or every site. */
    @Override
    public List<String> evaluationSites() {
        return evaluationSites.isEmpty() ? availableSites() : evaluationSites;
    }

    @Override
    public LinearFold fitFolded(List<FitTask> tasks, Duration deadline, FoldPlan plan, OutcomeSink<FoldedFit> sink) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a folded round needs at least one task");
        }
        ModelParameters global = tasks.getFirst().global();
        VirtualSites population = sites;
        boolean regional = plan.rule().byRegion();
        JavaRDD<RoundTasks.Indexed<FitTask>> rdd = spark.parallelize(RoundTasks.indexed(tasks), slices(tasks.size()));
        RoundTasks.Partial total;
        try {
            total = within(deadline, "fit round " + tasks.getFirst().round() + " (" + tasks.size() + " sites)", () -> {
                if (!regional) {
                    return rdd.mapPartitions(it -> List.of(RoundTasks.trainAndFold(it, population, plan, null)).iterator())
                            .treeReduce(RoundTasks.Partial::merge, 2);
                }
                return rdd.mapPartitions(it -> List.of(RoundTasks.trainAndFold(it, population, plan, new TreeMap<>())).iterator())
                        .flatMapToPair(RoundTasks::byRegion)
                        .reduceByKey(RoundTasks.Partial::merge)
                        .map(region -> RoundTasks.regionalMean(region._1(), region._2(), global))
                        .treeReduce(RoundTasks.Partial::merge, 2);
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

    private <T extends Task, R> void runEach(List<T> tasks, Duration deadline, String what, OutcomeSink<R> sink,
                                             RoundTasks.Call<R> call) {
        if (tasks.isEmpty()) {
            return;
        }
        JavaRDD<RoundTasks.Indexed<T>> rdd = spark.parallelize(RoundTasks.indexed(tasks), slices(tasks.size()));
        List<RoundTasks.Outcome<R>> outcomes;
        try {
            outcomes = within(deadline, what + " round " + tasks.getFirst().round() + " (" + tasks.size() + " sites)",
                    () -> rdd.map(t -> RoundTasks.run(t, call)).collect());
        } catch (TimeoutException e) {
            failAll(tasks, SiteFailure.Kind.TIMEOUT, "no answer within the round deadline of " + deadline.toMillis()
                    + " ms (the Spark job was cancelled)", sink);
            return;
        } catch (RuntimeException e) {
            failAll(tasks, SiteFailure.Kind.ERROR, "the Spark job failed: " + describe(e), sink);
            return;
        }
        for (RoundTasks.Outcome<R> o : outcomes) {
            evaluateNanos += o.nanos();
        }
        report(tasks, outcomes, sink);
    }

    /** Reports every task's outcome in task order, exactly once; a task Spark returned nothing for is an error. */
    private static <R> void report(List<? extends Task> tasks, List<RoundTasks.Outcome<R>> outcomes,
                                   OutcomeSink<R> sink) {
        List<RoundTasks.Outcome<R>> byIndex = new ArrayList<>(java.util.Collections.nCopies(tasks.size(), null));
        for (RoundTasks.Outcome<R> o : outcomes) {
            if (byIndex.set(o.index(), o) != null) {
                throw new IllegalStateException("site '" + tasks.get(o.index()).siteId()
                        + "' has two outcomes in one Spark job");
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            RoundTasks.Outcome<R> o = byIndex.get(i);
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
     * The time the tasks spent building sites and in their fit calls (folded rounds) and in site calls (shipped
     * fits and evaluations, counted as evaluate time) since the previous call, each summed over sites (so over
     * executor threads), and how many sites folded rounds built; then counts afresh.
     */
    @Override
    public SiteTimes takeTimes() {
        SiteTimes t = new SiteTimes(buildNanos, fitNanos, evaluateNanos, built);
        buildNanos = 0;
        fitNanos = 0;
        evaluateNanos = 0;
        built = 0;
        return t;
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
