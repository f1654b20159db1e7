package org.fedmed.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Task;
import org.fedmed.core.engine.FoldPlan;
import org.fedmed.core.engine.FoldedFit;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.strategy.LinearFold;
import org.fedmed.core.strategy.UpdateIntake;
import scala.Tuple2;

/**
 * What a {@link SparkSitePool} job runs on the executors, and what travels back: serializable pieces only, so that a
 * task's closure captures nothing of the driver. A partition's sites are built, trained and folded by
 * {@link #trainAndFold}, into a fold allocated there.
 */
final class RoundTasks {

    private RoundTasks() {
    }

    /** A task's outcome inside a job: its index in the round's task list, and a result or a failure. */
    record Outcome<R>(int index, R result, SiteFailure failure, long nanos) implements Serializable {
        Outcome(int index, R result, SiteFailure failure) {
            this(index, result, failure, 0);
        }
    }

    /** A task with its index in the round's list, so outcomes can be reported in task order. */
    record Indexed<T>(int index, T task) implements Serializable {
    }

    /** A partition's (or a region's, or a merged) fold and the outcomes of its sites. */
    static final class Partial implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        LinearFold fold;
        final List<Outcome<FoldedFit>> outcomes = new ArrayList<>();
        /** A partition's folds by region, before they are keyed (rounds folded by region only). */
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

    static <T> List<Indexed<T>> indexed(List<T> tasks) {
        List<Indexed<T>> out = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            out.add(new Indexed<>(i, tasks.get(i)));
        }
        return out;
    }

    /**
     * Builds and trains a partition's sites and folds their updates into a fold allocated here, in the task; with
     * {@code regions}, one fold per region, returned one partial each through {@link #byRegion}.
     */
    static Partial trainAndFold(Iterator<Indexed<FitTask>> it, VirtualSites population, FoldPlan plan,
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

    static Iterator<Tuple2<String, Partial>> byRegion(Partial p) {
        List<Tuple2<String, Partial>> out = new ArrayList<>();
        p.regions.forEach((region, partial) -> out.add(new Tuple2<>(region, partial)));
        return out.iterator();
    }

    /** A region's partial as one aggregate of the second tier: its mean, weighted by its sites' total weight. */
    static Partial regionalMean(String region, Partial p, ModelParameters global) {
        Partial top = new Partial();
        top.outcomes.addAll(p.outcomes);
        top.buildNanos = p.buildNanos;
        top.fitNanos = p.fitNanos;
        top.built = p.built;
        top.fold = p.fold == null ? new LinearFold(global.size(), 1.0) : LinearFold.regional(region, p.fold, global);
        return top;
    }

    /** What a task does with its site; serializable, so it travels to the executors. */
    interface Call<R> extends Serializable {
        R run(Task task) throws Exception;
    }

    static <T extends Task, R> Outcome<R> run(Indexed<T> t, Call<R> call) {
        long start = System.nanoTime();
        try {
            R result = call.run(t.task());
            return new Outcome<>(t.index(), result, null, System.nanoTime() - start);
        } catch (Exception e) {
            Task task = t.task();
            return new Outcome<>(t.index(), null,
                    new SiteFailure(task.round(), task.siteId(), SiteFailure.Kind.ERROR, describe(e)));
        }
    }

    static String describe(Throwable t) {
        return SparkSitePool.describe(t);
    }
}
