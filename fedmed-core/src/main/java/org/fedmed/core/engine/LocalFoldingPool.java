package org.fedmed.core.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.strategy.LinearFold;
import org.fedmed.core.strategy.UpdateIntake;

/**
 * Any site pool, folding its rounds' updates as they arrive with {@link FoldPlan#fold}: the in-process counterpart of
 * a Spark pool. Because a {@link LinearFold} is exact, a round run through this pool gives the same model, bit for
 * bit, as the same round folded across Spark tasks; a rule {@linkplain org.fedmed.core.strategy.FoldRule#byRegion()
 * by region} folds each region apart and combines the regions with {@link LinearFold#regional}, as the Spark pool
 * does by key. Everything else (site listing, evaluation, traffic, cutting over-selected rounds through
 * {@link #fit}) is the wrapped pool's.
 */
public final class LocalFoldingPool implements FoldingSitePool, AutoCloseable {

    private final SitePool inner;
    private final java.util.function.Function<String, String> regionOf;

    /** A pool that folds flat rounds only (a rule by region is refused). */
    public LocalFoldingPool(SitePool inner) {
        this(inner, null);
    }

    /** @param regionOf the region id of a site id, for rounds folded by region; null folds flat rounds only */
    public LocalFoldingPool(SitePool inner, java.util.function.Function<String, String> regionOf) {
        if (inner == null) {
            throw new IllegalArgumentException("a folding pool wraps a site pool, got null");
        }
        this.inner = inner;
        this.regionOf = regionOf;
    }

    @Override
    public LinearFold fitFolded(List<FitTask> tasks, Duration deadline, FoldPlan plan, OutcomeSink<FoldedFit> sink) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a folded round needs at least one task");
        }
        FitTask first = tasks.getFirst();
        UpdateIntake intake = new UpdateIntake(first.global(), first.round());
        boolean byRegion = plan.rule().byRegion();
        if (byRegion && regionOf == null) {
            throw new IllegalStateException("the round folds by region, but this pool was given no site regions");
        }
        LinearFold flat = plan.rule().newFold(first.global().size());
        java.util.TreeMap<String, LinearFold> regions = new java.util.TreeMap<>();
        inner.fit(tasks, deadline, new OutcomeSink<>() {
            @Override
            public void success(FitResult result) {
                LinearFold into = byRegion ? regions.computeIfAbsent(regionOf.apply(result.siteId()),
                        r -> plan.rule().newFold(first.global().size())) : flat;
                sink.success(plan.fold(into, result, intake));
            }

            @Override
            public void failure(SiteFailure failure) {
                sink.failure(failure);
            }
        });
        if (!byRegion) {
            return flat;
        }
        LinearFold round = new LinearFold(first.global().size(), 1.0);
        regions.forEach((region, fold) -> round.merge(LinearFold.regional(region, fold, first.global())));
        return round;
    }

    @Override
    public List<String> availableSites() {
        return inner.availableSites();
    }

    @Override
    public void fit(List<FitTask> tasks, Duration deadline, OutcomeSink<FitResult> sink) {
        inner.fit(tasks, deadline, sink);
    }

    @Override
    public void fit(List<FitTask> tasks, Duration deadline, int enough, OutcomeSink<FitResult> sink) {
        inner.fit(tasks, deadline, enough, sink);
    }

    @Override
    public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
        inner.evaluate(tasks, deadline, sink);
    }

    @Override
    public Map<String, SiteTraffic> takeTraffic() {
        return inner.takeTraffic();
    }

    @Override
    public SiteTimes takeTimes() {
        return inner.takeTimes();
    }

    @Override
    public List<String> evaluationSites() {
        return inner.evaluationSites();
    }

    @Override
    public void close() {
        if (inner instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the wrapped site pool failed: " + e.getMessage(), e);
            }
        }
    }
}
