package org.fedmed.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.fedmed.core.FitConfig;
import org.fedmed.core.Seeds;
import org.fedmed.core.SiteClient;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.core.filter.FilteredSiteClient;
import org.fedmed.core.strategy.CyclicTraining;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.Scaffold;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.fedavg.ClippingPolicy;
import org.fedmed.privacy.fedavg.DpFedAvgConfig;
import org.fedmed.privacy.fedavg.DpFedAvgStrategy;
import org.fedmed.privacy.fedavg.FixedSizeSiteSampler;
import org.fedmed.privacy.fedavg.NoisePlacement;
import org.fedmed.privacy.fedavg.PoissonSiteSampler;
import org.fedmed.privacy.fedavg.SiteSampler;
import org.fedmed.privacy.fedavg.SiteUpdateNoise;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.SecureAggregationStrategy;
import org.fedmed.secagg.SecureSumConfig;
import org.fedmed.secagg.exchange.SecureSumParticipants;
import org.fedmed.secagg.quant.RingQuantizer;

/**
 * The federated regime's strategy and sites as a config asks for them: the FedAvg family, or DP-FedAvg when the
 * config has a {@code dp:} section (with local noise, each site gets the clipping and noise filters), and secure
 * aggregation around either when it has a {@code secure_aggregation:} section. With both, each site's locally
 * noised updates are summed under masks, so the unmasked sum carries the sites' calibrated noise.
 */
public record FederatedSetup(Strategy strategy, List<SiteClient> sites, DpFedAvgStrategy privacy) {

    public static FederatedSetup of(SimulationConfig config, FitConfig fit, List<? extends SiteClient> sites) {
        Function<String, String> regions = null;
        if (!config.regions().isEmpty()) {
            java.util.Set<String> ids = new java.util.TreeSet<>();
            sites.forEach(site -> ids.add(site.siteId()));
            for (String id : ids) {
                Choices.require(config.regions().containsKey(id), "regions", "gives no region for site '" + id
                        + "' (every site needs one; the sites are " + ids + ")");
            }
            for (String id : config.regions().keySet()) {
                Choices.require(ids.contains(id), "regions", "names site '" + id + "', which is not one of the"
                        + " federation's sites " + ids);
            }
            regions = config.regions()::get;
        }
        FederatedSetup plain = withoutSecureAggregation(config, fit, sites, sites.size(), regions, false);
        return secured(config, plain);
    }

    /**
     * What the in-process sites of a simulation answer the secure sum's stages with: with a
     * {@code secure_aggregation:} section, each site's secagg participant, its keys drawn from the run seed's
     * {@link Seeds.Stream#SECURE_AGGREGATION_KEYS} stream (repeatable: for simulation only); without, none. A site
     * process builds the same participants with the system's strong randomness instead.
     */
    public static ExchangeParticipants participants(SimulationConfig config) {
        return config.secureAggregation() == null ? ExchangeParticipants.NONE
                : new SecureSumParticipants(RandomnessSource.seededForSimulation(
                        Seeds.of(config.seed(), Seeds.Stream.SECURE_AGGREGATION_KEYS)));
    }

    /** {@code plain} with secure aggregation around its strategy when the config has a section for it. */
    private static FederatedSetup secured(SimulationConfig config, FederatedSetup plain) {
        SecAggSettings sa = config.secureAggregation();
        if (sa == null) {
            return plain;
        }
        SecureSumConfig.Weighting weighting = config.dp() != null || config.strategy().weighting() == SiteWeighting.UNIFORM
                ? SecureSumConfig.Weighting.UNIFORM : SecureSumConfig.Weighting.SAMPLE_COUNT;
        SecureSumConfig sum = new SecureSumConfig(sa.topology(), weighting == SecureSumConfig.Weighting.SAMPLE_COUNT
                ? Math.max(sa.ringBits(), 48) : sa.ringBits(), sa.clipBound(), RingQuantizer.Rounding.NEAREST,
                weighting, sa.degree(), sa.threshold(), sa.threatModel());
        Strategy secure = new SecureAggregationStrategy(plain.strategy(), sum, sa.stageDeadline(),
                config.strategy().serverOptimizer());
        return new FederatedSetup(secure, plain.sites(), plain.privacy());
    }

    /**
     * The strategy a deployment server runs for a federation of {@code population} sites, which are remote: the
     * FedAvg family, or DP-FedAvg, with secure aggregation around either when the config has a
     * {@code secure_aggregation:} section (the sites answer its stages with their own secagg participants). With
     * central noise the server adds the noise; with {@code dp.noise: local} or {@code distributed} every fit task
     * carries the {@link org.fedmed.core.LocalTerm.UpdateNoise} term ({@link DpFedAvgStrategy#siteNoise()}), with
     * which each site clips its update and adds its noise (or its share of it) before the update leaves, and the
     * server only averages; the accountant charges each round exactly as {@code simulate} does for the same plan.
     * Distributed noise needs {@code secure_aggregation}, as in {@code simulate} ({@link SimulationConfig} refuses
     * it without). DP-SGD ({@code site_dp}) is refused here with the key at fault.
     * Personalization with {@code kind: fedper} or {@code ditto} runs: {@code fit} must then carry its term
     * ({@link PlanSettings#fitConfig(SimulationConfig, org.fedmed.core.ParameterLayout)}), which the sites apply
     * and the strategy passes on unchanged. With {@code kind: finetune} the strategy asks every site, with the
     * evaluation of the last round, to fine-tune the final global model as {@code simulate}'s {@code personalized}
     * regime does ({@link FineTuningAtLastRound}); it is refused together with {@code patience}, as a run that stops
     * early never reaches that evaluation.
     */
    public static FederatedSetup forServer(SimulationConfig config, FitConfig fit, int population) {
        if (config.siteDp() != null) {
            throw new IllegalArgumentException("config key 'site_dp' is not available in deployment yet: DP-SGD runs"
                    + " in simulation only");
        }
        PersonalizationSettings personal = config.personalization();
        boolean fineTune = personal != null && personal.kind() == PersonalizationKind.FINETUNE;
        if (fineTune && config.patience() > 0) {
            throw new IllegalArgumentException("config keys '" + PersonalizationSettings.SECTION + ".kind: finetune'"
                    + " and 'patience' (" + config.patience() + ") cannot be combined in deployment: the sites"
                    + " fine-tune at the evaluation of the last round (round " + config.rounds() + "), which a run"
                    + " that stops early never reaches; set patience to 0");
        }
        if (personal != null && !fineTune && fit.terms().stream().noneMatch(FederatedSetup::isPersonalization)) {
            throw new IllegalArgumentException("config key '" + PersonalizationSettings.SECTION + "' asks for "
                    + Choices.key(personal.kind()) + " but the fit settings carry no personalization term; build them"
                    + " with PlanSettings.fitConfig(config, layout), which resolves it against the model's layout");
        }
        if (population < 1) {
            throw new IllegalArgumentException("a federation needs at least one site, got " + population);
        }
        FederatedSetup setup = secured(config, withoutSecureAggregation(config, fit, List.of(), population, null, true));
        if (!fineTune) {
            return setup;
        }
        FitConfig tune = fit.withTerms(List.of()).withWork(personal.finetuneWork(config.localWork()));
        return new FederatedSetup(new FineTuningAtLastRound(setup.strategy(), tune, config.seed(), config.rounds()),
                setup.sites(), setup.privacy());
    }

    private static boolean isPersonalization(org.fedmed.core.LocalTerm term) {
        return term instanceof org.fedmed.core.LocalTerm.Ditto || term instanceof org.fedmed.core.LocalTerm.PersonalLayers;
    }

    /**
     * The strategy a simulation over a population of {@code population} virtual sites runs: the FedAvg family, two-tier
     * by {@code regionOf} when {@code population.hierarchical} is set, or DP-FedAvg with central noise (the config
     * refuses what a population cannot run). Its sites are built by the pool, so {@link #sites()} is empty.
     */
    public static FederatedSetup forPopulation(SimulationConfig config, FitConfig fit, int population,
                                               Function<String, String> regionOf) {
        if (config.population() == null) {
            throw new IllegalArgumentException("the config has no '" + PopulationSettings.SECTION + "' section");
        }
        return withoutSecureAggregation(config, fit, List.of(), population,
                config.population().hierarchical() ? regionOf : null, false);
    }

    /**
     * @param remote whether the sites are remote processes, which learn the noise they add from their fit tasks; in
     *               simulation ({@code false}) the sites in {@code sites} are wrapped with the noise filters instead
     */
    private static FederatedSetup withoutSecureAggregation(SimulationConfig config, FitConfig fit,
                                                           List<? extends SiteClient> sites, int population,
                                                           Function<String, String> regions, boolean remote) {
        if (config.dp() == null) {
            SiteSelection selection = config.sitesPerRound() > 0
                    ? SiteSelection.count(config.sitesPerRound(), config.minFitSites())
                    : SiteSelection.fraction(config.fraction(), config.minFitSites());
            StrategySettings st = config.strategy();
            FederatedAveraging flat = new FederatedAveraging(st.name(), st.weighting(), selection, fit,
                    st.serverOptimizer(), config.overSelection(), st.rule(), st.normBound());
            FederatedAveraging fedAvg = regions == null ? flat : flat.withRegions(regions);
            Strategy s = switch (st.kind()) {
                case CYCLIC -> new CyclicTraining(fedAvg);
                case SCAFFOLD -> new Scaffold(fedAvg, population);
                default -> fedAvg;
            };
            return new FederatedSetup(s, List.copyOf(sites), null);
        }
        if (config.overSelection() > 0) {
            throw new IllegalArgumentException("config keys 'over_selection' and 'dp' cannot be combined: DP accounting"
                    + " assumes every sampled site's update is in the round");
        }
        DpSettings dp = config.dp();
        SiteSampler sampler = switch (dp.sampling()) {
            case POISSON -> new PoissonSiteSampler(dp.sampleRate());
            case FIXED -> new FixedSizeSiteSampler(dp.sitesPerRound() == 0 ? population
                    : Math.min(dp.sitesPerRound(), population));
        };
        double expected = sampler.expectedSites(population);
        ClippingPolicy clipping = dp.adaptiveClipping()
                ? new ClippingPolicy.Adaptive(dp.clipNorm(), dp.targetQuantile(), dp.clipLearningRate(), expected / 20.0)
                : new ClippingPolicy.Fixed(dp.clipNorm());
        NoisePlacement placement = dp.noise();
        // distributed noise runs under secure aggregation, which never unmasks fewer inputs than its minimum cohort:
        // the sites' shares are sized for the fewest inputs a released sum can hold (SiteUpdateNoise)
        int minFitSites = Math.min(placement == NoisePlacement.DISTRIBUTED
                ? Math.max(config.minFitSites(), SecureAggregationStrategy.MIN_COHORT) : config.minFitSites(), population);
        DpFedAvgConfig dpConfig = new DpFedAvgConfig(fit, sampler, population, clipping, dp.noiseMultiplier(),
                dp.targetEpsilon(), dp.delta(), config.rounds(), minFitSites, config.strategy().serverOptimizer());
        if (remote && placement != NoisePlacement.CENTRAL) {
            List<org.fedmed.core.LocalTerm> terms = new ArrayList<>(fit.terms());
            terms.add(SiteUpdateNoise.of(dpConfig, placement));
            dpConfig = dpConfig.withFitConfig(fit.withTerms(terms));
        }
        NoiseSource centralNoise = NoiseSource.seeded(Seeds.of(config.seed(), Seeds.Stream.CENTRAL_NOISE));
        DpFedAvgStrategy strategy = new DpFedAvgStrategy(dpConfig, centralNoise, placement);
        List<SiteClient> wrapped = new ArrayList<>();
        for (SiteClient site : sites) {
            wrapped.add(placement != NoisePlacement.CENTRAL
                    ? new FilteredSiteClient(site, strategy.siteFilters(
                            Seeds.ofSite(config.seed(), Seeds.Stream.SITE_FILTER_NOISE, site.siteId())))
                    : site);
        }
        return new FederatedSetup(strategy, wrapped, strategy);
    }
}
