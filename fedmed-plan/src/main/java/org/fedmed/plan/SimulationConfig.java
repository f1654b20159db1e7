package org.fedmed.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedmed.core.LocalWork;
import org.fedmed.data.prep.Clipping;
import org.fedmed.data.prep.ConstantFill;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.OneHot;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.prep.StandardDeviation;
import org.fedmed.data.prep.StatsMode;

/**
 * Everything a simulation run needs, as read from a YAML file and command-line flags: the dataset and how it
 * is split into sites, the preprocessing, the model spec, the strategy and its knobs, and the seed. Every field
 * has a documented default (see docs/configuration.md); a bad value is rejected here with the key's name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SimulationConfig(
        String dataset,
        Integer sites,
        String partition,
        Double alpha,
        Double testFraction,
        String missing,
        Boolean missingIndicators,
        String stats,
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
        String send,
        Integer patience,
        Double minDelta,
        Long seed,
        Integer roundDeadlineSeconds,
        Integer parallelism,
        List<String> regimes,
        DpSettings dp,
        SecAggSettings secureAggregation,
        SiteDpSettings siteDp,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Double overSelection,
        Double maxSiteWeightShare,
        Double maxCountGrowth,
        Integer minRows,
        JsonNode fill,
        String oneHot,
        Boolean standardize,
        String sd,
        List<Double> clipQuantiles) {

    /**
     * The keys that only mean something to {@code simulate} and {@code tune}, each with why: how a dataset file is
     * made into in-process sites and prepared, and how the simulation runs. A deployment's server reads no data and
     * its sites prepare their own, so {@code server.yaml}'s {@code training} section refuses these keys.
     */
    public static final Map<String, String> SIMULATION_ONLY_KEYS = simulationOnlyKeys();

    private static Map<String, String> simulationOnlyKeys() {
        String data = "the server reads no data; each site prepares its own data as its site.yaml says";
        String sites = "a deployment's sites are the site processes that connect, each with its own data";
        var keys = new LinkedHashMap<String, String>();
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
        return Collections.unmodifiableMap(keys);
    }

    /** The regimes a simulation can compare, in report order. */
    public static final List<String> ALL_REGIMES = List.of("local", "federated", "centralized");

    public SimulationConfig {
        dataset = orDefault(dataset, "heart-disease");
        sites = orDefault(sites, 5);
        partition = oneOf("partition", orDefault(partition, "iid"), Set.of("iid", "dirichlet", "quantity"));
        alpha = orDefault(alpha, 0.5);
        testFraction = orDefault(testFraction, 0.25);
        missing = MissingPolicy.fromKey("missing", orDefault(missing, "mean")).key();
        oneHot = OneHot.fromKey("one_hot", orDefault(oneHot, "full")).key();
        standardize = orDefault(standardize, true);
        sd = StandardDeviation.fromKey("sd", orDefault(sd, "population")).key();
        clipQuantiles = clipQuantiles == null ? null : List.copyOf(clipQuantiles);
        Clipping.fromKey(clipQuantiles);
        require(missing.equals("constant") == (fill != null && !fill.isNull()), "fill",
                missing.equals("constant") ? "must give the constant(s) for missing: constant (a number, or a mapping"
                        + " of column to number)" : "is only used with missing: constant, but missing is " + missing);
        ConstantFill.fromKey(fill);
        missingIndicators = orDefault(missingIndicators, true);
        stats = oneOf("stats", orDefault(stats, "federated"), Set.of("federated", "per_site"));
        strategy = oneOf("strategy", orDefault(strategy, "fedavg"), Set.of("fedavg", "uniform", "quality"));
        rounds = orDefault(rounds, 100);
        fraction = orDefault(fraction, 1.0);
        sitesPerRound = orDefault(sitesPerRound, 0);
        minFitSites = orDefault(minFitSites, 1);
        require(localEpochs == null || localSteps == null, "local_steps", "cannot be used with 'local_epochs': set "
                + "exactly one of them (local_epochs " + localEpochs + " runs whole passes over a site's rows, "
                + "local_steps " + localSteps + " a fixed number of mini-batch steps per round)");
        localEpochs = localSteps == null ? orDefault(localEpochs, 2) : null;
        batchSize = orDefault(batchSize, 32);
        lr = orDefault(lr, 0.1);
        serverLr = orDefault(serverLr, 1.0);
        send = oneOf("send", orDefault(send, "weights"), Set.of("weights", "delta"));
        patience = orDefault(patience, 0);
        minDelta = orDefault(minDelta, 1e-4);
        seed = orDefault(seed, 42L);
        roundDeadlineSeconds = orDefault(roundDeadlineSeconds, 600);
        parallelism = orDefault(parallelism, 0);
        regimes = List.copyOf(orDefault(regimes, ALL_REGIMES));
        overSelection = orDefault(overSelection, 0.0);
        maxSiteWeightShare = orDefault(maxSiteWeightShare, 0.5);
        maxCountGrowth = orDefault(maxCountGrowth, 2.0);
        minRows = orDefault(minRows, 10);
        require(maxSiteWeightShare > 0 && maxSiteWeightShare <= 1, "max_site_weight_share",
                "must be in (0, 1] (1 turns the cap off), got " + maxSiteWeightShare);
        require(maxCountGrowth >= 1, "max_count_growth", "must be >= 1 (.inf turns the check off), got " + maxCountGrowth);
        require(minRows >= 1, "min_rows", "must be >= 1, got " + minRows);

        require(!dataset.isBlank(), "dataset", "must not be blank");
        require(sites >= 1, "sites", "must be >= 1, got " + sites);
        require(alpha > 0 && Double.isFinite(alpha), "alpha", "must be > 0, got " + alpha);
        require(testFraction > 0 && testFraction < 1, "test_fraction", "must be in (0, 1), got " + testFraction);
        require(rounds >= 1, "rounds", "must be >= 1, got " + rounds);
        require(sitesPerRound >= 0, "sites_per_round", "must be >= 0, got " + sitesPerRound);
        require(sitesPerRound > 0 || (fraction > 0 && fraction <= 1), "fraction", "must be in (0, 1], got " + fraction);
        require(minFitSites >= 1, "min_fit_sites", "must be >= 1, got " + minFitSites);
        require(Double.isFinite(overSelection) && overSelection >= 0 && overSelection <= 10, "over_selection",
                "must be a number in [0, 10], got " + overSelection);
        require(dp == null || overSelection == 0, "over_selection",
                "cannot be used with 'dp': DP accounting assumes every sampled site's update is in the round, "
                        + "so cutting stragglers would break the privacy guarantee");
        require(secureAggregation == null || overSelection == 0, "over_selection",
                "cannot be used with 'secure_aggregation' yet: the protocol waits for every sampled site");
        require(localEpochs == null || localEpochs >= 1, "local_epochs", "must be >= 1, got " + localEpochs);
        require(localSteps == null || localSteps >= 1, "local_steps", "must be >= 1, got " + localSteps);
        require(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        require(lr > 0 && Double.isFinite(lr), "lr", "must be a positive number, got " + lr);
        require(serverLr > 0 && Double.isFinite(serverLr), "server_lr", "must be a positive number, got " + serverLr);
        require(patience >= 0, "patience", "must be >= 0, got " + patience);
        require(minDelta >= 0, "min_delta", "must be >= 0, got " + minDelta);
        require(roundDeadlineSeconds >= 1, "round_deadline_seconds", "must be >= 1, got " + roundDeadlineSeconds);
        require(parallelism >= 0, "parallelism", "must be >= 0 (0 = one per core), got " + parallelism);
        require(!regimes.isEmpty(), "regimes", "must name at least one of " + ALL_REGIMES);
        require(secureAggregation == null || strategy.equals("fedavg") || strategy.equals("uniform"),
                "secure_aggregation", "works with strategy fedavg or uniform, not '" + strategy + "'");
        require(secureAggregation == null || dp == null || !dp.noise().equals("central"), "secure_aggregation",
                "with dp, needs dp.noise: distributed or local (the server never sees an update to add central noise to)");
        require(dp == null || !dp.noise().equals("distributed") || secureAggregation != null, "dp.noise",
                "distributed needs secure_aggregation: each site's share of the noise protects nothing unless the "
                        + "server only sees the sum");
        for (String r : regimes) {
            require(ALL_REGIMES.contains(r), "regimes", "unknown regime '" + r + "' (known: " + ALL_REGIMES + ")");
        }
    }

    /** A config with every default. */
    public static SimulationConfig defaults() {
        return new SimulationConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    /**
     * What each site does per round: {@code local_steps} mini-batch steps when that key is set, else
     * {@code local_epochs} epochs (default 2). The two keys exclude each other, so {@link #localEpochs()} is null
     * exactly when {@link #localSteps()} is set.
     */
    public LocalWork localWork() {
        return localSteps != null ? LocalWork.steps(localSteps) : LocalWork.epochs(localEpochs);
    }

    /**
     * The preprocessing these keys ask for: {@code missing} and {@code fill}, {@code missing_indicators},
     * {@code one_hot}, {@code standardize} and {@code sd}, {@code clip_quantiles}, {@code stats}.
     */
    public PreprocessOptions preprocessing() {
        return new PreprocessOptions(MissingPolicy.fromKey("missing", missing), ConstantFill.fromKey(fill),
                missingIndicators, OneHot.fromKey("one_hot", oneHot), standardize, StandardDeviation.fromKey("sd", sd),
                Clipping.fromKey(clipQuantiles), StatsMode.valueOf(stats.toUpperCase(java.util.Locale.ROOT)),
                PreprocessOptions.DEFAULT_BINS);
    }

    /** Worker threads for in-process sites: the configured number, or one per core. */
    public int effectiveParallelism() {
        return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static String oneOf(String key, String value, Set<String> allowed) {
        String v = value.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException("config key '" + key + "': unknown value '" + value + "' (allowed: "
                    + allowed.stream().sorted().toList() + ")");
        }
        return v;
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException("config key '" + key + "' " + message);
        }
    }
}
