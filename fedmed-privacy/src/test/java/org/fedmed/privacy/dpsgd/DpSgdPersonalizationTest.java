package org.fedmed.privacy.dpsgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.Seeds;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.PrivacyBudgetExhaustedException;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;

/**
 * A DP-SGD site personalizes: FedPer trains its one model with DP-SGD and costs what a plain fit costs; Ditto trains
 * the global model and then the personal model, both with DP-SGD (the personal one with batches and noise of its
 * own), and composes both trainings' steps into the site's account.
 */
class DpSgdPersonalizationTest {

    static final LabeledData TRAIN = Blobs.of(60, 4, 5);
    static final LabeledData TEST = Blobs.of(20, 4, 6);
    static final Model MODEL = Models.build(ModelSpec.logistic(), 4, 2);
    static final DpSgdConfig DP = DpSgdConfig.of(1.0, 1.3, 1e-5);
    static final long NOISE_SEED = 1;
    static final FitConfig FIT = new FitConfig(2, 16, 0.1, false, 3);
    /** q = 16 / 60; two epochs of ceil(60 / 16) = 4 steps. */
    static final double Q = 16.0 / 60;
    static final long STEPS = 8;

    static DpSgdSiteClient site(DpSgdConfig dp) {
        return new DpSgdSiteClient("clinic", MODEL, TRAIN, TEST, 1.0, dp, NoiseSource.seeded(NOISE_SEED));
    }

    static FitTask task(LocalTerm term) {
        return new FitTask(1, "clinic", MODEL.init(3), term == null ? FIT : FIT.withTerms(List.of(term)));
    }

    /** A fit's update trained independently with the DP-SGD trainer, noise from the site's noise source. */
    static float[] dpTrained(FitConfig fit) {
        float[] params = MODEL.init(3).copyFlat();
        DpSgdTrainer.train(MODEL, params, TRAIN, fit, DP, NoiseSource.seeded(NOISE_SEED), new BatchCursor());
        return params;
    }

    @Test
    void dittoReturnsThePlainDpSgdUpdateAndTrainsThePersonalModelWithDpSgdUnderItsOwnSeed() {
        DpSgdSiteClient site = site(DP);
        ModelParameters global = MODEL.init(3);
        FitResult r = site.fit(task(new LocalTerm.Ditto(0.5)));
        assertArrayEquals(dpTrained(FIT), r.parameters().flat(), "the update is a plain DP-SGD fit's");
        long personalSeed = Seeds.substream(FIT.seed(), DpSgdTraining.PERSONAL_MODEL_KEY);
        float[] personal = site.personalParameters(global);
        assertArrayEquals(dpTrained(FIT.withSeed(personalSeed).withTerms(List.of(new LocalTerm.Proximal(0.5)))),
                personal, "the personal model: DP-SGD from the global model, pulled toward it, its own seed");
        assertFalse(Arrays.equals(dpTrained(FIT.withTerms(List.of(new LocalTerm.Proximal(0.5)))), personal),
                "the personal model does not reuse the global model's batches and noise");
        var metrics = site.evaluate(new EvalTask(1, "clinic", global)).metrics();
        assertTrue(metrics.containsKey("personal_log_loss"), metrics.toString());
    }

    @Test
    void aDittoFitComposesTwiceTheStepsOfAPlainFitAndFedPerAsManyAsAPlainFit() {
        double plainEpsilon = new RdpAccountant().step(Q, 1.3, STEPS).epsilon(1e-5).epsilon();
        double dittoEpsilon = new RdpAccountant().step(Q, 1.3, 2 * STEPS).epsilon(1e-5).epsilon();
        assertTrue(dittoEpsilon > plainEpsilon, dittoEpsilon + " vs " + plainEpsilon);
        assertEquals(plainEpsilon, site(DP).fit(task(null)).trainMetrics().get("dp_epsilon"), 0.0);
        assertEquals(plainEpsilon, site(DP).fit(task(new LocalTerm.Proximal(0.3))).trainMetrics().get("dp_epsilon"),
                0.0, "the proximal term costs nothing");
        assertEquals(plainEpsilon, site(DP).fit(task(new LocalTerm.PersonalLayers(List.of(1)))).trainMetrics()
                .get("dp_epsilon"), 0.0, "FedPer trains one model");
        DpSgdSiteClient ditto = site(DP);
        assertEquals(dittoEpsilon, ditto.fit(task(new LocalTerm.Ditto(0.5))).trainMetrics().get("dp_epsilon"), 0.0,
                "the global model's and the personal model's steps");
        assertEquals(2 * STEPS, ditto.accountant().steps());
    }

    @Test
    void aBudgetThatCoversOnePlainFitRefusesTheDittoFitBeforeTrainingAndSpendsNothing() {
        double plainEpsilon = new RdpAccountant().step(Q, 1.3, STEPS).epsilon(1e-5).epsilon();
        double dittoEpsilon = new RdpAccountant().step(Q, 1.3, 2 * STEPS).epsilon(1e-5).epsilon();
        DpSgdConfig capped = new DpSgdConfig(1.0, 1.3, BatchSampling.POISSON, 1e-5, (plainEpsilon + dittoEpsilon) / 2);
        DpSgdSiteClient site = site(capped);
        var e = assertThrows(PrivacyBudgetExhaustedException.class, () -> site.fit(task(new LocalTerm.Ditto(0.5))));
        assertTrue(e.getMessage().contains("site 'clinic'") && e.getMessage().contains("max_epsilon"), e.getMessage());
        assertEquals(0.0, site.privacySpent().epsilon());
        assertTrue(site.personalization().isEmpty(), "no personal model was kept");
        assertEquals(plainEpsilon, site.fit(task(null)).trainMetrics().get("dp_epsilon"), 0.0);
    }

    @Test
    void fedPerTrainsOneDpSgdModelKeepsItsHeadAndSendsTheGlobalHead() {
        LocalTerm.PersonalLayers fedPer = new LocalTerm.PersonalLayers(List.of(1));
        ParameterLayout.Entry head = MODEL.layout().entries().get(1);
        DpSgdSiteClient site = site(DP);
        ModelParameters global = MODEL.init(3);
        float[] sent = site.fit(task(fedPer)).parameters().flat();
        float[] plain = dpTrained(FIT);
        float[] personal = site.personalParameters(global);
        for (int i = 0; i < sent.length; i++) {
            boolean inHead = i >= head.offset() && i < head.offset() + head.size();
            assertEquals(inHead ? global.flat()[i] : plain[i], sent[i], 0.0, "sent parameter " + i);
            assertEquals(inHead ? plain[i] : global.flat()[i], personal[i], 0.0,
                    "personal parameter " + i + " (the kept head beside the global body)");
        }
    }
}
