package org.fedmed.deploy.site;

import static org.fedmed.deploy.site.GovernedSiteTest.COLS;
import static org.fedmed.deploy.site.GovernedSiteTest.DATA;
import static org.fedmed.deploy.site.GovernedSiteTest.SITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.OptimizerSpec;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;

/** A governed site and SCAFFOLD: it trains a SCAFFOLD fit with its own c_i, and refuses one it cannot train. */
class GovernedSiteScaffoldTest {

    static final ModelSpec SGD = ModelSpec.logistic();
    static final ModelSpec ADAM = ModelSpec.logistic().withOptimizer(OptimizerSpec.adam());
    static final FitConfig FIT = new FitConfig(LocalWork.steps(4), 8, 0.1, true, 3)
            .withTerms(List.of(new LocalTerm.ControlVariates()));

    static GovernedSite site(DpSgdSettings dp, ModelSpec... specs) {
        return new GovernedSite(DATA, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT, TaskKind.EVALUATE),
                List.of("scaffold"), List.of(specs), 10, 10_000)), dp);
    }

    static GovernedSite site(DpSgdSettings dp) {
        return site(dp, SGD, ADAM);
    }

    static TaskOffer offer(int round, ModelSpec spec, List<String> auxiliary) {
        Model model = Models.build(spec, COLS, 2);
        return new TaskOffer(new FitTask(round, SITE, model.init(1), FIT).taskId(), TaskKind.FIT, round, model.layout(),
                4L * model.parameterCount() * (1 + auxiliary.size()), "scaffold", spec.toJson(), FIT, auxiliary);
    }

    static FitTask task(int round, ModelParameters global, float... c) {
        return new FitTask(round, SITE, global, FIT, Map.of(LocalTerm.ControlVariates.SERVER_CONTROL,
                ModelParameters.ofFlat(global.layout(), c)));
    }

    @Test
    void aScaffoldFitTrainsWithTheSitesOwnControlVariateAsAnUngovernedSiteDoes() {
        GovernedSite site = site(null);
        Model model = Models.build(SGD, COLS, 2);
        TrainingSiteClient reference = new TrainingSiteClient(SITE, model, DATA.site().train(), DATA.site().test(),
                DATA.site().quality());
        ModelParameters global = model.init(5);
        float[] c = {0.05f, -0.1f, 0.2f, 0f, 0.3f};
        for (int round = 1; round <= 2; round++) {
            assertTrue(site.review(offer(round, SGD, List.of(LocalTerm.ControlVariates.SERVER_CONTROL))).accepted());
            FitResult governed = site.fit(task(round, global, c));
            FitResult direct = reference.fit(task(round, global, c));
            assertArrayEquals(direct.parameters().flat(), governed.parameters().flat(), "round " + round);
            assertArrayEquals(direct.auxiliary().get(LocalTerm.ControlVariates.CONTROL_DELTA).flat(),
                    governed.auxiliary().get(LocalTerm.ControlVariates.CONTROL_DELTA).flat(), "round " + round);
        }
        assertFalse(java.util.Arrays.equals(new float[5], reference.controlVariate()), "c_i moved");
    }

    @Test
    void aScaffoldFitWithoutTheServerControlVariateIsRefusedNamingIt() {
        PolicyDecision d = site(null).review(offer(1, SGD, List.of()));
        assertFalse(d.accepted());
        assertEquals("the fit asks for local term 'scaffold' (SCAFFOLD) but carries no server control variate"
                + " 'scaffold.c'", d.reason());
    }

    @Test
    void aSiteWhoseSpecTrainsWithAdamRefusesTheScaffoldFitNamingTheTerm() {
        PolicyDecision d = site(null).review(offer(1, ADAM, List.of(LocalTerm.ControlVariates.SERVER_CONTROL)));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("the fit asks for local term 'scaffold' (SCAFFOLD), which this site does not"
                + " train: its control-variate update assumes plain local SGD"), d.reason());
    }

    @Test
    void aDpSgdSiteRefusesTheScaffoldFitNamingTheTerm() {
        PolicyDecision d = site(new DpSgdSettings(1.0, 1.1, 1e-5, null, 42L), SGD)
                .review(offer(1, SGD, List.of(LocalTerm.ControlVariates.SERVER_CONTROL)));
        assertFalse(d.accepted());
        assertEquals("the fit asks for local term 'scaffold' (SCAFFOLD), which this site does not train: it trains"
                + " with DP-SGD, which keeps no control variate", d.reason());
    }
}
