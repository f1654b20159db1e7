package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.filter.FilteredStrategy;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.ForwardingStrategy;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.core.strategy.robust.AggregationRule;
import org.fedmed.core.strategy.robust.NormBoundingFilter;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.TrainingSiteClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Eight honest hospitals and two poisoning ones train a logistic model on a seeded synthetic problem, 20 rounds of
 * one local epoch. The poisoning sites train honestly on their own rows and then send their update (the delta from
 * the global model) sign-flipped and scaled by -10, scaled by +50, or unchanged with a thousand times their example
 * count. Their own rows follow another rule (x1's sign reversed, as at a site that codes a variable the other way),
 * so a poisoner that wins the whole mean by its claimed count pulls the model away from the honest sites' patients;
 * on rows like everyone else's, an inflated count would only hand the model to one honest site. Plain FedAvg (with
 * no influence bound, as {@code max_site_weight_share: 1}) is ruined by each attack; the robust rules (median,
 * trimmed mean, Krum, Multi-Krum, told to withstand two faulty sites) stay close to FedAvg over the honest sites
 * alone. Everything is measured on the honest sites' pooled test rows; sites train one at a time, so each run is
 * reproducible bit for bit.
 */
class PoisoningTest {

    static final long SEED = 20260;
    static final int ROUNDS = 20;
    static final int HONEST = 8;
    static final int ATTACKERS = 2;
    static final List<String> FEATURES = List.of("x0", "x1", "x2", "x3");
    static final float[] TRUTH = {1.5f, -2f, 0.5f, 1f};
    static final float[] CODED_OTHERWISE = {1.5f, 2f, 0.5f, 1f};

    enum Attack { NONE, SIGN_FLIP, SCALE_UP, INFLATED_COUNT }

    /** Trains honestly, then sends what its attack makes of the honest update; evaluates honestly. */
    record Poisoner(TrainingSiteClient honest, Attack attack) implements SiteClient {
        @Override
        public String siteId() {
            return honest.siteId();
        }

        @Override
        public FitResult fit(FitTask t) {
            FitResult h = honest.fit(t);
            return switch (attack) {
                case NONE -> h;
                case SIGN_FLIP -> scaled(h, t.global(), -10);
                case SCALE_UP -> scaled(h, t.global(), 50);
                case INFLATED_COUNT -> new FitResult(h.siteId(), h.taskId(), h.parameters(), h.isDelta(),
                        h.numExamples() * 1000, h.quality(), h.trainMetrics());
            };
        }

        private static FitResult scaled(FitResult h, ModelParameters global, float factor) {
            float[] v = h.parameters().copyFlat();
            float[] g = global.flat();
            for (int i = 0; i < v.length; i++) {
                v[i] = factor * (h.isDelta() ? v[i] : v[i] - g[i]);
            }
            return new FitResult(h.siteId(), h.taskId(), ModelParameters.ofFlat(global.layout(), v), true,
                    h.numExamples(), h.quality(), h.trainMetrics());
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            return honest.evaluate(t);
        }
    }

    /** FedAvg in every respect but how a round's updates are combined. */
    static final class RobustlyAggregated extends ForwardingStrategy {
        private final AggregationRule rule;

        RobustlyAggregated(Strategy inner, AggregationRule rule) {
            super(inner);
            this.rule = rule;
        }

        @Override
        public Aggregator newAggregator(RoundContext context) {
            return rule.newAggregator(context.global(), context.round());
        }
    }

    record Site(String id, LabeledData train, LabeledData test) {
    }

    /** Ten sites with mildly shifted features; the last two are the ones that may poison. */
    static List<Site> sites() {
        Random rnd = new Random(SEED);
        List<Site> sites = new ArrayList<>();
        for (int s = 0; s < HONEST + ATTACKERS; s++) {
            float shift = (s - 4.5f) * 0.2f;
            int rows = 120 + 20 * (s % 3);
            float[] truth = s < HONEST ? TRUTH : CODED_OTHERWISE;
            sites.add(new Site(String.format("site%02d", s),
                    SyntheticFederation.sample(rnd, rows, FEATURES.size(), truth, shift, FEATURES),
                    SyntheticFederation.sample(rnd, 60, FEATURES.size(), truth, shift, FEATURES)));
        }
        return sites;
    }

    record Outcome(double accuracy, double logLoss) {
    }

    /** Runs the federation and measures the final model on the honest sites' pooled test rows. */
    static Outcome run(AggregationRule rule, Attack attack, boolean withAttackers) {
        return run(rule, attack, withAttackers, 0);
    }

    /** As {@link #run(AggregationRule, Attack, boolean)}, with each update's delta bounded to {@code normBound} (0: none). */
    static Outcome run(AggregationRule rule, Attack attack, boolean withAttackers, double normBound) {
        List<Site> sites = sites();
        Model model = Models.build(ModelSpec.logistic(), FEATURES.size(), 2);
        List<SiteClient> clients = new ArrayList<>();
        for (int s = 0; s < sites.size(); s++) {
            Site site = sites.get(s);
            TrainingSiteClient c = new TrainingSiteClient(site.id(), model, site.train(), site.test(), 1.0);
            if (s < HONEST) {
                clients.add(c);
            } else if (withAttackers) {
                clients.add(new Poisoner(c, attack));
            }
        }
        FitConfig fit = new FitConfig(1, 16, 0.1, false, SEED);
        Strategy fedAvg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(clients.size()), fit, 1.0);
        Strategy strategy = rule instanceof AggregationRule.Mean ? fedAvg : new RobustlyAggregated(fedAvg, rule);
        if (normBound > 0) {
            strategy = new FilteredStrategy(strategy, List.of(new NormBoundingFilter(normBound)), List.of());
        }
        RunResult result;
        try (InProcessSitePool pool = new InProcessSitePool(clients, 1)) {
            result = new RoundEngine(strategy, pool, EngineConfig.of(StoppingRule.rounds(ROUNDS), SEED),
                    new RunListener() {
                    }).run(model.init(SEED));
        }
        LabeledData pooled = LabeledData.concat(sites.subList(0, HONEST).stream().map(Site::test).toList());
        Map<String, Double> m = ClassificationMetrics.compute(model.predict(result.finalModel().flat(), pooled),
                pooled.labels(), pooled.classes());
        return new Outcome(m.get(ClassificationMetrics.ACCURACY), m.get(ClassificationMetrics.LOG_LOSS));
    }

    static final List<AggregationRule> RULES = List.of(new AggregationRule.Mean(), new AggregationRule.Median(),
            new AggregationRule.TrimmedMean(0.2), new AggregationRule.Krum(ATTACKERS),
            new AggregationRule.MultiKrum(ATTACKERS, 6));

    static Outcome honestOnly;

    @BeforeAll
    static void honestBaseline() {
        honestOnly = run(new AggregationRule.Mean(), Attack.NONE, false);
        System.out.printf("poisoning: honest-only fedavg: accuracy %.4f, log loss %.4f%n", honestOnly.accuracy(),
                honestOnly.logLoss());
        // measured 0.8229 and 0.3845: a baseline worth holding on to, so that "close to it" means something
        assertTrue(honestOnly.accuracy() > 0.8, "honest-only accuracy " + honestOnly.accuracy());
    }

    /**
     * FedAvg loses at least 0.15 accuracy (measured: 0.37 sign-flipped, 0.24 scaled up, 0.29 inflated), while every
     * robust rule stays within 0.04 accuracy and 0.06 log loss of FedAvg over the honest sites alone (measured: at
     * worst 0.025 and 0.041, Multi-Krum under inflated counts, whose six averaged updates may hold a poisoner's).
     */
    static void fedAvgIsRuinedAndTheRobustRulesHold(Attack attack) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (AggregationRule rule : RULES) {
            Outcome o = run(rule, attack, true);
            outcomes.put(rule.configName(), o);
            System.out.printf("poisoning: %-14s %-12s accuracy %.4f, log loss %.4f%n", attack, rule.configName(),
                    o.accuracy(), o.logLoss());
        }
        Outcome fedAvg = outcomes.remove("mean");
        assertTrue(fedAvg.accuracy() < honestOnly.accuracy() - 0.15,
                attack + ": fedavg accuracy " + fedAvg.accuracy() + " vs honest-only " + honestOnly.accuracy());
        assertTrue(fedAvg.logLoss() > honestOnly.logLoss() + 0.3,
                attack + ": fedavg log loss " + fedAvg.logLoss() + " vs honest-only " + honestOnly.logLoss());
        outcomes.forEach((rule, o) -> {
            assertEquals(honestOnly.accuracy(), o.accuracy(), 0.04, attack + ", " + rule + ": accuracy");
            assertEquals(honestOnly.logLoss(), o.logLoss(), 0.06, attack + ", " + rule + ": log loss");
        });
    }

    @Test
    void updatesSignFlippedAndScaledByMinusTenRuinFedAvgButNotTheRobustRules() {
        fedAvgIsRuinedAndTheRobustRulesHold(Attack.SIGN_FLIP);
    }

    @Test
    void updatesScaledByFiftyRuinFedAvgButNotTheRobustRules() {
        fedAvgIsRuinedAndTheRobustRulesHold(Attack.SCALE_UP);
    }

    @Test
    void aThousandfoldClaimedCountRuinsFedAvgButNotTheRobustRules() {
        fedAvgIsRuinedAndTheRobustRulesHold(Attack.INFLATED_COUNT);
    }

    /**
     * A norm bound of 0.2 in front of plain FedAvg barely touches honest updates and holds the scaled ones, but an
     * inflated count is no longer norm: it still takes the mean (measured: honest 0.8229, sign-flipped 0.8146,
     * scaled up 0.8083, inflated 0.5354).
     */
    @Test
    void aNormBoundHoldsScaledUpdatesUnderFedAvgButNotAnInflatedCount() {
        double bound = 0.2;
        Outcome honest = run(new AggregationRule.Mean(), Attack.NONE, false, bound);
        Outcome flipped = run(new AggregationRule.Mean(), Attack.SIGN_FLIP, true, bound);
        Outcome scaled = run(new AggregationRule.Mean(), Attack.SCALE_UP, true, bound);
        Outcome inflated = run(new AggregationRule.Mean(), Attack.INFLATED_COUNT, true, bound);
        System.out.printf("poisoning: fedavg, norm bound %.1f: honest-only %.4f, sign-flipped %.4f, scaled up %.4f, "
                + "inflated count %.4f%n", bound, honest.accuracy(), flipped.accuracy(), scaled.accuracy(),
                inflated.accuracy());
        assertEquals(honestOnly.accuracy(), honest.accuracy(), 0.01, "honest updates under the bound");
        assertEquals(honestOnly.accuracy(), flipped.accuracy(), 0.03, "sign-flipped updates under the bound");
        assertEquals(honestOnly.accuracy(), scaled.accuracy(), 0.03, "scaled-up updates under the bound");
        assertTrue(inflated.accuracy() < honestOnly.accuracy() - 0.15, "inflated count under the bound: "
                + inflated.accuracy());
    }
}
