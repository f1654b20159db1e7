package org.fedmed.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ParameterLayout;
import org.junit.jupiter.api.Test;

/** The {@code personalization:} section: each kind's keys, its defaults, the regimes it turns on, and its errors. */
class PersonalizationSettingsTest {

    static SimulationConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "sim.yaml", Map.of());
    }

    static String error(String yaml) {
        return assertThrows(RuntimeException.class, () -> parse(yaml)).getMessage();
    }

    /** A one-hidden-layer MLP's layout: body dense0.*, head dense1.*. */
    static final ParameterLayout MLP = ParameterLayout.of(
            List.of("dense0.weight", "dense0.bias", "dense1.weight", "dense1.bias"),
            List.of(new int[] {4, 3}, new int[] {4}, new int[] {1, 4}, new int[] {1}));

    @Test
    void noSectionIsNoPersonalizationAndTheThreeRegimes() {
        SimulationConfig c = parse("rounds: 3\n");
        assertNull(c.personalization());
        assertEquals(List.of(Regime.LOCAL, Regime.FEDERATED, Regime.CENTRALIZED), c.regimes());
    }

    @Test
    void aSectionTurnsOnThePersonalizedRegimeAfterTheFederatedOne() {
        SimulationConfig c = parse("personalization: {kind: ditto, lambda: 0.1}\n");
        assertEquals(PersonalizationSettings.ditto(0.1), c.personalization());
        assertEquals(List.of(Regime.LOCAL, Regime.FEDERATED, Regime.PERSONALIZED, Regime.CENTRALIZED), c.regimes());
        assertEquals(List.of(new LocalTerm.Ditto(0.1)), c.personalization().localTerms(MLP));
        SimulationConfig chosen = parse("personalization: {kind: finetune}\nsimulation: {regimes: [personalized]}\n");
        assertEquals(List.of(Regime.PERSONALIZED), chosen.regimes());
    }

    @Test
    void finetuneEpochsDefaultToOneRoundsLocalWork() {
        SimulationConfig byDefault = parse("local_steps: 7\npersonalization: {kind: finetune}\n");
        assertEquals(LocalWork.steps(7), byDefault.personalization().finetuneWork(byDefault.localWork()));
        SimulationConfig three = parse("local_epochs: 2\npersonalization: {kind: FineTune, epochs: 3}\n");
        assertEquals(LocalWork.epochs(3), three.personalization().finetuneWork(three.localWork()));
        assertEquals(List.of(), three.personalization().localTerms(MLP));
    }

    @Test
    void fedPerPrefixesResolveToTheTensorIndicesOfTheLayout() {
        SimulationConfig c = parse("personalization: {kind: fedper, personal_layers: [dense1.]}\n");
        assertEquals(List.of(new LocalTerm.PersonalLayers(List.of(2, 3))), c.personalization().localTerms(MLP));
        assertEquals(List.of(new LocalTerm.PersonalLayers(List.of(3))),
                PersonalizationSettings.fedPer(List.of("dense1.bias")).localTerms(MLP));
    }

    @Test
    void aPrefixMatchingNoTensorOrEveryTensorIsRefusedNamingTheKeyAndTheModelsTensors() {
        String tensors = "[dense0.weight, dense0.bias, dense1.weight, dense1.bias]";
        var none = assertThrows(IllegalArgumentException.class,
                () -> PersonalizationSettings.fedPer(List.of("head.")).localTerms(MLP));
        assertEquals("config key 'personalization.personal_layers' prefix 'head.' matches no tensor of the model,"
                + " whose tensors are " + tensors, none.getMessage());
        var every = assertThrows(IllegalArgumentException.class,
                () -> PersonalizationSettings.fedPer(List.of("dense")).localTerms(MLP));
        assertTrue(every.getMessage().contains("'personalization.personal_layers' prefix 'dense' matches every tensor")
                && every.getMessage().contains(tensors), every.getMessage());
        var together = assertThrows(IllegalArgumentException.class,
                () -> PersonalizationSettings.fedPer(List.of("dense0", "dense1")).localTerms(MLP));
        assertTrue(together.getMessage().contains("together"), together.getMessage());
    }

    @Test
    void badValuesAndKeysOfAnotherKindAreRefusedNamingTheKey() {
        assertTrue(error("personalization: {lambda: 1}\n").contains("'personalization.kind' is required"));
        assertTrue(error("personalization: {kind: perfect}\n").contains("'personalization.kind': unknown value"));
        assertTrue(error("personalization: {kind: ditto}\n").contains("'personalization.lambda' is required"));
        assertTrue(error("personalization: {kind: ditto, lambda: 0}\n").contains("'personalization.lambda' must be"));
        assertTrue(error("personalization: {kind: ditto, lambda: -2}\n").contains("'personalization.lambda' must be"));
        assertTrue(error("personalization: {kind: finetune, lambda: 1}\n")
                .contains("'personalization.lambda' is only used with kind: ditto, but kind is finetune"));
        assertTrue(error("personalization: {kind: ditto, lambda: 1, epochs: 2}\n")
                .contains("'personalization.epochs' is only used with kind: finetune"));
        assertTrue(error("personalization: {kind: finetune, epochs: 0}\n")
                .contains("'personalization.epochs' must be >= 1, got 0"));
        assertTrue(error("personalization: {kind: fedper}\n")
                .contains("'personalization.personal_layers' must list at least one tensor-name prefix"));
        assertTrue(error("personalization: {kind: finetune, personal_layers: [dense1.]}\n")
                .contains("'personalization.personal_layers' is only used with kind: fedper"));
        assertTrue(error("personalization: {kind: finetune, head: 1}\n").contains("head"));
    }

    @Test
    void thePersonalizedRegimeNeedsASectionAndEveryKindRunsWithSiteDp() {
        assertTrue(error("simulation: {regimes: [federated, personalized]}\n")
                .contains("'simulation.regimes' lists 'personalized' but the config has no 'personalization' section"));
        for (String kind : List.of("{kind: ditto, lambda: 1}", "{kind: fedper, personal_layers: [dense1.]}",
                "{kind: finetune}")) {
            SimulationConfig c = parse("personalization: " + kind + "\nsite_dp: {noise_multiplier: 1.5}\n");
            assertEquals(1.5, c.siteDp().noiseMultiplier(), kind);
            assertTrue(c.regimes().contains(Regime.PERSONALIZED), kind);
        }
    }

    @Test
    void theSectionIsWrittenAndReadBackUnchanged() {
        for (String yaml : List.of("personalization: {kind: ditto, lambda: 0.25}\n",
                "personalization: {kind: fedper, personal_layers: [dense1., dense0.bias]}\n",
                "personalization: {kind: finetune, epochs: 4}\n", "personalization: {kind: finetune}\n")) {
            SimulationConfig c = parse(yaml);
            Map<String, Object> map = ConfigLoader.toMap(c);
            SimulationConfig back = ConfigLoader.parse("", "map", map);
            assertEquals(c.personalization(), back.personalization(), yaml);
            assertEquals(c.regimes(), back.regimes());
        }
    }

    @Test
    void aDeploymentServerAsksEachSiteToFineTuneWithTheLastRoundsEvaluationOnly() {
        SimulationConfig c = parse("rounds: 5\nlocal_steps: 30\nbatch_size: 8\nlr: 0.2\nseed: 11\nprox_mu: 0.1\n"
                + "personalization: {kind: finetune, epochs: 4}\n");
        var strategy = FederatedSetup.forServer(c, PlanSettings.fitConfig(c, MLP), 3).strategy();
        var global = org.fedmed.core.ModelParameters.ofFlat(MLP, new float[MLP.totalSize()]);
        for (int round = 1; round <= 4; round++) {
            var tasks = strategy.configureEvaluate(new org.fedmed.core.strategy.RoundContext(round, global,
                    List.of("a", "b", "c"), 7));
            assertEquals(3, tasks.size());
            tasks.forEach(t -> assertNull(t.fineTune(), "round " + t.round() + " evaluates without fine-tuning"));
        }
        var last = strategy.configureEvaluate(new org.fedmed.core.strategy.RoundContext(5, global,
                List.of("a", "b", "c"), 7));
        for (var t : last) {
            FitConfig tune = t.fineTune();
            assertEquals(LocalWork.epochs(4), tune.work());
            assertEquals(8, tune.batchSize());
            assertEquals(0.2, tune.learningRate());
            assertEquals(List.of(), tune.terms(), "plain training: FedProx's term is not part of fine-tuning");
            assertEquals(org.fedmed.core.Seeds.ofSite(11, org.fedmed.core.Seeds.Stream.SITE_FINETUNE, t.siteId()),
                    tune.seed(), "the seed simulate fine-tunes site " + t.siteId() + " with");
        }
        assertTrue(last.get(0).fineTune().seed() != last.get(1).fineTune().seed(), "each site has its own seed");
    }

    @Test
    void aDeploymentServerRefusesFineTuningWithEarlyStoppingNamingBothKeys() {
        SimulationConfig c = parse("rounds: 5\npatience: 2\npersonalization: {kind: finetune}\n");
        var e = assertThrows(IllegalArgumentException.class,
                () -> FederatedSetup.forServer(c, PlanSettings.fitConfig(c, MLP), 3));
        assertTrue(e.getMessage().startsWith("config keys 'personalization.kind: finetune' and 'patience' (2) cannot"
                + " be combined in deployment"), e.getMessage());
    }

    @Test
    void aDeploymentServerRunsFedPerWithThePersonalLayersResolvedAgainstTheModel() {
        SimulationConfig c = parse("personalization: {kind: fedper, personal_layers: [dense1.]}\n");
        FitConfig fit = PlanSettings.fitConfig(c, MLP);
        assertEquals(List.of(new LocalTerm.PersonalLayers(List.of(2, 3))), fit.terms());
        FitConfig sent = fitOfFirstTask(FederatedSetup.forServer(c, fit, 3).strategy());
        assertEquals(List.of(new LocalTerm.PersonalLayers(List.of(2, 3))), sent.terms());
    }

    @Test
    void aDeploymentServerRunsDittoAfterTheStrategysOwnTerms() {
        SimulationConfig c = parse("strategy: fedprox\nprox_mu: 0.01\npersonalization: {kind: ditto, lambda: 0.5}\n");
        FitConfig sent = fitOfFirstTask(FederatedSetup.forServer(c, PlanSettings.fitConfig(c, MLP), 3).strategy());
        assertEquals(List.of(new LocalTerm.Proximal(0.01), new LocalTerm.Ditto(0.5)), sent.terms());
    }

    @Test
    void aDeploymentServerRefusesPersonalizationWhoseTermTheFitDoesNotCarry() {
        SimulationConfig c = parse("personalization: {kind: ditto, lambda: 1}\n");
        var e = assertThrows(IllegalArgumentException.class,
                () -> FederatedSetup.forServer(c, PlanSettings.fitConfig(c), 3));
        assertTrue(e.getMessage().contains("asks for ditto but the fit settings carry no personalization term"),
                e.getMessage());
    }

    @Test
    void withoutASectionTheFitForALayoutIsThePlainFit() {
        SimulationConfig c = parse("strategy: fedavg\n");
        assertEquals(PlanSettings.fitConfig(c), PlanSettings.fitConfig(c, MLP));
    }

    /** The fit settings of the first task the strategy sends in round 1 of a three-site federation. */
    static FitConfig fitOfFirstTask(org.fedmed.core.strategy.Strategy strategy) {
        var global = org.fedmed.core.ModelParameters.ofFlat(MLP, new float[MLP.totalSize()]);
        return strategy.configureFit(new org.fedmed.core.strategy.RoundContext(1, global, List.of("a", "b", "c"), 7))
                .getFirst().config();
    }
}
