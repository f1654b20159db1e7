package org.fedmed.plan;

import static org.fedmed.plan.Choices.or;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.fedmed.core.LocalWork;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.robust.AggregationRule;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.prep.Clipping;
import org.fedmed.data.prep.ConstantFill;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.OneHot;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.prep.StandardDeviation;
import org.fedmed.data.prep.StatsMode;
import org.fedmed.privacy.fedavg.NoisePlacement;
import org.fedmed.secagg.SecAggParameters;

/**
 * Everything a run needs, simulated or deployed: the dataset and how it is split into sites, the preprocessing,
 * the model spec, the strategy and its knobs, and the seed. Every value is present and valid: closed choices are
 * enums, numbers are primitives checked against their ranges, and a bad value is refused naming its key. The
 * optional sections {@code dp}, {@code secure_aggregation}, {@code site_dp}, {@code personalization} and
 * {@code population} are {@code null} when absent, which turns their feature off, and {@code regions} (each site id
 * to its region, turning on hierarchical aggregation over a dataset's own sites) is empty when absent; {@code model} is a {@link NullNode} when the config
 * names none (logistic regression), {@code fill} one when {@code missing} is not {@code constant}, and {@code clipQuantiles} is empty when no
 * clipping is asked for.
 *
 * <p>{@link ConfigLoader} binds it from YAML through a private document record whose keys are all optional and
 * boxed; every default is applied in one place, {@code of(Document)}, and documented in docs/configuration.md. It
 * is written (to reports, the run store, and as a map for variants) as that same document, with every key set.
 */
public record SimulationConfig(
        String dataset,
        int sites,
        PartitionerKind partition,
        double alpha,
        double testFraction,
        MissingPolicy missing,
        boolean missingIndicators,
        StatsMode stats,
        JsonNode model,
        StrategySettings strategy,
        int rounds,
        double fraction,
        int sitesPerRound,
        int minFitSites,
        LocalWork localWork,
        int batchSize,
        double lr,
        SendMode send,
        int patience,
        double minDelta,
        long seed,
        int roundDeadlineSeconds,
        int parallelism,
        List<Regime> regimes,
        DpSettings dp,
        SecAggSettings secureAggregation,
        SiteDpSettings siteDp,
        double overSelection,
        double maxSiteWeightShare,
        double maxCountGrowth,
        int minRows,
        JsonNode fill,
        OneHot oneHot,
        boolean standardize,
        StandardDeviation sd,
        List<Double> clipQuantiles,
        PersonalizationSettings personalization,
        PopulationSettings population,
        Map<String, String> regions) {

    /**
     * What only means something to {@code simulate} and {@code tune}, each with why: the {@code simulation} section,
     * and each of its keys (how a dataset file is made into in-process sites and prepared, and how the simulation
     * runs). A deployment's server reads no data and its sites prepare their own, so {@code server.yaml}'s
     * {@code training} section refuses the section and each of these keys.
     */
    public static final Map<String, String> SIMULATION_ONLY_KEYS = simulationOnlyKeys();

    private static Map<String, String> simulationOnlyKeys() {
        String data = "the server reads no data; each site prepares its own data as its site.yaml says";
        String sites = "a deployment's sites are the site processes that connect, each with its own data";
        var keys = new LinkedHashMap<String, String>();
        keys.put(SIMULATION, "its keys say how 'fedmed simulate' makes a dataset into in-process sites and prepares"
                + " them (a deployment's sites are the processes that connect, each preparing its own data as its"
                + " site.yaml says) and which regimes it runs (a deployment trains the federated model only)");
        keys.put("sites", sites);
        keys.put("partition", sites);
        keys.put("alpha", sites);
        keys.put("test_fraction", data);
        keys.put("missing", data);
        keys.put("missing_indicators", data);
        keys.put("stats", data);
        keys.put("fill", data);
        keys.put("standardize", data);
        keys.put("sd", data);
        keys.put("clip_quantiles", data);
        keys.put("regimes", "a deployment trains the federated model only");
        keys.put("parallelism", "each site of a deployment is its own process");
        keys.put(PopulationSettings.SECTION, "a population's virtual sites are built in the simulating process; a"
                + " deployment's sites are real processes (docs/scale.md)");
        keys.put("regions", "hierarchical aggregation runs in simulation only; a deployment's regional relay servers"
                + " are not built (docs/scale.md)");
        return Collections.unmodifiableMap(keys);
    }

    /** The section of the keys that only mean something to {@code simulate} and {@code tune}. */
    public static final String SIMULATION = "simulation";

    /** The keys of the {@code simulation} section, in the order docs/configuration.md lists them. */
    public static final List<String> SIMULATION_KEYS = List.of("sites", "partition", "alpha", "test_fraction", "missing",
            "missing_indicators", "stats", "fill", "standardize", "sd", "clip_quantiles", "parallelism", "regimes");

    /** The regimes a simulation can compare, in report order. */
    public static final List<Regime> ALL_REGIMES = List.of(Regime.LOCAL, Regime.FEDERATED, Regime.CENTRALIZED);

    public SimulationConfig {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(missing, "missing");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(model, "model (NullNode when the config names none)");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(localWork, "localWork");
        Objects.requireNonNull(fill, "fill (NullNode when missing is not constant)");
        Objects.requireNonNull(oneHot, "oneHot");
        Objects.requireNonNull(sd, "sd");
        regimes = List.copyOf(Objects.requireNonNull(regimes, "regimes"));
        clipQuantiles = List.copyOf(Objects.requireNonNull(clipQuantiles, "clipQuantiles (empty for none)"));
        regions = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(regions,
                "regions (empty for none)")));
        List<Double> quantiles = clipQuantiles;
        inSection("clip_quantiles", () -> Clipping.fromKey(quantiles));
        require((missing == MissingPolicy.CONSTANT) == !fill.isNull(), "simulation.fill",
                missing == MissingPolicy.CONSTANT ? "must give the constant(s) for missing: constant (a number, or a"
                        + " mapping of column to number)" : "is only used with missing: constant, but missing is "
                        + missing.key());
        inSection("fill", () -> ConstantFill.fromKey(fill));
        require(maxSiteWeightShare > 0 && maxSiteWeightShare <= 1, "max_site_weight_share",
                "must be in (0, 1] (1 turns the cap off), got " + maxSiteWeightShare);
        require(maxCountGrowth >= 1, "max_count_growth", "must be >= 1 (.inf turns the check off), got " + maxCountGrowth);
        require(minRows >= 1, "min_rows", "must be >= 1, got " + minRows);

        require(!dataset.isBlank(), "dataset", "must not be blank");
        require(sites >= 1, "simulation.sites", "must be >= 1, got " + sites);
        require(alpha > 0 && Double.isFinite(alpha), "simulation.alpha", "must be > 0, got " + alpha);
        require(testFraction > 0 && testFraction < 1, "simulation.test_fraction", "must be in (0, 1), got " + testFraction);
        require(rounds >= 1, "rounds", "must be >= 1, got " + rounds);
        require(sitesPerRound >= 0, "sites_per_round", "must be >= 0, got " + sitesPerRound);
        require(sitesPerRound > 0 || (fraction > 0 && fraction <= 1), "fraction", "must be in (0, 1], got " + fraction);
        require(minFitSites >= 1, "min_fit_sites", "must be >= 1, got " + minFitSites);
        require(Double.isFinite(overSelection) && overSelection >= 0 && overSelection <= 10, "over_selection",
                "must be a number in [0, 10], got " + overSelection);
        require(dp == null || overSelection == 0, "over_selection",
                "cannot be used with 'dp': DP accounting assumes every sampled site's update is in the round, "
                        + "so cutting stragglers would break the privacy guarantee");
        require(secureAggregation == null || sitesPerRound == 0 || sitesPerRound >= SecAggParameters.MIN_CLIENTS,
                "sites_per_round", "must be at least " + SecAggParameters.MIN_CLIENTS + " with 'secure_aggregation'"
                        + " (the protocol's smallest round), got " + sitesPerRound);
        require(secureAggregation == null || dp == null || dp.sitesPerRound() == 0
                        || dp.sitesPerRound() >= SecAggParameters.MIN_CLIENTS, "dp.sites_per_round", "must be at least "
                        + SecAggParameters.MIN_CLIENTS + " with 'secure_aggregation' (the protocol's smallest round),"
                        + " got " + (dp == null ? 0 : dp.sitesPerRound()));
        require(secureAggregation == null || overSelection == 0, "over_selection",
                "cannot be used with 'secure_aggregation' yet: the protocol waits for every sampled site");
        require(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        require(lr > 0 && Double.isFinite(lr), "lr", "must be a positive number, got " + lr);
        require(patience >= 0, "patience", "must be >= 0, got " + patience);
        require(minDelta >= 0, "min_delta", "must be >= 0, got " + minDelta);
        require(roundDeadlineSeconds >= 1, "round_deadline_seconds", "must be >= 1, got " + roundDeadlineSeconds);
        require(parallelism >= 0, "simulation.parallelism", "must be >= 0 (0 = one per core), got " + parallelism);
        require(!regimes.isEmpty(), "simulation.regimes", "must name at least one of " + keys(ALL_REGIMES, Regime::key));
        require(personalization != null || !regimes.contains(Regime.PERSONALIZED), "simulation.regimes",
                "lists 'personalized' but the config has no 'personalization' section to say how sites personalize");
        require(secureAggregation == null || strategy.weighting() != SiteWeighting.QUALITY,
                "secure_aggregation", "works with a strategy weighted by sample count or uniform, not '"
                        + strategy.name() + "'");
        boolean robust = !(strategy.rule() instanceof AggregationRule.Mean);
        require(!robust || (dp == null && secureAggregation == null), "aggregation.rule", "'"
                + strategy.rule().configName() + "' needs to see each update, so it cannot be combined with 'dp' (whose"
                + " privacy analysis assumes the clipped mean) or 'secure_aggregation' (the server sees only the sum)");
        require(strategy.normBound() == 0 || (dp == null && secureAggregation == null), "aggregation.norm_bound",
                "cannot be combined with 'dp' (dp.clip_norm bounds every update already) or 'secure_aggregation'");
        require(Double.isInfinite(strategy.maxUpdateNorm()) || (dp == null && secureAggregation == null),
                "aggregation.max_update_norm", "cannot be combined with 'dp' (dp.clip_norm bounds every update"
                        + " already) or 'secure_aggregation' (the server sees only the sum, not each update's norm)");
        require(!robust || strategy.kind() != StrategyKind.CYCLIC, "aggregation.rule", "'cyclic' trains one site per"
                + " round, so there is nothing for '" + strategy.rule().configName() + "' to combine");
        require(!robust || minFitSites >= strategy.rule().minUpdates(), "min_fit_sites", "must be at least "
                + strategy.rule().minUpdates() + " for aggregation rule '" + strategy.rule().configName() + "' (it"
                + " combines no fewer updates), got " + minFitSites);
        // with site_dp SCAFFOLD runs: Delta c is post-processing of the site's DP-SGD update (docs/strategies.md)
        require(strategy.kind() != StrategyKind.SCAFFOLD || (dp == null && secureAggregation == null
                && !robust && personalization == null), "strategy", "'scaffold' needs each site's control-variate"
                + " update Delta c in the clear and its plain SGD steps, so it cannot be combined with 'dp' (the"
                + " server would see each site's Delta c, which carries its un-noised update),"
                + " 'secure_aggregation' (the server would see each site's Delta c beside the masked sum),"
                + " 'personalization' or a robust 'aggregation.rule'");
        require(personalization == null || !"cox".equals(model.path("type").asText()), "personalization",
                "cannot be used with a Cox model: a Cox site keeps no personal model, so it refuses every fit that"
                        + " asks for one");
        // for the built-in model types (an image model family refuses scaffold itself, with its own reason)
        JsonNode optimizer = model.path("optimizer");
        boolean builtIn = !model.isObject() || org.fedmed.ml.ModelSpec.TYPES.contains(model.path("type").asText());
        if (model.isObject() && builtIn) {
            checkModelSpec(model);
        }
        boolean plainSgd = !builtIn || optimizer.isMissingNode() || optimizer.isNull()
                || optimizer.path("type").asText("sgd").equals("sgd") && optimizer.path("momentum").asDouble(0) == 0;
        require(strategy.kind() != StrategyKind.SCAFFOLD || plainSgd, "model.optimizer", "must be plain SGD (leave it"
                + " out) with 'scaffold', whose control variates correct plain local SGD steps: every site would refuse"
                + " a model that trains with " + optimizer);
        require(strategy.kind() != StrategyKind.CYCLIC || (dp == null && secureAggregation == null
                && overSelection == 0), "strategy", "'cyclic' trains one site per round, so it cannot be combined with"
                + " 'dp', 'secure_aggregation' or 'over_selection'");
        require(secureAggregation == null || dp == null || dp.noise() != NoisePlacement.CENTRAL, "secure_aggregation",
                "with dp, needs dp.noise: distributed or local (the server never sees an update to add central noise to)");
        require(dp == null || dp.noise() != NoisePlacement.DISTRIBUTED || secureAggregation != null, "dp.noise",
                "distributed needs secure_aggregation: each site's share of the noise protects nothing unless the "
                        + "server only sees the sum");
        // cyclic passes the model on from site to site and scaffold keeps control variates: neither is a plain mean
        boolean fedAvgFamily = strategy.kind() != StrategyKind.CYCLIC && strategy.kind() != StrategyKind.SCAFFOLD;
        regions.forEach((site, region) -> require(site != null && !site.isBlank() && region != null
                && !region.isBlank(), "regions", "maps each site id to a region id, got '" + site + "': '" + region + "'"));
        if (population != null) {
            String why = "a population's virtual sites are built afresh when a round samples them and keep nothing"
                    + " between rounds";
            require(secureAggregation == null, PopulationSettings.SECTION, "cannot be combined with"
                    + " 'secure_aggregation' yet: " + why + ", and the protocol's key agreement is not built for that");
            require(siteDp == null, PopulationSettings.SECTION, "cannot be combined with 'site_dp' yet: " + why
                    + ", so a site's DP-SGD account would start afresh each time");
            require(personalization == null, PopulationSettings.SECTION, "cannot be combined with 'personalization': "
                    + why + ", so none keeps a personal model");
            require(fedAvgFamily, "strategy", "'" + strategy.name() + "' cannot run over a population: " + why);
            require(dp == null || dp.noise() == NoisePlacement.CENTRAL, "dp.noise", "must be central with a"
                    + " population: " + why + ", so no site-side noise filter is kept");
            require(regions.isEmpty(), "regions", "maps a dataset's own sites; a population's regions are "
                    + PopulationSettings.SECTION + ".regions");
            require(dp != null || sitesPerRound > 0 || fraction < 1, "sites_per_round", "must be set (or fraction"
                    + " below 1) with a population: a round samples its sites, and fraction 1 would train all "
                    + population.size() + " of them every round");
            require(dp == null || (dp.sampling() == DpSampling.FIXED ? dp.sitesPerRound() > 0 : dp.sampleRate() < 1),
                    dp == null || dp.sampling() == DpSampling.FIXED ? "dp.sites_per_round" : "dp.sample_rate",
                    "must sample a population's sites (dp.sites_per_round above 0, or dp.sample_rate below 1),"
                            + " not take all " + population.size() + " of them every round");
        }
        if (!regions.isEmpty() || (population != null && population.hierarchical())) {
            String key = regions.isEmpty() ? PopulationSettings.SECTION + ".hierarchical" : "regions";
            require(dp == null && secureAggregation == null, key, "cannot be combined with 'dp' or"
                    + " 'secure_aggregation': both aggregate in one tier at the server");
            require(!robust, key, "combines regional weighted means; aggregation.rule '"
                    + strategy.rule().configName() + "' is not the weighted mean");
            require(fedAvgFamily, key, "needs a strategy of the FedAvg family, not '" + strategy.name() + "'");
            require(maxSiteWeightShare == 1, "max_site_weight_share", "must be 1 with hierarchical aggregation ('"
                    + key + "'): a site's share of the whole round cannot be bounded region by region; got "
                    + maxSiteWeightShare);
        }
    }

    /**
     * The population the {@code population:} section describes, over this config's dataset, seed, test fraction and
     * preprocessing; null when the config has no such section.
     */
    public org.fedmed.data.population.PopulationSpec populationSpec() {
        return population == null ? null : population.spec(dataset, seed, testFraction, preprocessing());
    }

    /**
     * A config from a document as read: every key left out takes its default here, and every closed choice is
     * parsed (case-insensitively, {@code -} read as {@code _}) into its enum, an unknown value refused naming the key
     * and the allowed values.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    private static SimulationConfig of(Document d) {
        Section s = d.simulation() == null ? Section.EMPTY : d.simulation();
        return new SimulationConfig(
                or(d.dataset(), "heart-disease"),
                or(s.sites(), 5),
                choice("simulation.partition", s.partition(), PartitionerKind.IID, PartitionerKind.values(),
                        SimulationConfig::key),
                or(s.alpha(), 0.5),
                or(s.testFraction(), 0.25),
                MissingPolicy.fromKey("simulation.missing", or(s.missing(), "mean")),
                or(s.missingIndicators(), true),
                choice("simulation.stats", s.stats(), StatsMode.FEDERATED, StatsMode.values(), SimulationConfig::key),
                d.model() == null ? NullNode.getInstance() : d.model(),
                StrategySettings.of(choice("strategy", d.strategy(), StrategyKind.FEDAVG, StrategyKind.values(),
                        StrategyKind::key), d.serverLr(), d.serverOptimizer(), d.proxMu(), d.aggregation()),
                or(d.rounds(), 100),
                or(d.fraction(), 1.0),
                or(d.sitesPerRound(), 0),
                or(d.minFitSites(), 1),
                localWork(d.localEpochs(), d.localSteps()),
                or(d.batchSize(), 32),
                or(d.lr(), 0.1),
                choice("send", d.send(), SendMode.WEIGHTS, SendMode.values(), SendMode::key),
                or(d.patience(), 0),
                or(d.minDelta(), 1e-4),
                or(d.seed(), 42L),
                or(d.roundDeadlineSeconds(), 600),
                or(s.parallelism(), 0),
                s.regimes() == null ? defaultRegimes(d.personalization())
                        : s.regimes().stream()
                                .map(r -> choice("simulation.regimes", r, null, Regime.values(), Regime::key)).toList(),
                d.dp(),
                d.secureAggregation(),
                d.siteDp(),
                or(d.overSelection(), 0.0),
                or(d.maxSiteWeightShare(), 0.5),
                or(d.maxCountGrowth(), 2.0),
                or(d.minRows(), 10),
                s.fill() == null ? NullNode.getInstance() : s.fill(),
                OneHot.fromKey("one_hot", or(d.oneHot(), "full")),
                or(s.standardize(), true),
                StandardDeviation.fromKey("simulation.sd", or(s.sd(), "population")),
                s.clipQuantiles() == null ? List.of() : s.clipQuantiles(),
                d.personalization(),
                d.population(),
                d.regions() == null ? Map.of() : d.regions());
    }

    /** Every regime, with {@code personalized} after {@code federated} when a personalization section is present. */
    private static List<Regime> defaultRegimes(PersonalizationSettings personalization) {
        return personalization == null ? ALL_REGIMES
                : List.of(Regime.LOCAL, Regime.FEDERATED, Regime.PERSONALIZED, Regime.CENTRALIZED);
    }

    /** {@code local_steps} when set, else {@code local_epochs} (default 2); setting both is refused. */
    private static LocalWork localWork(Integer epochs, Integer steps) {
        require(epochs == null || steps == null, "local_steps", "cannot be used with 'local_epochs': set "
                + "exactly one of them (local_epochs " + epochs + " runs whole passes over a site's rows, "
                + "local_steps " + steps + " a fixed number of mini-batch steps per round)");
        require(epochs == null || epochs >= 1, "local_epochs", "must be >= 1, got " + epochs);
        require(steps == null || steps >= 1, "local_steps", "must be >= 1, got " + steps);
        return steps != null ? LocalWork.steps(steps) : LocalWork.epochs(or(epochs, 2));
    }

    /** The config as a document with every key set, as reports and the run store write it. */
    @JsonValue
    private Document document() {
        Integer epochs = localWork instanceof LocalWork.Epochs e ? e.count() : null;
        Integer steps = localWork instanceof LocalWork.Steps s ? s.count() : null;
        Section simulation = new Section(sites, key(partition), alpha, testFraction, missing.key(), missingIndicators,
                key(stats), fill.isNull() ? null : fill, standardize, sd.key(),
                clipQuantiles.isEmpty() ? null : clipQuantiles, parallelism, keys(regimes, Regime::key));
        return new Document(dataset, model.isNull() ? null : model, strategy.name(), rounds, fraction,
                sitesPerRound, minFitSites, epochs, steps, batchSize, lr, serverLr(), strategy.section(),
                strategy.proxMu() > 0 ? strategy.proxMu() : null, strategy.aggregation(), send.key(), patience, minDelta, seed,
                roundDeadlineSeconds, dp, secureAggregation, siteDp, overSelection, maxSiteWeightShare, maxCountGrowth,
                minRows, oneHot.key(), simulation, personalization, population, regions.isEmpty() ? null : regions);
    }

    /**
     * The YAML document as written: every key optional, so every field boxed and nullable. It exists only to be
     * bound and written by Jackson; {@code of(Document)} makes it a config.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Document(
            String dataset,
            JsonNode model,
            String strategy,
            Integer rounds,
            Double fraction,
            Integer sitesPerRound,
            Integer minFitSites,
            Integer localEpochs,
            Integer localSteps,
            Integer batchSize,
            Double lr,
            Double serverLr,
            StrategySettings.Section serverOptimizer,
            Double proxMu,
            StrategySettings.Aggregation aggregation,
            String send,
            Integer patience,
            Double minDelta,
            Long seed,
            Integer roundDeadlineSeconds,
            DpSettings dp,
            SecAggSettings secureAggregation,
            SiteDpSettings siteDp,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) Double overSelection,
            Double maxSiteWeightShare,
            Double maxCountGrowth,
            Integer minRows,
            String oneHot,
            Section simulation,
            PersonalizationSettings personalization,
            PopulationSettings population,
            Map<String, String> regions) {
    }

    /**
     * The {@code simulation} section as written: the keys that only mean something to {@code simulate} and
     * {@code tune} (how a dataset becomes in-process sites, how they are prepared, which regimes run, how many run
     * at once). A deployment's {@code server.yaml} refuses the section.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Section(
            Integer sites,
            String partition,
            Double alpha,
            Double testFraction,
            String missing,
            Boolean missingIndicators,
            String stats,
            JsonNode fill,
            Boolean standardize,
            String sd,
            List<Double> clipQuantiles,
            Integer parallelism,
            List<String> regimes) {

        static final Section EMPTY = new Section(null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** Runs a check of a section key whose message names the key bare, naming it as {@code simulation.<key>}. */
    private static void inSection(String key, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.valueOf(e.getMessage()).replace("'" + key + "'",
                    "'" + SIMULATION + "." + key + "'"), e);
        }
    }

    /** A config with every default. */
    public static SimulationConfig defaults() {
        return of(new Document(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
    }

    /** This config with other local training settings: learning rate, work per round and batch size. */
    public SimulationConfig withLocalTraining(double lr, LocalWork localWork, int batchSize) {
        return new SimulationConfig(dataset, sites, partition, alpha, testFraction, missing, missingIndicators, stats,
                model, strategy, rounds, fraction, sitesPerRound, minFitSites, localWork, batchSize, lr,
                send, patience, minDelta, seed, roundDeadlineSeconds, parallelism, regimes, dp, secureAggregation,
                siteDp, overSelection, maxSiteWeightShare, maxCountGrowth, minRows, fill, oneHot, standardize, sd,
                clipQuantiles, personalization, population, regions);
    }

    /** This config on another dataset: a built-in name or a definition file's path. */
    public SimulationConfig withDataset(String nameOrPath) {
        return new SimulationConfig(nameOrPath, sites, partition, alpha, testFraction, missing, missingIndicators, stats,
                model, strategy, rounds, fraction, sitesPerRound, minFitSites, localWork, batchSize, lr,
                send, patience, minDelta, seed, roundDeadlineSeconds, parallelism, regimes, dp, secureAggregation,
                siteDp, overSelection, maxSiteWeightShare, maxCountGrowth, minRows, fill, oneHot, standardize, sd,
                clipQuantiles, personalization, population, regions);
    }

    /** This config running {@code regimes} only. */
    public SimulationConfig withRegimes(List<Regime> regimes) {
        return new SimulationConfig(dataset, sites, partition, alpha, testFraction, missing, missingIndicators, stats,
                model, strategy, rounds, fraction, sitesPerRound, minFitSites, localWork, batchSize, lr,
                send, patience, minDelta, seed, roundDeadlineSeconds, parallelism, regimes, dp, secureAggregation,
                siteDp, overSelection, maxSiteWeightShare, maxCountGrowth, minRows, fill, oneHot, standardize, sd,
                clipQuantiles, personalization, population, regions);
    }

    /** This config with early stopping after {@code patience} rounds without improvement (0: never). */
    public SimulationConfig withPatience(int patience) {
        return new SimulationConfig(dataset, sites, partition, alpha, testFraction, missing, missingIndicators, stats,
                model, strategy, rounds, fraction, sitesPerRound, minFitSites, localWork, batchSize, lr,
                send, patience, minDelta, seed, roundDeadlineSeconds, parallelism, regimes, dp, secureAggregation,
                siteDp, overSelection, maxSiteWeightShare, maxCountGrowth, minRows, fill, oneHot, standardize, sd,
                clipQuantiles, personalization, population, regions);
    }

    /** This config with DP-FedAvg settings {@code dp}, or without DP-FedAvg when {@code dp} is null. */
    public SimulationConfig withDp(DpSettings dp) {
        return new SimulationConfig(dataset, sites, partition, alpha, testFraction, missing, missingIndicators, stats,
                model, strategy, rounds, fraction, sitesPerRound, minFitSites, localWork, batchSize, lr,
                send, patience, minDelta, seed, roundDeadlineSeconds, parallelism, regimes, dp, secureAggregation,
                siteDp, overSelection, maxSiteWeightShare, maxCountGrowth, minRows, fill, oneHot, standardize, sd,
                clipQuantiles, personalization, population, regions);
    }

    /** This config with personalization {@code personalization}, or without it when null. */
    public SimulationConfig withPersonalization(PersonalizationSettings personalization) {
        return new SimulationConfig(dataset, sites, partition, alpha, testFraction, missing, missingIndicators, stats,
                model, strategy, rounds, fraction, sitesPerRound, minFitSites, localWork, batchSize, lr,
                send, patience, minDelta, seed, roundDeadlineSeconds, parallelism, regimes, dp, secureAggregation,
                siteDp, overSelection, maxSiteWeightShare, maxCountGrowth, minRows, fill, oneHot, standardize, sd,
                clipQuantiles, personalization, population, regions);
    }

    /** This config over population {@code population}, or over the dataset's own sites when null. */
    public SimulationConfig withPopulation(PopulationSettings population) {
        return new SimulationConfig(dataset, sites, partition, alpha, testFraction, missing, missingIndicators, stats,
                model, strategy, rounds, fraction, sitesPerRound, minFitSites, localWork, batchSize, lr,
                send, patience, minDelta, seed, roundDeadlineSeconds, parallelism, regimes, dp, secureAggregation,
                siteDp, overSelection, maxSiteWeightShare, maxCountGrowth, minRows, fill, oneHot, standardize, sd,
                clipQuantiles, personalization, population, regions);
    }

    /**
     * The preprocessing these keys ask for: {@code missing} and {@code fill}, {@code missing_indicators},
     * {@code one_hot}, {@code standardize} and {@code sd}, {@code clip_quantiles}, {@code stats}.
     */
    public PreprocessOptions preprocessing() {
        return new PreprocessOptions(missing, ConstantFill.fromKey(fill), missingIndicators, oneHot, standardize, sd,
                Clipping.fromKey(clipQuantiles), stats, PreprocessOptions.DEFAULT_BINS);
    }

    /** The server learning rate, {@code server_lr}: the strategy's server optimizer's step size. */
    public double serverLr() {
        return strategy.serverOptimizer().learningRate();
    }

    /** Worker threads for in-process sites: the configured number, or one per core. */
    public int effectiveParallelism() {
        return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    }

    private static String key(Enum<?> e) {
        return Choices.key(e);
    }

    private static <E> List<String> keys(List<E> values, Function<E, String> key) {
        return values.stream().map(key).toList();
    }

    /** A closed choice as {@link Choices#of} reads it; an unknown regime is named as such. */
    private static <E> E choice(String key, String value, E fallback, E[] allowed, Function<E, String> name) {
        if (key.equals("regimes") && value != null) {
            try {
                return Choices.of(key, value, fallback, allowed, name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("config key 'regimes' unknown regime '" + value + "' (known: "
                        + Choices.names(allowed, name) + ")");
            }
        }
        return Choices.of(key, value, fallback, allowed, name);
    }

    private static final java.util.regex.Pattern SPEC_FIELD = java.util.regex.Pattern.compile("'([a-z_]+(?:\\.[a-z_]+)*)(\\[\\d+])?'");

    /**
     * A built-in model spec written inline, checked as the config is read, so that its error names the config key
     * ({@code model.hidden}) and the binder can give its line: otherwise the same check runs only when the run
     * builds its model, with no file or line.
     */
    private static void checkModelSpec(JsonNode model) {
        try {
            org.fedmed.ml.ModelSpec.parse(model.toString());
        } catch (IllegalArgumentException e) {
            String problem = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^model spec: ", "");
            java.util.regex.Matcher field = SPEC_FIELD.matcher(problem);
            String key = field.find() && !model.at("/" + field.group(1).replace('.', '/')).isMissingNode()
                    ? "model." + field.group(1) : "model";
            throw new IllegalArgumentException("config key '" + key + "': " + problem, e);
        }
    }

    private static void require(boolean ok, String key, String message) {
        Choices.require(ok, key, message);
    }
}
