package org.fedmed.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.metrics.MetricAggregation;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.FoldRule;
import org.fedmed.core.strategy.LinearFold;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * The coordinator: runs rounds of a {@link Strategy} over a {@link SitePool} until the round budget is spent
 * or the model converges. It knows nothing of transport: simulation and deployment drive this same class.
 *
 * <p>Each round it asks the strategy for fit tasks, streams every result into the strategy's aggregator as it
 * arrives (closing the fit phase early, and cutting the stragglers, once it has as many results as the strategy
 * {@linkplain Strategy#fitResultsWanted wants}), and completes the round only if at least {@code min_fit_sites}
 * results were accepted; otherwise the global model is left as it was and the round is recorded as failed.
 * Failed, late, cut and rejected sites are recorded and reported to the listener, never thrown.
 *
 * <p>Every answer passes the run's {@link SiteCommitments} before any of its numbers is used (min_rows, and no
 * claimed count above max_count_growth times the site's commitment), and the aggregation and the metric means
 * respect the run's {@linkplain EngineConfig#influence() share bound}. The round deadline covers fit and
 * evaluation together: the evaluation gets what the fit left of it, and at least
 * {@link EngineConfig#evaluationGrace()}; a site whose fit missed the deadline is not asked to evaluate that round.
 *
 * <p>Each round's record carries the time spent aggregating (the aggregator's {@code accept} calls, {@code close()}
 * and {@code result()}, where the strategy's server step runs) and the pool's {@linkplain SitePool#takeTraffic
 * traffic} per site since the round before.
 *
 * <p>With a {@link FoldingSitePool} (a Spark job, or {@link LocalFoldingPool}) and an aggregator that gives a
 * {@linkplain Aggregator#foldRule() fold rule}, a round that waits for every site is folded where the sites train:
 * the pool reports each site's claim, metrics or failure, and hands over one partial instead of the updates; the
 * claims pass the same commitments, and the partial goes to the same aggregator, server step included.
 *
 * <p>{@link #requestStop} ends a run early from another thread: between rounds, or in the middle of one, whose
 * wait for sites is interrupted and whose round is abandoned; {@code run} then throws {@link RunStoppedException}.
 */
public final class RoundEngine {

    private final Strategy strategy;
    private final SitePool pool;
    private final EngineConfig config;
    private final RunListener listener;
    private final SiteCommitments commitments;
    private final RoundHistory history;
    private final StopSwitch stops = new StopSwitch();

    /** An engine whose run result keeps every round's record ({@link RoundHistory#ALL}). */
    public RoundEngine(Strategy strategy, SitePool pool, EngineConfig config, RunListener listener) {
        this(strategy, pool, config, listener, RoundHistory.ALL);
    }

    /** An engine whose run result keeps the records {@code history} says; the listener gets every one. */
    public RoundEngine(Strategy strategy, SitePool pool, EngineConfig config, RunListener listener,
                       RoundHistory history) {
        this.history = java.util.Objects.requireNonNull(history, "history");
        this.strategy = strategy;
        this.pool = pool;
        this.config = config;
        this.listener = listener == null ? new RunListener() { } : listener;
        this.commitments = new SiteCommitments(config.influence(), config.minRows());
    }

    /** Runs from round 1. */
    public RunResult run(ModelParameters initial) {
        return run(initial, 1, List.of());
    }

    /**
     * Runs from {@code firstRound}, continuing a run whose earlier rounds are given (for resuming after a
     * restart; they count towards the convergence check, the run of failed rounds and the sites' commitments). They
     * are iterated once, in order, before the first round, so a caller may hand over rounds read as they are needed;
     * with {@link RoundHistory#LATEST} only the last of them is kept.
     */
    public RunResult run(ModelParameters initial, int firstRound, Iterable<RoundRecord> earlier) {
        try {
            return runRounds(initial, firstRound, earlier);
        } catch (RuntimeException e) {
            throw stops.translate(e);
        }
    }

    /**
     * Asks the run to stop, from any thread; returns at once. A run between rounds stops before the next one. A run
     * in a round's site calls is interrupted there: the tasks still open are abandoned and their sites told to stop,
     * and the round is not handed to the listener. A round whose site calls are already over is finished and handed
     * to the listener first. Either way {@code run} then throws {@link RunStoppedException}; the first reason given
     * is the one reported.
     */
    public void requestStop(String reason) {
        stops.request(reason);
    }

    private RunResult runRounds(ModelParameters initial, int firstRound, Iterable<RoundRecord> earlier) {
        ModelParameters global = initial;
        List<RoundRecord> records = new ArrayList<>();
        ConvergenceWatch convergence = new ConvergenceWatch(config.stopping(), config.lossMetric());
        int roundsRun = 0;
        int failedInARow = 0;
        for (RoundRecord done : earlier) {
            commitments.restore(done);
            convergence.add(done);
            failedInARow = done.completed() ? 0 : failedInARow + 1;
            roundsRun++;
            keep(records, done);
        }
        int maxRounds = config.stopping().maxRounds();
        RunResult.StopReason reason = RunResult.StopReason.ROUND_BUDGET;
        String detail = "ran " + maxRounds + " rounds";
        for (int round = firstRound; round <= maxRounds; round++) {
            var stop = strategy.stopBefore(round);
            if (stop.isPresent()) {
                reason = RunResult.StopReason.STRATEGY;
                detail = stop.get();
                break;
            }
            stops.throwIfRequested(round);
            listener.roundStarted(round, maxRounds);
            long start = System.nanoTime();
            stops.enterSiteCalls(round);
            RoundState state = fitRound(round, global);
            if (state.completed) {
                long aggregating = System.nanoTime();
                global = state.aggregator.result();
                state.aggregationNanos += System.nanoTime() - aggregating;
                for (var capped : state.aggregator.weightCaps()) {
                    listener.weightCapped(round, capped);
                }
                failedInARow = 0;
            } else {
                failedInARow++;
            }
            Map<String, Double> evalMetrics = Map.of();
            Map<String, Map<String, Double>> siteMetrics = Map.of();
            Map<String, Long> evalClaims = Map.of();
            if (round % config.evaluateEvery() == 0 || round == maxRounds) {
                Duration left = config.roundDeadline().minusNanos(System.nanoTime() - start);
                Duration grace = config.evaluationGrace();
                EvalState eval = evaluateRound(round, global, state.missedDeadline, left.compareTo(grace) < 0 ? grace : left);
                evalMetrics = eval.aggregated;
                siteMetrics = eval.perSite;
                evalClaims = eval.claims;
                state.failures.addAll(eval.failures);
            }
            stops.leaveSiteCalls();
            Map<String, SiteTraffic> traffic = pool.takeTraffic();
            RoundRecord record = new RoundRecord(round, state.selected, state.succeeded, state.failures,
                    state.completed, state.fitMetrics(config.influence().maxSiteWeightShare()), evalMetrics,
                    siteMetrics, (System.nanoTime() - start) / 1_000_000, state.claims, evalClaims,
                    state.aggregationNanos, traffic);
            keep(records, record);
            roundsRun++;
            listener.roundFinished(record, global);
            if (failedInARow >= config.maxFailedRounds()) {
                throw new RunAbortedException("run abandoned after " + failedInARow + " rounds in a row with fewer than "
                        + strategy.minFitSites() + " successful site(s); the last round's failures: "
                        + String.join("; ", state.failures.stream().map(SiteFailure::describe).toList()));
            }
            if (convergence.add(record)) {
                reason = RunResult.StopReason.CONVERGED;
                detail = "evaluation " + config.lossMetric() + " did not improve by " + config.stopping().minDelta()
                        + " for " + config.stopping().patience() + " rounds";
                break;
            }
        }
        RunResult result = new RunResult(global, records, roundsRun, reason, detail);
        listener.runFinished(result);
        return result;
    }

    private RoundState fitRound(int round, ModelParameters global) {
        RoundContext context = new RoundContext(round, global, pool.availableSites(), config.seed(), config.influence(),
                pool);
        RoundState state = new RoundState(strategy.newAggregator(context));
        var tasks = strategy.configureFit(context);
        tasks.forEach(t -> state.selected.add(t.siteId()));
        long fitStart = System.nanoTime();
        List<String> timedOut = new ArrayList<>();
        int enough = strategy.fitResultsWanted(context, tasks.size());
        var rule = pool instanceof FoldingSitePool && enough >= tasks.size() && !tasks.isEmpty()
                ? state.aggregator.foldRule() : java.util.Optional.<FoldRule>empty();
        if (rule.isPresent()) {
            fitFolded((FoldingSitePool) pool, new FoldPlan(rule.get(), commitments.admission(SiteCommitments.Kind.FIT,
                    state.selected)), round, tasks, state, timedOut);
        } else pool.fit(tasks, config.roundDeadline(), enough, new OutcomeSink<>() {
            @Override
            public void success(FitResult result) {
                state.claims.put(result.siteId(), result.numExamples());
                var refused = commitments.check(SiteCommitments.Kind.FIT, result.siteId(), round, result.numExamples());
                if (refused.isPresent()) {
                    failure(new SiteFailure(round, result.siteId(), SiteFailure.Kind.REJECTED, refused.get()));
                    return;
                }
                long aggregating = System.nanoTime();
                try {
                    state.aggregator.accept(result);
                    state.aggregationNanos += System.nanoTime() - aggregating;
                    state.succeeded.add(result.siteId());
                    state.fitParts.put(result.siteId(),
                            new MetricAggregation.Weighted(result.numExamples(), result.trainMetrics()));
                } catch (UpdateRejectedException e) {
                    state.aggregationNanos += System.nanoTime() - aggregating;
                    failure(new SiteFailure(round, e.siteId(), SiteFailure.Kind.REJECTED, e.getMessage()));
                }
            }

            @Override
            public void failure(SiteFailure failure) {
                fitFailed(state, timedOut, failure);
            }
        });
        // An update the aggregator held unread and found bad when it folded it is refused now, after its success.
        long closing = System.nanoTime();
        List<UpdateRejectedException> late = rule.isPresent() ? List.of() : state.aggregator.close();
        state.aggregationNanos += System.nanoTime() - closing;
        for (UpdateRejectedException e : late) {
            state.succeeded.remove(e.siteId());
            state.fitParts.remove(e.siteId());
            SiteFailure f = new SiteFailure(round, e.siteId(), SiteFailure.Kind.REJECTED, e.getMessage());
            state.failures.add(f);
            listener.siteFailed(f);
        }
        // Sites cut because the round had enough results are stragglers, not sites that missed the deadline.
        if (System.nanoTime() - fitStart >= config.roundDeadline().toNanos()) {
            state.missedDeadline.addAll(timedOut);
        }
        state.completed = state.succeeded.size() >= strategy.minFitSites();
        return state;
    }

    private void fitFailed(RoundState state, List<String> timedOut, SiteFailure failure) {
        state.failures.add(failure);
        if (failure.kind() == SiteFailure.Kind.TIMEOUT) {
            timedOut.add(failure.siteId());
        }
        listener.siteFailed(failure);
    }

    /**
     * A round whose updates the pool folds where its sites train: each site's claim passes the commitments here as
     * for any result (the pool checked the same snapshot before folding, so the verdicts agree), and the pool's one
     * partial goes to the aggregator in place of the updates.
     */
    private void fitFolded(FoldingSitePool folding, FoldPlan plan, int round, List<FitTask> tasks, RoundState state,
                           List<String> timedOut) {
        LinearFold partial = folding.fitFolded(tasks, config.roundDeadline(), plan, new OutcomeSink<>() {
            @Override
            public void success(FoldedFit fit) {
                state.claims.put(fit.siteId(), fit.numExamples());
                var refused = commitments.check(SiteCommitments.Kind.FIT, fit.siteId(), round, fit.numExamples());
                if (!fit.folded()) {
                    failure(new SiteFailure(round, fit.siteId(), SiteFailure.Kind.REJECTED, fit.refusal()));
                    return;
                }
                if (refused.isPresent()) {
                    throw new IllegalStateException("the pool folded the update of a site its commitments refuse: "
                            + refused.get());
                }
                state.succeeded.add(fit.siteId());
                state.fitParts.put(fit.siteId(), new MetricAggregation.Weighted(fit.numExamples(), fit.trainMetrics()));
            }

            @Override
            public void failure(SiteFailure failure) {
                fitFailed(state, timedOut, failure);
            }
        });
        if (partial.count() != state.succeeded.size()) {
            throw new IllegalStateException("the pool's fold holds " + partial.count() + " update(s) but it reported "
                    + state.succeeded.size() + " site(s) folded");
        }
        if (partial.count() > 0) {
            long aggregating = System.nanoTime();
            state.aggregator.acceptFolded(partial);
            state.aggregationNanos += System.nanoTime() - aggregating;
        }
    }

    private EvalState evaluateRound(int round, ModelParameters global, java.util.Set<String> missedDeadline,
                                    Duration deadline) {
        List<String> available = org.fedmed.core.strategy.SortedSiteIds.except(pool.evaluationSites(), missedDeadline);
        RoundContext context = new RoundContext(round, global, available, config.seed(), config.influence());
        EvalState state = new EvalState();
        List<EvalResult> results = new ArrayList<>();
        pool.evaluate(strategy.configureEvaluate(context), deadline, new OutcomeSink<>() {
            @Override
            public void success(EvalResult result) {
                state.claims.put(result.siteId(), result.numExamples());
                var refused = commitments.check(SiteCommitments.Kind.EVALUATE, result.siteId(), round,
                        result.numExamples());
                if (refused.isPresent()) {
                    failure(new SiteFailure(round, result.siteId(), SiteFailure.Kind.REJECTED, refused.get()));
                    return;
                }
                results.add(result);
                state.perSite.put(result.siteId(), result.metrics());
            }

            @Override
            public void failure(SiteFailure failure) {
                state.failures.add(failure);
                listener.siteFailed(failure);
            }
        });
        state.aggregated = results.isEmpty() ? Map.of() : strategy.aggregateEvaluate(context, results);
        return state;
    }

    /** Adds {@code record} to the records the run result keeps, as {@link #history} says. */
    private void keep(List<RoundRecord> records, RoundRecord record) {
        if (history == RoundHistory.LATEST) {
            records.clear();
        }
        records.add(record);
    }

    private static final class RoundState {
        final Aggregator aggregator;
        final List<String> selected = new ArrayList<>();
        final List<String> succeeded = new ArrayList<>();
        final List<SiteFailure> failures = new ArrayList<>();
        final Map<String, MetricAggregation.Weighted> fitParts = new LinkedHashMap<>();
        final Map<String, Long> claims = new LinkedHashMap<>();
        final java.util.Set<String> missedDeadline = new java.util.HashSet<>();
        boolean completed;
        /** Time in the aggregator: accept calls, close() and result(); the sink's calls are never concurrent. */
        long aggregationNanos;

        RoundState(Aggregator aggregator) {
            this.aggregator = aggregator;
        }

        Map<String, Double> fitMetrics(double maxShare) {
            return fitParts.isEmpty() ? Map.of()
                    : MetricAggregation.bounded(new ArrayList<>(fitParts.values()), maxShare);
        }
    }

    private static final class EvalState {
        final Map<String, Map<String, Double>> perSite = new LinkedHashMap<>();
        final Map<String, Long> claims = new LinkedHashMap<>();
        final List<SiteFailure> failures = new ArrayList<>();
        Map<String, Double> aggregated = Map.of();
    }
}
