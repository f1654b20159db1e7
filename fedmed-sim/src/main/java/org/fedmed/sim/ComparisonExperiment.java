package org.fedmed.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.SiteClient;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.LocalFoldingPool;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SiteTimes;
import org.fedmed.core.strategy.SortedSiteIds;
import org.fedmed.data.population.Population;
import org.fedmed.plan.PopulationSettings;
import org.fedmed.sim.report.PopulationSummary;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.core.metrics.MetricAggregation;
import org.fedmed.core.objective.MetricsComputer;
import org.fedmed.core.objective.Objective;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.Trainer;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.plan.FederatedSetup;
import org.fedmed.plan.PersonalizationKind;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.Regime;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.plan.SiteDpSettings;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.dpsgd.DpSgdConfig;
import org.fedmed.privacy.dpsgd.DpSgdSiteClient;
import org.fedmed.sim.report.CalibrationBin;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.FederatedSummary;
import org.fedmed.sim.report.PrivacySummary;
import org.fedmed.sim.report.Provenance;
import org.fedmed.sim.report.RegimeResult;

/**
 * The honest comparison behind {@code fedmed simulate}: on the same per-site train/test splits, from the same
 * initial parameters and with the same training budget (R rounds of E local epochs or S local steps), it trains
 * <ul>
 *   <li>{@code local}: each site alone on its own training data, tested on its own test data;</li>
 *   <li>{@code federated}: the round engine over in-process sites, the same engine deployment uses;</li>
 *   <li>{@code centralized}: one model on all sites' training data pooled, which a federation cannot do but
 *       which bounds what it can hope for;</li>
 *   <li>{@code personalized} (with a {@code personalization} section): each site's personal model, fine-tuned
 *       from the federated regime's final model, or FedPer's or Ditto's from a federated run whose fits carry the
 *       personalization, so it is compared per site with the global model and with local-only training.</li>
 * </ul>
 * Each regime is tested on every site's test split and on all test splits pooled. The regimes stay in this one
 * file, longer than most, because they share one evaluation and one federated-run path: a regime measured
 * another way would not be comparable.
 *
 * <p>Over a population ({@link #withPopulation}) the federated regime runs over every virtual site, each built when
 * a round samples it, in an in-process pool that keeps at most {@code population.cached_sites} of them; the data
 * {@link #run} is given is the population's evaluation sample, on which the federated model is evaluated after
 * each round and at the end, and on which the local-only and centralized baselines train and are tested. The
 * report's {@link ComparisonReport#population()} then holds each round's sites and time split.
 */
public final class ComparisonExperiment {

    private final SimulationConfig config;
    private final ExperimentProgress progress;
    /** The FedPer or Ditto run's log, set by {@link #personalizedRun}; null otherwise. */
    private FederatedSummary personalizedSummary;
    /** Under site_dp, each site's epsilon for the training behind the personalized regime; null otherwise. */
    private Map<String, Double> personalizedEpsilon;

    /** Gives a listener of the caller's for each federated engine run, by regime key; none by default. */
    private final java.util.function.Function<String, RunListener> runListeners;
    /** The population the federated regime runs over; null for a dataset's own sites. */
    private final Population population;
    /** Where the population's federated regime trains. */
    private final EngineChoice engine;
    /** The population run's rounds, set by the federated regime; null otherwise. */
    private PopulationSummary populationSummary;
    /** What the federated runs reach their in-process sites through; the pool itself by default. */
    private final java.util.function.UnaryOperator<org.fedmed.core.engine.SitePool> sitePool;

    public ComparisonExperiment(SimulationConfig config, ExperimentProgress progress) {
        this(config, progress, regime -> new RunListener() { }, null, EngineChoice.IN_PROCESS, pool -> pool);
    }

    private ComparisonExperiment(SimulationConfig config, ExperimentProgress progress,
                                 java.util.function.Function<String, RunListener> runListeners, Population population,
                                 EngineChoice engine,
                                 java.util.function.UnaryOperator<org.fedmed.core.engine.SitePool> sitePool) {
        this.config = config;
        this.progress = progress == null ? ExperimentProgress.SILENT : progress;
        this.runListeners = runListeners;
        this.population = population;
        this.engine = engine;
        this.sitePool = sitePool;
    }

    /**
     * The same experiment with its population's federated regime on {@code engine} (Spark, from the optional
     * {@code fedmed-spark} module); the baselines stay in process.
     *
     * @throws IllegalArgumentException for an engine other than in-process without a population
     */
    public ComparisonExperiment withEngine(EngineChoice engine) {
        if (engine.engine() != SimulationEngine.IN_PROCESS && population == null) {
            throw new IllegalArgumentException("--engine " + engine.engine().key() + " runs a population's rounds;"
                    + " call withPopulation first");
        }
        return new ComparisonExperiment(config, progress, runListeners, population, engine, sitePool);
    }

    /**
     * The same experiment, its federated runs reaching the in-process sites through {@code around(pool)}: a pool that
     * lets a site drop out where a deployment's did (a site killed between two stages of a secure sum, say), so that
     * a deployed run with dropouts can be compared with its simulation.
     */
    public ComparisonExperiment withSitePool(java.util.function.UnaryOperator<org.fedmed.core.engine.SitePool> around) {
        if (around == null) {
            throw new IllegalArgumentException("around is required");
        }
        return new ComparisonExperiment(config, progress, runListeners, population, engine, around);
    }

    /**
     * The same experiment with its federated regime over {@code population} (opened from the config's
     * {@link SimulationConfig#populationSpec()}); {@link #run} is then given the population's evaluation sample
     * ({@link Population#federation} of {@link Population#sample}).
     */
    public ComparisonExperiment withPopulation(Population population) {
        if (config.population() == null) {
            throw new IllegalArgumentException("the config has no 'population' section");
        }
        return new ComparisonExperiment(config, progress, runListeners, java.util.Objects.requireNonNull(population),
                engine, sitePool);
    }

    /**
     * The same experiment, telling a listener of the caller's about each federated engine run as it goes (a run
     * store recorder, for the dashboard): {@code perRun} is called once as each run starts, with the regime's key
     * ({@code federated}, or {@code personalized} for FedPer's and Ditto's run), and the listener it returns hears
     * every round, failure and the end of that run, as deployment's listeners do.
     */
    public ComparisonExperiment withRunListeners(java.util.function.Function<String, RunListener> perRun) {
        if (perRun == null) {
            throw new IllegalArgumentException("perRun is required");
        }
        return new ComparisonExperiment(config, progress, perRun, population, engine, sitePool);
    }

    public ComparisonReport run(FederatedDataset data) {
        String startedAt = Instant.now().toString();
        ModelSpec spec = PlanSettings.modelSpec(config);
        Objective objective = PlanSettings.objective(config, data.labelLayout(), data.classes());
        Model model = Models.build(spec, data.featureNames().size(), objective);
        ModelParameters init = model.init(Seeds.of(config.seed(), Seeds.Stream.INIT));
        FitConfig fit = PlanSettings.fitConfig(config);

        Map<String, RegimeResult> regimes = new LinkedHashMap<>();
        FederatedSummary federated = null;
        personalizedSummary = null;
        personalizedEpsilon = null;
        populationSummary = null;
        FederatedOutcome plain = null;
        for (Regime regime : config.regimes()) {
            switch (regime) {
                case LOCAL -> regimes.put(regime.key(), local(model, init, fit, data));
                case FEDERATED -> {
                    plain = plain != null ? plain : federated(model, init, fit, data);
                    regimes.put(regime.key(), plain.result);
                    federated = plain.summary;
                }
                case CENTRALIZED -> regimes.put(regime.key(), centralized(model, init, fit, data));
                case PERSONALIZED -> {
                    if (config.personalization().kind() == PersonalizationKind.FINETUNE) {
                        plain = plain != null ? plain : federated(model, init, fit, data);
                        regimes.put(regime.key(), fineTuned(model, fit, data, plain));
                    } else {
                        regimes.put(regime.key(), personalizedRun(model, init, data));
                    }
                }
            }
        }
        return new ComparisonReport(provenance(data, spec, startedAt), regimes, federated, data.warnings(),
                personalizedSummary, personalizedEpsilon, objective, populationSummary);
    }

    private RegimeResult local(Model model, ModelParameters init, FitConfig fit, FederatedDataset data) {
        long start = System.nanoTime();
        progress.phase("local-only", config.rounds() * data.sites().size());
        Map<String, float[]> finals = new LinkedHashMap<>();
        List<List<MetricAggregation.Weighted>> perRound = emptyRounds(config.rounds());
        for (SiteData site : data.sites()) {
            float[] params = init.copyFlat();
            TrainingSiteClient client = client(model, site);
            BatchCursor cursor = new BatchCursor();
            for (int round = 1; round <= config.rounds(); round++) {
                long seed = Seeds.ofSiteRound(config.seed(), Seeds.Stream.SITE_FIT, site.siteId(), round);
                // no global model here: the baselines train without the fit's local terms (FedProx's pull toward it)
                Trainer.train(model, params, site.train(), fit.withSeed(seed).withTerms(List.of()), cursor);
                perRound.get(round - 1).add(new MetricAggregation.Weighted(site.test().rows(), client.metrics(params)));
                progress.step(site.siteId());
            }
            finals.put(site.siteId(), params);
        }
        progress.phaseDone();
        return evaluate("local", model, data, finals::get, curve(perRound), start);
    }

    private RegimeResult centralized(Model model, ModelParameters init, FitConfig fit, FederatedDataset data) {
        long start = System.nanoTime();
        progress.phase("centralized", config.rounds());
        LabeledData pooled = LabeledData.concat(data.sites().stream().map(SiteData::train).toList());
        List<TrainingSiteClient> clients = data.sites().stream().map(s -> client(model, s)).toList();
        float[] params = init.copyFlat();
        BatchCursor cursor = new BatchCursor();
        List<Map<String, Double>> curve = new ArrayList<>();
        for (int round = 1; round <= config.rounds(); round++) {
            long seed = Seeds.ofRound(config.seed(), Seeds.Stream.CENTRALIZED_FIT, round);
            Trainer.train(model, params, pooled, fit.withSeed(seed).withTerms(List.of()), cursor);
            List<MetricAggregation.Weighted> parts = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                parts.add(new MetricAggregation.Weighted(data.sites().get(i).test().rows(), clients.get(i).metrics(params)));
            }
            curve.add(MetricAggregation.weightedMean(parts));
            progress.step("");
        }
        progress.phaseDone();
        return evaluate("centralized", model, data, site -> params, curve, start);
    }

    /** A federated run's regime result, its log, and its sites (which keep their privacy accounts under site_dp). */
    private record FederatedOutcome(RegimeResult result, FederatedSummary summary, List<SiteClient> clients) {
    }

    private FederatedOutcome federated(Model model, ModelParameters init, FitConfig fit, FederatedDataset data) {
        String phase = "federated (" + config.strategy().name() + ")";
        if (population != null) {
            SortedSiteIds ids = population.siteIds();
            FederatedSetup setup = FederatedSetup.forPopulation(config, fit, ids.size(),
                    id -> population.region(population.index(id)));
            return federated(model, init, data, setup, List.of(), () -> populationPool(model, data, ids), phase,
                    Regime.FEDERATED.key());
        }
        List<SiteClient> clients = data.sites().stream().map(s -> (SiteClient) federatedClient(model, s)).toList();
        return federated(model, init, fit, data, clients, phase, Regime.FEDERATED.key());
    }

    /**
     * The personalized regime for FedPer and Ditto: a federated run of its own whose fits carry the personalization
     * term, so each site keeps its personal model; each site's personal model (FedPer: the final global body with the
     * site's head; Ditto: the site's personal model) is tested on its test rows. The learning curve is the sites'
     * {@code personal_} metrics after each round. The run's global model is not a regime (the {@code federated}
     * regime is the global model); the run's log and final global model are the report's
     * {@link ComparisonReport#personalizedRun()}, what a deployment of the same config reaches. Under {@code site_dp}
     * its sites train with DP-SGD as the federated regime's do (Ditto's personal model too), and their epsilons are
     * the report's {@link ComparisonReport#personalizedSiteDpEpsilon()}.
     */
    private RegimeResult personalizedRun(Model model, ModelParameters init, FederatedDataset data) {
        FitConfig personalized = PlanSettings.fitConfig(config, model.layout());
        Map<String, TrainingSiteClient> clients = new LinkedHashMap<>();
        data.sites().forEach(s -> clients.put(s.siteId(), federatedClient(model, s)));
        String kind = config.personalization().kind().name().toLowerCase(java.util.Locale.ROOT);
        FederatedOutcome run = federated(model, init, personalized, data, List.copyOf(clients.values()),
                "personalized (" + kind + ")", Regime.PERSONALIZED.key());
        personalizedSummary = run.summary;
        personalizedEpsilon = run.summary.siteDpEpsilon();
        ModelParameters global = run.summary.finalModel();
        RegimeResult r = run.result;
        RegimeResult personal = evaluate(r.regime(), model, data,
                site -> clients.get(site).personalParameters(global), personalCurve(r.curve()), System.nanoTime());
        return new RegimeResult(personal.regime(), personal.sites(), personal.pooled(), personal.testRows(),
                personal.curve(), r.wallMillis(), personal.undefined(), personal.calibration());
    }

    /** The sites' {@code personal_} metrics of each round, under the metrics' own names. */
    private static List<Map<String, Double>> personalCurve(List<Map<String, Double>> curve) {
        List<Map<String, Double>> out = new ArrayList<>();
        for (Map<String, Double> round : curve) {
            Map<String, Double> personal = new LinkedHashMap<>();
            round.forEach((name, v) -> {
                if (name.startsWith(ClassificationMetrics.PERSONAL_PREFIX)) {
                    personal.put(name.substring(ClassificationMetrics.PERSONAL_PREFIX.length()), v);
                }
            });
            out.add(personal);
        }
        return out;
    }

    /**
     * The personalized regime for fine-tuning: each site trains the final global model on its own training rows for
     * {@code personalization.epochs} epochs (or one round's local work), plain training with the fit's batch size and
     * learning rate and a seed of its own, and the result is tested on its test rows. It has no learning curve (it
     * runs after the rounds) and its wall time is the fine-tuning's only. Under {@code site_dp} the fine-tuning is
     * one more fit of the federated run's DP-SGD site, after its last round: clipped and noised like its rounds and
     * composed into the same account, whose epsilon is then the report's
     * {@link ComparisonReport#personalizedSiteDpEpsilon()}.
     */
    private RegimeResult fineTuned(Model model, FitConfig fit, FederatedDataset data, FederatedOutcome federated) {
        long start = System.nanoTime();
        progress.phase("personalized (finetune)", data.sites().size());
        ModelParameters global = federated.summary.finalModel();
        FitConfig tune = fit.withTerms(List.of())
                .withWork(config.personalization().finetuneWork(config.localWork()));
        Map<String, float[]> tuned = new LinkedHashMap<>();
        for (SiteData site : data.sites()) {
            FitConfig siteTune = tune.withSeed(Seeds.ofSite(config.seed(), Seeds.Stream.SITE_FINETUNE, site.siteId()));
            tuned.put(site.siteId(), config.siteDp() == null ? fineTune(model, global, site.train(), siteTune)
                    : privateFineTune(federated, site.siteId(), global, siteTune));
            progress.step(site.siteId());
        }
        if (config.siteDp() != null) {
            personalizedEpsilon = siteEpsilons(federated.clients);
        }
        progress.phaseDone();
        return evaluate(Regime.PERSONALIZED.key(), model, data, tuned::get, List.of(), start);
    }

    /** {@code global} fine-tuned on {@code train} with {@code tune}: the same {@link Trainer} sites train with. */
    static float[] fineTune(Model model, ModelParameters global, LabeledData train, FitConfig tune) {
        float[] params = global.copyFlat();
        Trainer.train(model, params, train, tune);
        return params;
    }

    /**
     * {@code global} fine-tuned by the federated run's DP-SGD site {@code siteId} as a fit of the round after the
     * run's last, returning weights: the site's clipping, noise and account apply as in its rounds.
     */
    private static float[] privateFineTune(FederatedOutcome federated, String siteId, ModelParameters global,
                                           FitConfig tune) {
        TrainingSiteClient site = federated.clients.stream()
                .filter(c -> c instanceof TrainingSiteClient && c.siteId().equals(siteId))
                .map(TrainingSiteClient.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("site '" + siteId + "' took no part in the federated run"));
        FitConfig weights = new FitConfig(tune.work(), tune.batchSize(), tune.learningRate(), false, tune.seed());
        return site.fit(new FitTask(federated.summary.roundsRun() + 1, siteId, global, weights)).parameters()
                .copyFlat();
    }

    private FederatedOutcome federated(Model model, ModelParameters init, FitConfig fit, FederatedDataset data,
                                       List<SiteClient> clients, String phase, String regime) {
        FederatedSetup setup = FederatedSetup.of(config, fit, clients);
        return federated(model, init, data, setup, clients, () -> new InProcessSitePool(setup.sites(),
                config.effectiveParallelism(), FederatedSetup.participants(config)), phase, regime);
    }

    private FederatedOutcome federated(Model model, ModelParameters init, FederatedDataset data, FederatedSetup setup,
                                       List<SiteClient> clients, java.util.function.Supplier<? extends SitePool> pools,
                                       String phase, String regime) {
        long start = System.nanoTime();
        progress.phase(phase, config.rounds());
        Strategy strategy = setup.strategy();
        SitePool pool = pools.get();
        List<PopulationSummary.Round> times = new ArrayList<>();
        EngineConfig engineConfig = PlanSettings.engineConfig(config, model.objective());
        List<Map<String, Double>> curve = new ArrayList<>();
        RunListener listener = new RunListener() {
            private final java.util.Set<String> noted = new java.util.HashSet<>();

            @Override
            public void siteFailed(SiteFailure f) {
                // the same failure every round (a site below min_rows, say) is shown once, whatever figures it
                // names (a norm, a count); the run log has them all
                String same = f.reason().replaceAll("[0-9][0-9.eE+-]*", "#");
                if (noted.add(f.siteId() + "\u0000" + f.kind() + "\u0000" + same)) {
                    progress.note("round " + f.round() + ": site '" + f.siteId() + "' " + f.kind().name().toLowerCase()
                            + ": " + f.reason() + " (the same failure in later rounds is not shown again; results.json has every round)");
                }
            }

            @Override
            public void roundFinished(RoundRecord record, ModelParameters global) {
                SiteTimes t = pool.takeTimes();
                times.add(new PopulationSummary.Round(record.round(), record.selected().size(),
                        record.succeeded().size(), t.buildNanos() / 1_000_000, t.fitNanos() / 1_000_000,
                        record.aggregationNanos() / 1_000_000, t.evaluateNanos() / 1_000_000,
                        record.durationMillis(), t.sitesBuilt()));
                curve.add(record.evalMetrics());
                Double loss = record.evalMetrics().get(engineConfig.lossMetric());
                String detail = loss == null ? "" : String.format(java.util.Locale.ROOT, "loss %.4f", loss);
                if (setup.privacy() != null) {
                    detail += String.format(java.util.Locale.ROOT, " epsilon %.3f", setup.privacy().epsilonSpent());
                }
                progress.step(detail);
            }
        };
        RunResult run;
        try {
            run = new RoundEngine(strategy, sitePool.apply(pool), engineConfig, RunListener.all(listener, runListeners.apply(regime)))
                    .run(init);
        } finally {
            if (pool instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing the site pool failed: " + e.getMessage(), e);
                }
            }
        }
        progress.phaseDone();
        if (population != null) {
            PopulationSettings ps = config.population();
            populationSummary = new PopulationSummary(population.size(), population.name(), ps.wearable() != null
                    ? "wearable" : ps.mix().name().toLowerCase(java.util.Locale.ROOT), ps.regions(), ps.hierarchical(),
                    engine.engine(), engine.master(), data.siteIds(), times);
        }
        float[] finalParams = run.finalModel().flat();
        RegimeResult result = evaluate(regime, model, data, site -> finalParams, curve, start);
        FederatedSummary summary = new FederatedSummary(strategy.name(), run.stopReason().name().toLowerCase(), run.stopDetail(),
                run.rounds().size(), run.rounds(), run.finalModel(), privacySummary(setup), siteEpsilons(clients));
        return new FederatedOutcome(result, summary, clients);
    }

    /**
     * The pool the population's federated regime runs over: on {@link #withEngine the engine} chosen, Spark's
     * ({@link PopulationPoolProvider}), or the in-process lazy pool; the latter folds its rounds
     * ({@link LocalFoldingPool}) as Spark's tasks do, so the two engines give the same model bit for bit.
     */
    private SitePool populationPool(Model model, FederatedDataset data, org.fedmed.core.strategy.SortedSiteIds ids) {
        if (engine.engine() != SimulationEngine.IN_PROCESS) {
            if (config.siteDp() != null) {
                throw new IllegalArgumentException("config key 'site_dp' with --engine " + engine.engine().key()
                        + ": a DP-SGD site keeps its privacy account across rounds, which a virtual site built in a"
                        + " Spark task does not; run it with --engine in-process");
            }
            return PopulationPoolProvider.of(engine.engine()).open(engine, config.populationSpec(),
                    PlanSettings.modelSpec(config), data.siteIds());
        }
        InProcessSitePool lazy = InProcessSitePool.lazy(ids, data.siteIds(),
                id -> new VirtualSiteClient(population.site(population.index(id)), s -> federatedClient(model, s)),
                config.population().cachedSites(), config.effectiveParallelism());
        return new LocalFoldingPool(lazy, id -> population.region(population.index(id)));
    }

    /** A federated site: plain training, or DP-SGD with its own accountant when the config has {@code site_dp}. */
    private TrainingSiteClient federatedClient(Model model, SiteData site) {
        SiteDpSettings dp = config.siteDp();
        if (dp == null) {
            return client(model, site);
        }
        return new DpSgdSiteClient(site.siteId(), model, site.train(), site.test(), site.quality(),
                DpSgdConfig.of(dp.clipNorm(), dp.noiseMultiplier(), dp.delta()),
                NoiseSource.seeded(Seeds.ofSite(config.seed(), Seeds.Stream.SITE_DP_SGD_NOISE, site.siteId())));
    }

    private static Map<String, Double> siteEpsilons(List<SiteClient> clients) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (SiteClient c : clients) {
            if (c instanceof DpSgdSiteClient dp) {
                out.put(dp.siteId(), dp.privacySpent().epsilon());
            }
        }
        return out.isEmpty() ? null : out;
    }

    private PrivacySummary privacySummary(FederatedSetup setup) {
        var dp = setup.privacy();
        if (dp == null) {
            return null;
        }
        List<PrivacySummary.Round> rounds = dp.history().stream().map(r -> new PrivacySummary.Round(r.round(),
                r.sitesSampled(), r.samplingRate(), r.clipNorm(), r.epsilon())).toList();
        return new PrivacySummary(dp.name(), config.dp().noiseMultiplier(), config.dp().delta(),
                config.dp().hasTargetEpsilon() ? config.dp().targetEpsilon() : null, dp.epsilonSpent(), rounds);
    }

    /**
     * Tests each site's model on that site's test split, and all of them on the pooled test splits; for a regression
     * also bins the pooled (prediction, label) pairs into the regime's calibration, from the same predictions the
     * metrics are computed from.
     */
    private RegimeResult evaluate(String regime, Model model, FederatedDataset data, java.util.function.Function<String, float[]> paramsFor,
                                  List<Map<String, Double>> curve, long startNanos) {
        Map<String, Map<String, Double>> perSite = new LinkedHashMap<>();
        Map<String, Integer> testRows = new LinkedHashMap<>();
        Map<String, Map<String, String>> undefined = new LinkedHashMap<>();
        List<float[]> predictions = new ArrayList<>();
        for (SiteData site : data.sites()) {
            float[] p = model.predict(paramsFor.apply(site.siteId()), site.test());
            predictions.add(p);
            int rows = site.test().rows();
            if (rows < config.minRows()) {
                perSite.put(site.siteId(), Map.of());
                undefined.put(site.siteId(), withheld(model.objective().metrics()));
            } else {
                perSite.put(site.siteId(), defined(site.siteId(), p, site.test().labels(), model.objective().metrics(),
                        undefined));
            }
            testRows.put(site.siteId(), rows);
        }
        LabeledData pooledTest = LabeledData.concat(data.sites().stream().map(SiteData::test).toList());
        float[] all = concat(predictions);
        Map<String, Double> pooled = defined(RegimeResult.POOLED, all, pooledTest.labels(), model.objective().metrics(),
                undefined);
        List<CalibrationBin> calibration = model.objective() instanceof Objective.Regression
                ? CalibrationBin.of(all, pooledTest.labels()) : List.of();
        return new RegimeResult(regime, perSite, pooled, testRows, curve, (System.nanoTime() - startNanos) / 1_000_000,
                undefined, calibration);
    }

    /**
     * Every metric of a site whose test split is smaller than {@code min_rows}, as withheld: the small-cell rule a
     * deployed site and the round engine apply to an evaluation holds for the final table too. Its rows still count
     * in the pooled metrics, among all the others.
     */
    private Map<String, String> withheld(MetricsComputer computer) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String name : computer.names()) {
            reasons.put(name, "fewer test rows than min_rows (" + config.minRows() + "): withheld");
        }
        return reasons;
    }

    /** The metrics defined on these rows; those that are not go to {@code undefined} under {@code where}, with why. */
    private static Map<String, Double> defined(String where, float[] predictions, float[] labels,
                                               MetricsComputer computer, Map<String, Map<String, String>> undefined) {
        Map<String, Double> metrics = new LinkedHashMap<>(computer.compute(predictions, labels));
        Map<String, String> reasons = new LinkedHashMap<>(computer.undefined(labels));
        metrics.forEach((name, v) -> {
            if (v.isNaN()) {
                reasons.putIfAbsent(name, "undefined on these test rows");
            }
        });
        metrics.keySet().removeAll(reasons.keySet());
        if (!reasons.isEmpty()) {
            undefined.put(where, reasons);
        }
        return metrics;
    }

    private TrainingSiteClient client(Model model, SiteData site) {
        return new TrainingSiteClient(site.siteId(), model, site.train(), site.test(), site.quality());
    }

    private static List<List<MetricAggregation.Weighted>> emptyRounds(int rounds) {
        List<List<MetricAggregation.Weighted>> list = new ArrayList<>();
        for (int i = 0; i < rounds; i++) list.add(new ArrayList<>());
        return list;
    }

    private static List<Map<String, Double>> curve(List<List<MetricAggregation.Weighted>> perRound) {
        return perRound.stream().map(MetricAggregation::weightedMean).toList();
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private Provenance provenance(FederatedDataset data, ModelSpec spec, String startedAt) {
        Map<String, Integer> train = new LinkedHashMap<>();
        Map<String, Integer> test = new LinkedHashMap<>();
        Map<String, Double> quality = new LinkedHashMap<>();
        for (SiteData s : data.sites()) {
            train.put(s.siteId(), s.train().rows());
            test.put(s.siteId(), s.test().rows());
            quality.put(s.siteId(), s.quality());
        }
        return new Provenance(config, config.seed(), data.name(), data.checksums(), spec.toMap(), train, test, quality,
                Version.current(), System.getProperty("java.version"), startedAt);
    }
}
