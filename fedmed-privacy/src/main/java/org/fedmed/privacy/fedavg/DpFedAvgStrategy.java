package org.fedmed.privacy.fedavg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitTask;
import org.fedmed.core.Seeds;
import org.fedmed.core.filter.FilteredAggregator;
import org.fedmed.core.filter.ModelFilter;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.ServerOptimizer;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.PrivacyBudgetExhaustedException;
import org.fedmed.privacy.accounting.PrivacySpent;
import org.fedmed.privacy.accounting.RdpAccountant;

/**
 * DP-FedAvg with site-level differential privacy, built from filters around an unweighted aggregator: sample sites
 * (Poisson or fixed size), clip each delta to C ({@link ClippingFilter}), sum and divide by the expected number of
 * sites ({@link FixedDenominatorAggregator}), add Gaussian noise of standard deviation z C / expected
 * ({@link CentralGaussianNoise}), step with the server optimizer ({@link ServerOptimizer}: FedAvg's server learning
 * rate, or FedAvgM, FedAdam, FedYogi, FedAdagrad; post-processing, so it costs no privacy), and, with adaptive
 * clipping, move C towards the target quantile ({@link AdaptiveClipping}). Evaluation is that of
 * {@link FederatedAveraging}.
 *
 * <p>An {@link RdpAccountant} charges each round as one sampled Gaussian step at the round's q and z when the round
 * is configured, whether or not sites deliver. The plan is checked against the budget when the strategy is built
 * ({@link #checkBudget}); before each round {@link #stopBefore} stops the run if the round would not fit (see
 * {@link #canRunAnotherRound()}), and {@link #configureFit} refuses such a round anyway, so the target epsilon is
 * never exceeded. Noise is drawn from the given {@link NoiseSource}: seeded for reproducible simulations, secure
 * in deployment.
 *
 * <p>Its {@linkplain #state() state} is everything a resumed run needs to go on exactly as an uninterrupted one: the
 * rounds charged (replayed into a fresh accountant one step at a time, as they were charged), the clip norm and
 * the server optimizer's moments. Noise comes from streams keyed by the round, so it needs no state.
 *
 * <p>The guarantee covers the models released after each round. It does not cover the evaluation metrics, which
 * come from the sites' held-out data.
 */
public final class DpFedAvgStrategy implements Strategy {

    private final DpFedAvgConfig config;
    private final NoiseSource noise;
    private final RdpAccountant accountant = new RdpAccountant();
    private final AdaptiveClipping adaptive;
    private final double deltaNoiseMultiplier;
    private final FederatedAveraging evaluation;
    private final NoisePlacement placement;
    private final List<RoundPrivacy> history = new ArrayList<>();
    private final ServerOptimizer optimizer;
    private double roundClipNorm;
    private double nextSamplingRate;

    /**
     * @throws IllegalArgumentException if the planned rounds would spend more than the target epsilon
     */
    public DpFedAvgStrategy(DpFedAvgConfig config, NoiseSource noise) {
        this(config, noise, NoisePlacement.CENTRAL);
    }

    /**
     * As above, choosing where the noise goes. With {@link NoisePlacement#LOCAL} or
     * {@link NoisePlacement#DISTRIBUTED} the caller must put
     * {@link #siteFilters(long)} on every site: the server then clips (a no-op for honest sites) and averages.
     */
    public DpFedAvgStrategy(DpFedAvgConfig config, NoiseSource noise, NoisePlacement placement) {
        if (placement != NoisePlacement.CENTRAL && config.clipping() instanceof ClippingPolicy.Adaptive) {
            throw new IllegalArgumentException("adaptive clipping needs the server to see which updates were clipped; "
                    + "use fixed clipping with local noise");
        }
        this.placement = placement;
        this.config = config;
        this.noise = noise;
        checkBudget(config.targetEpsilon(), config.delta(), config.plannedSamplingRate(), config.noiseMultiplier(),
                config.plannedRounds());
        if (config.clipping() instanceof ClippingPolicy.Adaptive a) {
            this.adaptive = new AdaptiveClipping(a, noise);
            this.deltaNoiseMultiplier = AdaptiveClipping.deltaNoiseMultiplier(config.noiseMultiplier(),
                    a.countNoiseStddev());
        } else {
            this.adaptive = null;
            this.deltaNoiseMultiplier = config.noiseMultiplier();
        }
        this.roundClipNorm = config.clipping().initialClipNorm();
        this.nextSamplingRate = config.plannedSamplingRate();
        this.optimizer = config.serverOptimizer().newOptimizer();
        this.evaluation = new FederatedAveraging(SiteWeighting.UNIFORM, SiteSelection.all(1), config.fitConfig(), 1.0);
    }

    /**
     * Checks a plan against a budget before anything runs.
     *
     * @return the privacy the plan would spend
     * @throws IllegalArgumentException if {@code rounds} rounds at (q, z) exceed targetEpsilon at delta; the message
     *                                  says how many rounds fit, and which noise multiplier would fit them all
     */
    public static PrivacySpent checkBudget(double targetEpsilon, double delta, double q, double z, int rounds) {
        PrivacySpent planned = new RdpAccountant().step(q, z, rounds).epsilon(delta);
        if (planned.epsilon() > targetEpsilon) {
            long fit = RdpAccountant.maxSteps(targetEpsilon, delta, q, z);
            String noiseHint;
            try {
                noiseHint = String.format(Locale.ROOT, "raise noise_multiplier to at least %.4f",
                        RdpAccountant.noiseForTarget(targetEpsilon, delta, q, rounds));
            } catch (IllegalArgumentException e) {
                noiseHint = "no noise multiplier reaches it (" + e.getMessage() + ")";
            }
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "privacy budget exceeded by the plan: %d rounds at sampling rate q = %.4g and noise_multiplier %.4g "
                            + "spend epsilon = %.4g at delta = %.3g, over target_epsilon %.4g; at most %d round(s) fit, "
                            + "or %s", rounds, q, z, planned.epsilon(), delta, targetEpsilon, fit, noiseHint));
        }
        return planned;
    }

    @Override
    public String name() {
        return switch (placement) {
            case CENTRAL -> "dp-fedavg";
            case LOCAL -> "dp-fedavg-local";
            case DISTRIBUTED -> "dp-fedavg-distributed";
        };
    }

    /** Where this run adds its noise. */
    public NoisePlacement placement() {
        return placement;
    }

    /**
     * The filters a site applies to its own update under local or distributed noise: clip to C, then add
     * N(0, (z C)^2) (local) or N(0, (z C)^2 / m) for m expected sites (distributed) per
     * coordinate from a noise source the site seeds itself.
     */
    public List<org.fedmed.core.filter.UpdateFilter> siteFilters(long siteNoiseSeed) {
        double clip = config.clipping().initialClipNorm();
        double z = placement == NoisePlacement.DISTRIBUTED
                ? config.noiseMultiplier() / Math.sqrt(config.sampler().expectedSites(config.population()))
                : config.noiseMultiplier();
        return List.of(new ClippingFilter(clip), new LocalGaussianNoise(z, clip, NoiseSource.seeded(siteNoiseSeed)));
    }

    @Override
    public synchronized Aggregator newAggregator(RoundContext c) {
        int available = requireSites(c);
        double expected = config.sampler().expectedSites(available);
        if (adaptive != null) {
            roundClipNorm = adaptive.clipNorm();
        }
        double clip = roundClipNorm;
        ClippingFilter clipping = new ClippingFilter(clip);
        List<ModelFilter> outbound = new ArrayList<>();
        if (placement == NoisePlacement.CENTRAL) {
            outbound.add(new CentralGaussianNoise(deltaNoiseMultiplier, clip, expected, noise));
        }
        outbound.add((previous, aggregated, round, accepted) -> optimizer.step(previous, aggregated));
        if (adaptive != null) {
            outbound.add((previous, aggregated, round, accepted) -> {
                int seen = clipping.updatesSeen();
                adaptive.update(round, seen - clipping.updatesClipped(), seen, expected);
                return aggregated;
            });
        }
        return new FilteredAggregator(new FixedDenominatorAggregator(c.global(), expected, c.round()), c.global(),
                c.round(), List.of(clipping), outbound);
    }

    /**
     * Samples this round's sites and charges the round to the accountant.
     *
     * @throws PrivacyBudgetExhaustedException if the round would take the run past the target epsilon
     */
    @Override
    public synchronized List<FitTask> configureFit(RoundContext c) {
        int available = requireSites(c);
        double q = config.sampler().samplingRate(available);
        PrivacySpent after = accountant.epsilonAfter(q, config.noiseMultiplier(), 1, config.delta());
        if (after.epsilon() > config.targetEpsilon()) {
            throw new PrivacyBudgetExhaustedException(String.format(Locale.ROOT,
                    "round %d refused: it would spend epsilon %.4g at delta %.3g, over target_epsilon %.4g (%s)",
                    c.round(), after.epsilon(), config.delta(), config.targetEpsilon(), budgetStatus()));
        }
        List<String> sites = config.sampler().sample(c.availableSites(), c.seed(), c.round());
        accountant.step(q, config.noiseMultiplier(), 1);
        nextSamplingRate = q;
        history.add(new RoundPrivacy(c.round(), sites.size(), q, config.noiseMultiplier(), roundClipNorm,
                after.epsilon(), config.delta()));
        List<FitTask> tasks = new ArrayList<>();
        for (String site : sites) {
            long siteSeed = Seeds.ofSiteRound(c.seed(), Seeds.Stream.SITE_FIT, site, c.round());
            tasks.add(new FitTask(c.round(), site, c.global(), config.fitConfig().withSeed(siteSeed)));
        }
        return tasks;
    }

    private static int requireSites(RoundContext c) {
        if (c.availableSites().isEmpty()) {
            throw new IllegalStateException("round " + c.round() + ": no site is available to sample from");
        }
        return c.availableSites().size();
    }

    @Override
    public List<EvalTask> configureEvaluate(RoundContext context) {
        return evaluation.configureEvaluate(context);
    }

    @Override
    public Map<String, Double> aggregateEvaluate(int round, List<EvalResult> results) {
        return evaluation.aggregateEvaluate(round, results);
    }

    @Override
    public Map<String, Double> aggregateEvaluate(org.fedmed.core.strategy.RoundContext context, List<EvalResult> results) {
        return evaluation.aggregateEvaluate(context, results);
    }

    @Override
    public int minFitSites() {
        return config.minFitSites();
    }

    /** The epsilon spent so far at the configured delta (0 before the first round). */
    public synchronized double epsilonSpent() {
        return accountant.epsilon(config.delta()).epsilon();
    }

    /** The privacy spent so far, with the Renyi order that gives it. */
    public synchronized PrivacySpent privacySpent() {
        return accountant.epsilon(config.delta());
    }

    /** One entry per round charged so far, in order. */
    public synchronized List<RoundPrivacy> history() {
        return List.copyOf(history);
    }

    /** The clip norm the next round will use (changes each round with adaptive clipping). */
    public synchronized double currentClipNorm() {
        return adaptive == null ? roundClipNorm : adaptive.clipNorm();
    }

    /** The noise multiplier applied to the deltas: z, or less with adaptive clipping, which spends part of z. */
    public double deltaNoiseMultiplier() {
        return deltaNoiseMultiplier;
    }

    /** A copy of the accountant, for reports. */
    public synchronized RdpAccountant accountant() {
        return accountant.copy();
    }

    /** Whether one more round would keep the epsilon spent within the target. */
    public synchronized boolean canRunAnotherRound() {
        return accountant.epsilonAfter(nextSamplingRate, config.noiseMultiplier(), 1, config.delta()).epsilon()
                <= config.targetEpsilon();
    }

    /** Stops the run before a round that would take it past the target epsilon, saying what was spent. */
    @Override
    public synchronized Optional<String> stopBefore(int round) {
        if (canRunAnotherRound()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "privacy budget: round %d would exceed target_epsilon; %s", round,
                budgetStatus()));
    }

    /** One line on the epsilon spent, the target and the rounds so far, for logs and stop reasons. */
    public synchronized String budgetStatus() {
        return String.format(Locale.ROOT, "spent epsilon %.4g of target %.4g at delta %.3g after %d round(s)",
                epsilonSpent(), config.targetEpsilon(), config.delta(), history.size());
    }

    private static final String ROUNDS = "dp.rounds";
    private static final String ROUND = "dp.round_";
    private static final String CLIP = "dp.clip_norm";
    private static final String LAST_FRACTION = "dp.last_unclipped_fraction";
    private static final String NEXT_Q = "dp.next_sampling_rate";

    /**
     * The rounds charged so far (each as round, sites, q, z, clip norm, epsilon and delta), the clip norm, the
     * sampling rate the next round is checked at, and the server optimizer's moments.
     */
    @Override
    public synchronized StrategyState state() {
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put(ROUNDS, Integer.toString(history.size()));
        for (int i = 0; i < history.size(); i++) {
            RoundPrivacy r = history.get(i);
            values.put(ROUND + i, r.round() + " " + r.sitesSampled() + " " + r.samplingRate() + " "
                    + r.noiseMultiplier() + " " + r.clipNorm() + " " + r.epsilon() + " " + r.delta());
        }
        values.put(CLIP, Double.toString(currentClipNorm()));
        values.put(LAST_FRACTION, Double.toString(adaptive == null ? Double.NaN : adaptive.lastUnclippedFraction()));
        values.put(NEXT_Q, Double.toString(nextSamplingRate));
        return new StrategyState(java.util.Map.of(), values).merge(optimizer.state());
    }

    /**
     * Continues from a {@link #state()} of a run with the same config: the accountant is charged again with every
     * recorded round, so the epsilon reported and enforced after a resume is the whole run's.
     *
     * @throws IllegalArgumentException if this strategy already charged a round, or the state is not a DP-FedAvg one
     */
    @Override
    public synchronized void restore(StrategyState state) {
        if (!history.isEmpty()) {
            throw new IllegalStateException("DP-FedAvg state can only be restored before the first round");
        }
        var values = state.values();
        String count = values.get(ROUNDS);
        if (count == null) {
            throw new IllegalArgumentException("the checkpoint's strategy state holds no '" + ROUNDS + "': it was not"
                    + " written by a DP-FedAvg run, so the privacy spent before the restart is unknown");
        }
        int n = Integer.parseInt(count);
        for (int i = 0; i < n; i++) {
            String line = values.get(ROUND + i);
            if (line == null) {
                throw new IllegalArgumentException("the checkpoint's strategy state lacks '" + ROUND + i + "'");
            }
            String[] f = line.split(" ");
            RoundPrivacy r = new RoundPrivacy(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                    Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]));
            accountant.step(r.samplingRate(), r.noiseMultiplier(), 1);
            history.add(r);
        }
        double clip = Double.parseDouble(values.get(CLIP));
        if (adaptive != null) {
            adaptive.restore(clip, Double.parseDouble(values.get(LAST_FRACTION)));
        }
        roundClipNorm = clip;
        nextSamplingRate = Double.parseDouble(values.get(NEXT_Q));
        optimizer.restore(state.part("server_optimizer."));
    }
}
