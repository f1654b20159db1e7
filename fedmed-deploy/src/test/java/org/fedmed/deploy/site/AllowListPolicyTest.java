package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ParameterLayout;
import org.fedmed.ml.ModelSpec;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;

/** The allow-list accepts only what it names and says precisely why it refuses anything else. */
class AllowListPolicyTest {

    static final ModelSpec MLP = ModelSpec.mlp(8);
    static final AllowList ALLOW = new AllowList(Set.of(TaskKind.FIT, TaskKind.EVALUATE), List.of("fedavg", "uniform"),
            List.of(ModelSpec.logistic(), MLP), 20, 1000);
    final AllowListPolicy policy = new AllowListPolicy(ALLOW);

    static ParameterLayout layout(int size) {
        return ParameterLayout.of(List.of("w"), List.<int[]>of(new int[] {size}));
    }

    static TaskOffer fit(String strategy, String spec, int epochs, int parameters) {
        return new TaskOffer("r1-fit-cleveland", TaskKind.FIT, 1, layout(parameters), 4L * parameters, strategy, spec,
                new FitConfig(epochs, 16, 0.05, false, 3));
    }

    static TaskOffer evaluate(String strategy, String spec) {
        return new TaskOffer("r1-eval-cleveland", TaskKind.EVALUATE, 1, layout(10), 40, strategy, spec, null);
    }

    @Test
    void allowedFitIsAcceptedWithItsApprovedSpec() {
        TaskOffer offer = fit("fedavg", MLP.toJson(), 20, 1000);
        assertTrue(policy.review(offer).accepted());
        assertEquals(Optional.of(MLP), policy.approvedSpec(offer));
    }

    @Test
    void tasksNamingOneSpecAfterAnotherAreEachJudgedByTheirOwnSpec() {
        String unapproved = ModelSpec.mlp(64, 32).toJson();
        String malformed = "{\"type\": \"mlp\", \"hidden\": \"wide\"}";
        List<String> asked = List.of(MLP.toJson(), MLP.toJson(), unapproved, MLP.toJson(), malformed, unapproved,
                MLP.toJson());
        List<Boolean> accepted = asked.stream().map(spec -> policy.review(fit("fedavg", spec, 1, 10)).accepted())
                .toList();
        assertEquals(List.of(true, true, false, true, false, false, true), accepted);
        assertEquals(Optional.of(MLP), policy.approvedSpec(fit("fedavg", MLP.toJson(), 1, 10)));
        assertTrue(policy.review(fit("fedavg", malformed, 1, 10)).reason().contains("is not a valid model spec"));
    }

    @Test
    void allowedEvaluateIsAccepted() {
        assertTrue(policy.review(evaluate("uniform", ModelSpec.logistic().toJson())).accepted());
    }

    @Test
    void specIsComparedByMeaningNotBySpelling() {
        String sameAsLogistic = "{\"l2\": 0.0, \"type\": \"logistic\", \"loss\": \"auto\"}";
        TaskOffer offer = fit("fedavg", sameAsLogistic, 1, 10);
        assertTrue(policy.review(offer).accepted());
        assertEquals(Optional.of(ModelSpec.logistic()), policy.approvedSpec(offer));
    }

    @Test
    void taskKindNotAllowedIsRefusedNamingKindAndAllowedKinds() {
        AllowListPolicy fitOnly = new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT), ALLOW.strategies(),
                ALLOW.modelSpecs(), 20, 1000));
        PolicyDecision d = fitOnly.review(evaluate("fedavg", ModelSpec.logistic().toJson()));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("task kind 'evaluate' is not allowed") && d.reason().contains("[fit]"), d.reason());
    }

    @Test
    void strategyNotAllowedIsRefusedNamingStrategyAndAllowedOnes() {
        PolicyDecision d = policy.review(fit("dp-fedavg", MLP.toJson(), 1, 10));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("strategy 'dp-fedavg' is not allowed") && d.reason().contains("[fedavg, uniform]"),
                d.reason());
    }

    @Test
    void unapprovedSpecIsRefusedNamingAskedAndApprovedSpecs() {
        ModelSpec bigger = ModelSpec.mlp(64, 32);
        TaskOffer offer = fit("fedavg", bigger.toJson(), 1, 10);
        PolicyDecision d = policy.review(offer);
        assertFalse(d.accepted());
        assertTrue(d.reason().contains(bigger.toJson() + " is not approved"), d.reason());
        assertTrue(d.reason().contains(MLP.toJson()) && d.reason().contains(ModelSpec.logistic().toJson()), d.reason());
        assertEquals(Optional.empty(), policy.approvedSpec(offer));
    }

    @Test
    void unparseableSpecIsRefused() {
        PolicyDecision d = policy.review(fit("fedavg", "logreg-v2", 1, 10));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("model spec 'logreg-v2' is not a valid model spec"), d.reason());
    }

    @Test
    void missingSpecIsRefused() {
        PolicyDecision d = policy.review(fit("fedavg", "", 1, 10));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("names no model spec"), d.reason());
    }

    @Test
    void tooManyLocalEpochsIsRefusedNamingBoth() {
        PolicyDecision d = policy.review(fit("fedavg", MLP.toJson(), 21, 10));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("21 local epochs") && d.reason().contains("at most 20"), d.reason());
    }

    @Test
    void tooManyLocalStepsIsRefusedNamingBothAndTheKey() {
        AllowListPolicy steps = new AllowListPolicy(new AllowList(ALLOW.tasks(), ALLOW.strategies(), ALLOW.modelSpecs(),
                20, 1000, 100));
        TaskOffer hundred = fitOf(LocalWork.steps(100));
        assertTrue(steps.review(hundred).accepted(), steps.review(hundred).reason());
        PolicyDecision d = steps.review(fitOf(LocalWork.steps(101)));
        assertFalse(d.accepted());
        assertEquals("the fit asks for 101 local steps; this site allows at most 100 (max_local_steps)", d.reason());
        // steps are not bounded by max_local_epochs (20), nor epochs by max_local_steps
        assertTrue(steps.review(fitOf(LocalWork.epochs(20))).accepted());
        assertEquals(AllowList.DEFAULT_MAX_LOCAL_STEPS, ALLOW.maxLocalSteps());
    }

    static TaskOffer fitWithMu(double mu) {
        return new TaskOffer("r1-fit-cleveland", TaskKind.FIT, 1, layout(10), 40, "fedavg", MLP.toJson(),
                new FitConfig(2, 16, 0.05, false, 3).withTerms(List.of(new LocalTerm.Proximal(mu))));
    }

    @Test
    void aProximalWeightAboveTheCapIsRefusedNamingBothAndTheKey() {
        AllowListPolicy capped = new AllowListPolicy(new AllowList(ALLOW.tasks(), ALLOW.strategies(), ALLOW.modelSpecs(),
                20, 1000, 100, 0.1));
        PolicyDecision d = capped.review(fitWithMu(0.5));
        assertFalse(d.accepted());
        assertEquals("the fit asks for prox_mu 0.5; this site allows at most 0.1 (max_prox_mu)", d.reason());
        assertEquals(Optional.empty(), capped.approvedSpec(fitWithMu(0.5)));
    }

    @Test
    void aProximalWeightAtTheCapOrZeroIsAccepted() {
        AllowListPolicy capped = new AllowListPolicy(new AllowList(ALLOW.tasks(), ALLOW.strategies(), ALLOW.modelSpecs(),
                20, 1000, 100, 0.1));
        assertTrue(capped.review(fitWithMu(0.1)).accepted(), capped.review(fitWithMu(0.1)).reason());
        assertTrue(capped.review(fitWithMu(0)).accepted());
        assertEquals(Optional.of(MLP), capped.approvedSpec(fitWithMu(0.1)));
    }

    @Test
    void maxProxMuZeroRefusesEveryProximalTermButNotPlainFits() {
        AllowListPolicy none = new AllowListPolicy(new AllowList(ALLOW.tasks(), ALLOW.strategies(), ALLOW.modelSpecs(),
                20, 1000, 100, 0));
        assertEquals("the fit asks for prox_mu 0.001; this site allows at most 0.0 (max_prox_mu)",
                none.review(fitWithMu(0.001)).reason());
        assertTrue(none.review(fitWithMu(0)).accepted());
        assertTrue(none.review(fitOf(LocalWork.epochs(2))).accepted());
    }

    @Test
    void theDefaultCapAllowsMuUpToOne() {
        assertEquals(1.0, ALLOW.maxProxMu());
        assertTrue(policy.review(fitWithMu(1.0)).accepted());
        assertEquals("the fit asks for prox_mu 1.5; this site allows at most 1.0 (max_prox_mu)",
                policy.review(fitWithMu(1.5)).reason());
    }

    static TaskOffer fitOf(LocalWork work) {
        return new TaskOffer("r1-fit-cleveland", TaskKind.FIT, 1, layout(10), 40, "fedavg", MLP.toJson(),
                new FitConfig(work, 16, 0.05, false, 3));
    }

    @Test
    void tooManyParametersIsRefusedNamingBoth() {
        PolicyDecision d = policy.review(fit("fedavg", MLP.toJson(), 1, 1001));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("1001 parameters") && d.reason().contains("at most 1000"), d.reason());
    }

    @Test
    void errorWhileReviewingIsARefusal() {
        PolicyDecision d = policy.review(null);
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("could not review"), d.reason());
        assertEquals(Optional.empty(), policy.approvedSpec(null));
    }
}
