package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.FederatedSummary;
import org.junit.jupiter.api.Test;

/**
 * {@code site_dp} with each local term in {@code simulate}: FedProx, SCAFFOLD and the personalizations run with
 * DP-SGD at every site, and each site's reported epsilon is the accountant's for the steps its trainings took,
 * recomputed here from q = B / n and the step count: the same as plain DP-SGD FedAvg's for FedProx, SCAFFOLD and
 * FedPer, twice the steps for Ditto, one more fit's steps for fine-tuning.
 */
class SiteDpSgdStrategiesTest {

    static final int ROUNDS = 3;
    static final int STEPS = 4;
    static final int BATCH = 16;
    static final double Z = 1.2;
    static final double DELTA = 1e-5;

    static FederatedDataset data() {
        return SyntheticFederation.build(21, 120, 80, 100);
    }

    static ComparisonReport run(String extra) {
        return new ComparisonExperiment(ConfigLoader.parse("""
                rounds: %d
                local_steps: %d
                batch_size: %d
                site_dp: {clip_norm: 1.0, noise_multiplier: %s, delta: %s}
                """.formatted(ROUNDS, STEPS, BATCH, Z, DELTA) + extra, "sim.yaml", Map.of()), null).run(data());
    }

    /** The epsilon of {@code steps} DP-SGD steps at q = B / n over a site's n training rows. */
    static double epsilon(int rows, long steps) {
        return new RdpAccountant().step((double) Math.min(BATCH, rows) / rows, Z, steps).epsilon(DELTA).epsilon();
    }

    static void assertEpsilons(ComparisonReport report, Map<String, Double> actual, long steps, String what) {
        assertEquals(report.provenance().trainRows().keySet(), actual.keySet(), what);
        report.provenance().trainRows().forEach((site, rows) ->
                assertEquals(epsilon(rows, steps), actual.get(site), 1e-12, what + ", site " + site));
    }

    static void assertEveryRoundCompleted(FederatedSummary run) {
        assertEquals(ROUNDS, run.roundsRun());
        run.rounds().forEach(r -> assertTrue(r.completed(), r.failures().toString()));
    }

    @Test
    void scaffoldAndFedProxTrainWithDpSgdAndSpendWhatDpSgdFedAvgSpends() {
        String federatedOnly = "simulation: {regimes: [federated]}\n";
        FederatedSummary fedavg = run("strategy: fedavg\n" + federatedOnly).federated();
        ComparisonReport scaffold = run("strategy: scaffold\n" + federatedOnly);
        ComparisonReport fedprox = run("strategy: fedprox\nprox_mu: 0.5\n" + federatedOnly);
        for (ComparisonReport r : List.of(scaffold, fedprox)) {
            assertEveryRoundCompleted(r.federated());
            assertEpsilons(r, r.federated().siteDpEpsilon(), (long) ROUNDS * STEPS, r.federated().strategy());
            assertEquals(fedavg.siteDpEpsilon(), r.federated().siteDpEpsilon(), r.federated().strategy());
            assertFalse(Arrays.equals(fedavg.finalModel().flat(), r.federated().finalModel().flat()),
                    r.federated().strategy() + "'s term changes the model");
        }
        assertEquals("scaffold", scaffold.federated().strategy());
        assertArrayEquals(scaffold.federated().finalModel().flat(),
                run("strategy: scaffold\n" + federatedOnly).federated().finalModel().flat(), "seeded: reproducible");
    }

    @Test
    void dittoWithSiteDpReportsThePersonalizedRegimeAndTheEpsilonOfBothTrainings() throws Exception {
        ComparisonReport report = run("personalization: {kind: ditto, lambda: 0.5}\n"
                + "simulation: {regimes: [federated, personalized]}\n");
        assertEquals(List.of("federated", "personalized"), List.copyOf(report.regimes().keySet()));
        assertEquals(report.provenance().trainRows().keySet(), report.regimes().get("personalized").sites().keySet());
        assertEveryRoundCompleted(report.personalizedRun());
        assertEpsilons(report, report.federated().siteDpEpsilon(), (long) ROUNDS * STEPS, "federated");
        assertEpsilons(report, report.personalizedSiteDpEpsilon(), 2L * ROUNDS * STEPS,
                "personalized: the global and the personal model");
        assertEquals(report.personalizedSiteDpEpsilon(), report.personalizedRun().siteDpEpsilon());
        JsonNode json = ConfigLoader.jsonWriter().valueToTree(report);
        assertEquals(report.personalizedSiteDpEpsilon().size(), json.get("personalized_site_dp_epsilon").size(),
                json.toString());
    }

    @Test
    void fedPerAndFineTuningWithSiteDpSpendOneTrainingPerFit() {
        ComparisonReport fedper = run("model: {type: mlp, hidden: [4]}\n"
                + "personalization: {kind: fedper, personal_layers: [dense1.]}\n"
                + "simulation: {regimes: [personalized]}\n");
        assertEveryRoundCompleted(fedper.personalizedRun());
        assertEpsilons(fedper, fedper.personalizedSiteDpEpsilon(), (long) ROUNDS * STEPS, "fedper");
        ComparisonReport finetune = run("personalization: {kind: finetune}\n"
                + "simulation: {regimes: [federated, personalized]}\n");
        assertEpsilons(finetune, finetune.federated().siteDpEpsilon(), (long) ROUNDS * STEPS, "federated");
        assertEpsilons(finetune, finetune.personalizedSiteDpEpsilon(), (long) (ROUNDS + 1) * STEPS,
                "the rounds and one fine-tuning fit of local_steps");
        assertNull(run("simulation: {regimes: [federated]}\n").personalizedSiteDpEpsilon());
        JsonNode json = ConfigLoader.jsonWriter().valueToTree(run("simulation: {regimes: [federated]}\n"));
        assertFalse(json.has("personalized_site_dp_epsilon"), "left out without a personalized regime");
    }
}
