package org.fedmed.core.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.Seeds;
import org.fedmed.core.filter.FilteredAggregator;
import org.fedmed.core.metrics.MetricAggregation;
import org.fedmed.core.strategy.robust.AggregationRule;
import org.fedmed.core.strategy.robust.NormBoundingFilter;

/**
 * The FedAvg family: sample sites, train locally, take a weighted mean of what comes back, step the global
 * model towards it. The weighting picks the member: by sample count (FedAvg), uniform, or by sample count
 * times data quality. Every available site evaluates the global model; metrics are example-weighted.
 *
 * <p>With an over-selection factor o &gt; 0 it samples {@code ceil(k * (1 + o))} sites (at most all available),
 * where k is what the {@link SiteSelection} alone would sample, and the round closes once k of them delivered;
 * the rest are cut as stragglers. The over-selected cohort always contains the k sites drawn without it.
 *
 * <p>The server step is the strategy's {@link ServerOptimizer} ({@link ServerOptimizerSettings}): plain FedAvg at
 * server learning rate 1, or FedAvgM, FedAdam, FedYogi or FedAdagrad, whose moments are the strategy's
 * {@linkplain #state() state} and resume with a checkpoint.
 *
 * <p>The round's updates are combined by its {@link AggregationRule}: the weighted mean, or a robust rule (median,
 * trimmed mean, Krum, Multi-Krum), each optionally behind a norm bound.
 *
 * <p>Within a round's {@link InfluenceLimits} no site holds more than the largest share of the aggregation weight
 * or of the metric means, and the round's evaluation also reports each metric's median over sites.
 *
 * <p>{@link #withRegions} makes the weighted mean two-tier ({@link RegionalAggregator}): each region averages its
 * sites first and the server combines the regional means by their total weight, which equals the flat mean up to
 * float rounding.
 */
public final class FederatedAveraging implements Strategy {

    private final String name;
    private final SiteWeighting weighting;
    private final SiteSelection selection;
    private final FitConfig fitConfig;
    private final ServerOptimizer optimizer;
    private final double overSelection;
    private final AggregationRule rule;
    private final NormBoundingFilter normBound;
    /** The region of a site id, for two-tier aggregation; null aggregates flat. */
    private final Function<String, String> regions;

    /** Without over-selection: every sampled site is waited for. */
    public FederatedAveraging(SiteWeighting weighting, SiteSelection selection, FitConfig fitConfig,
                              double serverLearningRate) {
        this(weighting, selection, fitConfig, serverLearningRate, 0.0);
    }

    /** @param overSelection the factor o of extra sites sampled to absorb stragglers; 0 samples exactly k */
    public FederatedAveraging(SiteWeighting weighting, SiteSelection selection, FitConfig fitConfig,
                              double serverLearningRate, double overSelection) {
        this(weighting.strategyName(), weighting, selection, fitConfig,
                ServerOptimizerSettings.sgd(checkedServerLearningRate(serverLearningRate)), overSelection);
    }

    /**
     * A member of the family with its own server step (FedAvgM, FedAdam, FedYogi, FedAdagrad are FedAvg's weighting
     * with {@link ServerOptimizerSettings} of their kind), under the name sites and reports know it by.
     *
     * @param name the strategy's name in configs, on the wire (for a site's allow-list) and in reports
     */
    public FederatedAveraging(String name, SiteWeighting weighting, SiteSelection selection, FitConfig fitConfig,
                              ServerOptimizerSettings serverOptimizer, double overSelection) {
        this(name, weighting, selection, fitConfig, serverOptimizer, overSelection, new AggregationRule.Mean(), 0);
    }

    /**
     * As above, combining each round's updates by {@code rule} (the weighted mean, or a robust rule whose result the
     * server optimizer then steps towards), each update first scaled to L2 norm at most {@code normBound} around the
     * global model when it is above 0 ({@link NormBoundingFilter}).
     *
     * @param normBound the largest L2 norm of an update's delta; 0 bounds nothing
     */
    public FederatedAveraging(String name, SiteWeighting weighting, SiteSelection selection, FitConfig fitConfig,
                              ServerOptimizerSettings serverOptimizer, double overSelection, AggregationRule rule,
                              double normBound) {
        if (rule == null) {
            throw new IllegalArgumentException("an aggregation rule is required (Mean for the weighted mean)");
        }
        if (!(normBound >= 0)) {
            throw new IllegalArgumentException("aggregation.norm_bound must be >= 0 (0: none), got " + normBound);
        }
        this.rule = rule;
        this.normBound = normBound > 0 ? new NormBoundingFilter(normBound) : null;
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a strategy needs a name");
        }
        if (!(overSelection >= 0) || !Double.isFinite(overSelection)) {
            throw new IllegalArgumentException("over_selection must be a finite number >= 0, got " + overSelection);
        }
        this.name = name;
        this.weighting = weighting;
        this.selection = selection;
        this.fitConfig = fitConfig;
        this.optimizer = serverOptimizer.newOptimizer();
        this.overSelection = overSelection;
        this.regions = null;
    }

    private FederatedAveraging(FederatedAveraging flat, Function<String, String> regions) {
        this.name = flat.name;
        this.weighting = flat.weighting;
        this.selection = flat.selection;
        this.fitConfig = flat.fitConfig;
        this.optimizer = flat.optimizer;
        this.overSelection = flat.overSelection;
        this.rule = flat.rule;
        this.normBound = flat.normBound;
        this.regions = regions;
    }

    /**
     * This strategy aggregating in two tiers, sites first within their region ({@code regionOf} gives a site id's
     * region), then the regions' means at the server. It shares this strategy's server optimizer (and so its state):
     * use it in place of this one. Only the weighted mean has regional tiers; a round with a largest site share below
     * 1 is refused when it starts, since a share bound over the round cannot be applied region by region.
     *
     * @throws IllegalArgumentException when the aggregation rule is a robust one
     */
    public FederatedAveraging withRegions(Function<String, String> regionOf) {
        if (!(rule instanceof AggregationRule.Mean)) {
            throw new IllegalArgumentException("hierarchical aggregation combines regional weighted means; the"
                    + " aggregation rule " + rule + " is not the weighted mean");
        }
        return new FederatedAveraging(this, Objects.requireNonNull(regionOf, "regionOf"));
    }

    private static double checkedServerLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("server_lr must be a positive finite number, got " + lr);
        }
        return lr;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<FitTask> configureFit(RoundContext c) {
        List<FitTask> tasks = new ArrayList<>();
        for (String site : cohort(c)) {
            long siteSeed = Seeds.ofSiteRound(c.seed(), Seeds.Stream.SITE_FIT, site, c.round());
            tasks.add(new FitTask(c.round(), site, c.global(), fitConfig.withSeed(siteSeed)));
        }
        return tasks;
    }

    private List<String> cohort(RoundContext c) {
        int available = c.availableSites().size();
        int wanted = selection.sampleSize(available);
        int drawn = overSelection == 0 ? wanted : Math.min(available, overSampled(wanted));
        if (drawn <= wanted) {
            return selection.sample(c.availableSites(), c.seed(), c.round());
        }
        return SiteSelection.count(drawn, selection.minSites()).sample(c.availableSites(), c.seed(), c.round());
    }

    /** Sites drawn when k are wanted, before capping at those available (the slack keeps 10 * 1.1 at 11). */
    private int overSampled(int k) {
        return (int) Math.ceil(k * (1 + overSelection) - 1e-9);
    }

    /** The k that {@link #configureFit} over-sampled for in this context: what the selection alone would draw. */
    @Override
    public int fitResultsWanted(RoundContext c, int selected) {
        if (overSelection == 0) {
            return selected;
        }
        return Math.min(selected, selection.sampleSize(c.availableSites().size()));
    }

    @Override
    public Aggregator newAggregator(RoundContext c) {
        if (regions != null) {
            if (c.influence().maxSiteWeightShare() < 1) {
                throw new IllegalStateException("round " + c.round() + ": hierarchical aggregation cannot bound a site's"
                        + " share of the round (max_site_weight_share " + c.influence().maxSiteWeightShare()
                        + "); set it to 1 or aggregate flat");
            }
            UpdateIntake intake = UpdateIntake.of(c);
            Aggregator regional = new RegionalAggregator(regions,
                    () -> new WeightedMeanAggregator(intake, weighting::weight, 1.0, 1.0), weighting::weight, c.global());
            if (normBound != null) {
                regional = new FilteredAggregator(regional, c.global(), c.round(), List.of(normBound), List.of());
            }
            return new SteppedAggregator(regional, optimizer, c.global());
        }
        Aggregator centre = rule instanceof AggregationRule.Mean
                ? new WeightedMeanAggregator(UpdateIntake.of(c), weighting::weight, 1.0,
                        c.influence().maxSiteWeightShare())
                : rule.newAggregator(UpdateIntake.of(c));
        if (normBound != null) {
            centre = new FilteredAggregator(centre, c.global(), c.round(), List.of(normBound), List.of());
        }
        return new SteppedAggregator(centre, optimizer, c.global());
    }

    @Override
    public List<EvalTask> configureEvaluate(RoundContext c) {
        return c.availableSites().stream().sorted().map(s -> new EvalTask(c.round(), s, c.global())).toList();
    }

    @Override
    public Map<String, Double> aggregateEvaluate(int round, List<EvalResult> results) {
        return MetricAggregation.weightedMean(parts(results));
    }

    /** The example-weighted mean with each site's share capped, and the median, of every metric. */
    @Override
    public Map<String, Double> aggregateEvaluate(RoundContext c, List<EvalResult> results) {
        return MetricAggregation.bounded(parts(results), c.influence().maxSiteWeightShare());
    }

    private static List<MetricAggregation.Weighted> parts(List<EvalResult> results) {
        return results.stream().map(r -> new MetricAggregation.Weighted(r.numExamples(), r.metrics())).toList();
    }

    @Override
    public int minFitSites() {
        return selection.minSites();
    }

    /** The server optimizer's moments and step count. */
    @Override
    public StrategyState state() {
        return optimizer.state();
    }

    @Override
    public void restore(StrategyState state) {
        optimizer.restore(state);
    }
}
