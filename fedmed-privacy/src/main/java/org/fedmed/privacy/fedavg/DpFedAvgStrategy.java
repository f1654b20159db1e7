package org.fedmed.privacy.fedavg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
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
import org.fedmed.privacy.accounting.SampledGaussianSteps;

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
    private RdpAccountant accountant = new RdpAccountant();
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
     * coordinate from a noise source the site seeds itself ({@link SiteUpdateNoise}).
     */
    public List<org.fedmed.core.filter.UpdateFilter> siteFilters(long siteNoiseSeed) {
        return SiteUpdateNoise.filters(siteNoise(), NoiseSource.seeded(siteNoiseSeed));
    }

    /**
     * What this run asks each site to do to its update under local or distributed noise, as a fit's local term
     * (deployed sites get it with every fit task, see {@link SiteUpdateNoise#of}).
     *
     * @throws IllegalStateException with central noise, which the server adds
     */
    public LocalTerm.UpdateNoise siteNoise() {
        if (placement == NoisePlacement.CENTRAL) {
            throw new IllegalStateException("DP-FedAvg with central noise asks no site to add noise");
        }
        return SiteUpdateNoise.of(config, placement);
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
        if (Double.isInfinite(config.targetEpsilon())) {
            return String.format(Locale.ROOT, "spent epsilon %.4g at delta %.3g after %d round(s), no target_epsilon",
                    epsilonSpent(), config.delta(), history.size());
        }
        return String.format(Locale.ROOT, "spent epsilon %.4g of target %.4g at delta %.3g after %d round(s)",
                epsilonSpent(), config.targetEpsilon(), config.delta(), history.size());
    }

    /** The epsilon the run may not pass ({@code target_epsilon}); infinite when none was set. */
    public double targetEpsilon() {
        return config.targetEpsilon();
    }

    private static final String ROUNDS = "dp.rounds";
    private static final String ROUND = "dp.round_";
    private static final String CLIP = "dp.clip_norm";
    private static final String LAST_FRACTION = "dp.last_unclipped_fraction";
    private static final String NEXT_Q = "dp.next_sampling_rate";
    private static final String ORDERS = "dp.accountant.orders";
    private static final String RDP = "dp.accountant.rdp";
    private static final String STEPS = "dp.accountant.steps";
    private static final String COMPOSED = "dp.accountant.composed";
    private static final String PLAN = "dp.plan.";

    /**
     * The rounds charged so far (each as round, sites, q, z, clip norm, epsilon and delta), the accountant itself
     * (its Renyi orders, the RDP accumulated at each, the steps composed and the mechanisms they were, consecutive
     * equal ones merged as {@code q z steps}, separated by commas), the clip norm, the sampling rate the next round is
     * checked at, the plan's DP settings the account was spent under ({@code dp.plan.*}: the noise placement and
     * multiplier, the initial clip norm and whether it adapts, delta, the target epsilon, the sampling and its
     * planned rate, the population), and the server optimizer's moments. Numbers are written with
     * {@link Double#toString}, so they read back to the same values.
     */
    @Override
    public synchronized StrategyState state() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(ROUNDS, Integer.toString(history.size()));
        for (int i = 0; i < history.size(); i++) {
            RoundPrivacy r = history.get(i);
            values.put(ROUND + i, r.round() + " " + r.sitesSampled() + " " + r.samplingRate() + " "
                    + r.noiseMultiplier() + " " + r.clipNorm() + " " + r.epsilon() + " " + r.delta());
        }
        values.put(CLIP, Double.toString(currentClipNorm()));
        values.put(LAST_FRACTION, Double.toString(adaptive == null ? Double.NaN : adaptive.lastUnclippedFraction()));
        values.put(NEXT_Q, Double.toString(nextSamplingRate));
        values.put(ORDERS, numbers(accountant.orders()));
        values.put(RDP, numbers(accountant.rdp()));
        values.put(STEPS, Long.toString(accountant.steps()));
        values.put(COMPOSED, String.join(", ", accountant.history().stream()
                .map(h -> h.samplingRate() + " " + h.noiseMultiplier() + " " + h.steps()).toList()));
        plan().forEach((k, v) -> values.put(PLAN + k, v));
        return new StrategyState(Map.of(), values).merge(optimizer.state());
    }

    /** The DP settings of this run's plan that its account depends on, by key, as {@link #state()} writes them. */
    private Map<String, String> plan() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("noise", placement.name().toLowerCase(Locale.ROOT));
        p.put("noise_multiplier", Double.toString(config.noiseMultiplier()));
        p.put("clip_norm", Double.toString(config.clipping().initialClipNorm()));
        p.put("adaptive_clipping", Boolean.toString(adaptive != null));
        p.put("delta", Double.toString(config.delta()));
        p.put("target_epsilon", Double.toString(config.targetEpsilon()));
        p.put("sampling", switch (config.sampler()) {
            case PoissonSiteSampler ps -> "poisson";
            case FixedSizeSiteSampler fs -> "fixed";
        });
        p.put("sampling_rate", Double.toString(config.plannedSamplingRate()));
        p.put("population", Integer.toString(config.population()));
        return p;
    }

    /**
     * Continues from a {@link #state()} of a run with the same DP settings: the accountant goes on from the recorded
     * account (checked against the recorded rounds, charged again one by one as they were charged), so the epsilon
     * reported and enforced after a resume is the whole run's, and a resumed run stops before a round that would take
     * it past the target epsilon as the uninterrupted run would. A state written before the accountant was recorded
     * (no {@code dp.accountant.*}) is continued from its rounds alone.
     *
     * @throws IllegalStateException    if this strategy already charged a round
     * @throws IllegalArgumentException if the state is not a DP-FedAvg one, was spent under other DP settings (naming
     *                                  each setting that differs, the checkpoint's value and this plan's), or its
     *                                  account disagrees with its rounds
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
        requireSamePlan(values);
        double[] orders = values.containsKey(ORDERS) ? parseNumbers(values.get(ORDERS), ORDERS)
                : RdpAccountant.defaultOrders();
        RdpAccountant replayed = new RdpAccountant(orders);
        List<RoundPrivacy> rounds = new ArrayList<>();
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
            replayed.step(r.samplingRate(), r.noiseMultiplier(), 1);
            rounds.add(r);
        }
        RdpAccountant restored = values.containsKey(RDP) ? recordedAccount(values, orders, replayed) : replayed;
        double clip = Double.parseDouble(values.get(CLIP));
        if (adaptive != null) {
            adaptive.restore(clip, Double.parseDouble(values.get(LAST_FRACTION)));
        }
        accountant = restored;
        history.addAll(rounds);
        roundClipNorm = clip;
        nextSamplingRate = Double.parseDouble(values.get(NEXT_Q));
        optimizer.restore(state.part("server_optimizer."));
    }

    /** Refuses a state whose recorded DP settings ({@code dp.plan.*}) differ from this run's, naming each. */
    private void requireSamePlan(Map<String, String> values) {
        List<String> differ = new ArrayList<>();
        plan().forEach((k, v) -> {
            String recorded = values.get(PLAN + k);
            if (recorded != null && !recorded.equals(v)) {
                differ.add("dp." + k + " was " + recorded + ", this plan has " + v);
            }
        });
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("cannot continue the privacy account of the checkpoint: it was spent"
                    + " under other DP settings (" + String.join("; ", differ) + "). An epsilon holds only for the"
                    + " mechanism it was spent under: resume with the run's own settings, or start a new run");
        }
    }

    /** The recorded account, after checking that it is the one its recorded rounds compose to. */
    private static RdpAccountant recordedAccount(Map<String, String> values, double[] orders, RdpAccountant replayed) {
        double[] rdp = parseNumbers(values.get(RDP), RDP);
        long steps = Long.parseLong(values.getOrDefault(STEPS, "-1"));
        List<SampledGaussianSteps> composed = new ArrayList<>();
        String text = values.getOrDefault(COMPOSED, "");
        for (String part : text.isBlank() ? new String[0] : text.split(",")) {
            String[] f = part.strip().split(" ");
            composed.add(new SampledGaussianSteps(Double.parseDouble(f[0]), Double.parseDouble(f[1]),
                    Long.parseLong(f[2])));
        }
        RdpAccountant recorded = RdpAccountant.restored(orders, rdp, composed);
        if (!java.util.Arrays.equals(recorded.rdp(), replayed.rdp()) || recorded.steps() != steps
                || steps != replayed.steps() || !recorded.history().equals(replayed.history())) {
            throw new IllegalArgumentException("the checkpoint's privacy account ('" + RDP + "', '" + STEPS + "', '"
                    + COMPOSED + "': " + steps + " steps " + recorded.history() + ") is not what its "
                    + replayed.steps() + " recorded round(s) compose to (" + replayed.history() + "); the checkpoint"
                    + " is damaged or was edited, so the privacy spent before the restart is unknown");
        }
        return recorded;
    }

    private static String numbers(double[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(v[i]);
        }
        return b.toString();
    }

    private static double[] parseNumbers(String text, String key) {
        try {
            String[] f = text.strip().split(" ");
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = Double.parseDouble(f[i]);
            }
            return out;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the checkpoint's strategy state '" + key + "' is not a list of"
                    + " numbers: " + e.getMessage(), e);
        }
    }
}
