package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.ParameterLayout;
import org.fedmed.ml.ModelSpec;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;

/**
 * A deployed site's personalization caps: Ditto's lambda up to {@code max_ditto_lambda} (default 2, 0 refuses every
 * Ditto fit), FedPer's personal layers unless {@code personal_layers: false}; each refusal names what was asked,
 * the cap and its key.
 */
class AllowListPersonalizationTest {

    static final ParameterLayout MLP_LAYOUT = ParameterLayout.of(
            List.of("dense0.weight", "dense0.bias", "dense1.weight", "dense1.bias"),
            List.of(new int[] {8, 13}, new int[] {8}, new int[] {1, 8}, new int[] {1}));

    static TaskOffer fit(LocalTerm term) {
        return new TaskOffer("r1-fit-cleveland", TaskKind.FIT, 1, MLP_LAYOUT, 4L * MLP_LAYOUT.totalSize(), "fedavg",
                ModelSpec.logistic().toJson(), new FitConfig(1, 16, 0.05, false, 3).withTerms(List.of(term)));
    }

    static AllowListPolicy capped(double maxDittoLambda, boolean personalLayers) {
        AllowList a = AllowListPolicyTest.ALLOW;
        return new AllowListPolicy(new AllowList(a.tasks(), a.strategies(), a.modelSpecs(), a.maxLocalEpochs(),
                a.maxParameters(), a.maxLocalSteps(), a.maxProxMu(), maxDittoLambda, personalLayers));
    }

    @Test
    void byDefaultDittoUpToTwoAndFedPerAreAccepted() {
        AllowListPolicy policy = new AllowListPolicy(AllowListPolicyTest.ALLOW);
        assertEquals(2.0, AllowListPolicyTest.ALLOW.maxDittoLambda());
        assertTrue(AllowListPolicyTest.ALLOW.personalLayers());
        assertTrue(policy.review(fit(new LocalTerm.Ditto(2.0))).accepted(),
                policy.review(fit(new LocalTerm.Ditto(2.0))).reason());
        assertEquals("the fit asks for personalization.lambda 2.5; this site allows at most 2.0 (max_ditto_lambda)",
                policy.review(fit(new LocalTerm.Ditto(2.5))).reason());
        TaskOffer fedPer = fit(new LocalTerm.PersonalLayers(List.of(2, 3)));
        assertTrue(policy.review(fedPer).accepted(), policy.review(fedPer).reason());
        assertEquals(Optional.of(ModelSpec.logistic()), policy.approvedSpec(fedPer));
    }

    @Test
    void aDittoLambdaAboveTheCapIsRefusedNamingBothAndTheKey() {
        AllowListPolicy policy = capped(0.1, true);
        PolicyDecision d = policy.review(fit(new LocalTerm.Ditto(0.5)));
        assertFalse(d.accepted());
        assertEquals("the fit asks for personalization.lambda 0.5; this site allows at most 0.1 (max_ditto_lambda)",
                d.reason());
        assertEquals(Optional.empty(), policy.approvedSpec(fit(new LocalTerm.Ditto(0.5))));
        assertTrue(policy.review(fit(new LocalTerm.Ditto(0.1))).accepted());
    }

    @Test
    void maxDittoLambdaZeroRefusesEveryDittoFitButNotFedPer() {
        AllowListPolicy policy = capped(0, true);
        assertEquals("the fit asks for personalization.lambda 0.001; this site allows at most 0.0 (max_ditto_lambda)",
                policy.review(fit(new LocalTerm.Ditto(0.001))).reason());
        assertTrue(policy.review(fit(new LocalTerm.PersonalLayers(List.of(3)))).accepted());
    }

    @Test
    void personalLayersFalseRefusesFedPerNamingTheTensorsAndTheKey() {
        AllowListPolicy policy = capped(2, false);
        PolicyDecision d = policy.review(fit(new LocalTerm.PersonalLayers(List.of(2, 3))));
        assertFalse(d.accepted());
        assertEquals("the fit asks this site to keep personal layers (personalization.personal_layers, tensors [2, 3]"
                + " of 4); this site allows none (personal_layers: false)", d.reason());
        assertTrue(policy.review(fit(new LocalTerm.Ditto(1))).accepted());
    }

    @Test
    void aNegativeOrInfiniteDittoCapIsRefusedNamingTheKey() {
        AllowList a = AllowListPolicyTest.ALLOW;
        var e = assertThrows(IllegalArgumentException.class, () -> new AllowList(a.tasks(), a.strategies(),
                a.modelSpecs(), 20, 1000, 100, 1, -1, true));
        assertEquals("allow.max_ditto_lambda must be a finite number >= 0, got -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AllowList(a.tasks(), a.strategies(), a.modelSpecs(),
                20, 1000, 100, 1, Double.POSITIVE_INFINITY, true));
    }
}
