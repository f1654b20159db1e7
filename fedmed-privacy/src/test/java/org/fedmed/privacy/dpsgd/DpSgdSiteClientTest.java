package org.fedmed.privacy.dpsgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.PrivacyBudgetExhaustedException;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;

class DpSgdSiteClientTest {

    private static final LabeledData TRAIN = Blobs.of(200, 4, 5);
    private static final LabeledData TEST = Blobs.of(50, 4, 6);
    private static final Model MODEL = Models.build(ModelSpec.logistic(), 4, 2);

    private static FitTask task(int round, ModelParameters global) {
        return new FitTask(round, "clinic", global, new FitConfig(2, 16, 0.1, true, 100 + round));
    }

    @Test
    void theSiteAccountComposesEveryFitAndMatchesTheDirectAccountantCall() {
        DpSgdConfig dp = DpSgdConfig.of(1.0, 1.3, 1e-5);
        DpSgdSiteClient site = new DpSgdSiteClient("clinic", MODEL, TRAIN, TEST, 1.0, dp, NoiseSource.seeded(1));
        ModelParameters global = MODEL.init(3);
        FitResult first = site.fit(task(1, global));
        FitResult second = site.fit(task(2, global));
        long stepsPerFit = 2 * 13;
        double q = 16.0 / 200;
        assertEquals(new RdpAccountant().step(q, 1.3, 2 * stepsPerFit).epsilon(1e-5), site.privacySpent());
        assertEquals(site.privacySpent().epsilon(), second.trainMetrics().get("dp_epsilon"));
        assertEquals(new RdpAccountant().step(q, 1.3, stepsPerFit).epsilon(1e-5).epsilon(),
                first.trainMetrics().get("dp_epsilon"));
        assertEquals(Set.of("dp_epsilon"), second.trainMetrics().keySet(), "the un-noised loss stays home");
        assertTrue(first.isDelta());
    }

    @Test
    void aFitThatWouldPassTheSiteCapIsRefusedBeforeTraining() {
        double q = 16.0 / 200;
        double oneFit = new RdpAccountant().step(q, 1.0, 26).epsilon(1e-5).epsilon();
        double twoFits = new RdpAccountant().step(q, 1.0, 52).epsilon(1e-5).epsilon();
        DpSgdConfig dp = new DpSgdConfig(1.0, 1.0, BatchSampling.POISSON, 1e-5, 0.5 * (oneFit + twoFits));
        DpSgdSiteClient site = new DpSgdSiteClient("clinic", MODEL, TRAIN, TEST, 1.0, dp, NoiseSource.seeded(1));
        site.fit(task(1, MODEL.init(1)));
        PrivacyBudgetExhaustedException e = assertThrows(PrivacyBudgetExhaustedException.class,
                () -> site.fit(task(2, MODEL.init(1))));
        assertTrue(e.getMessage().contains("clinic") && e.getMessage().contains("max_epsilon"), e.getMessage());
        assertEquals(oneFit, site.privacySpent().epsilon(), 1e-12);
    }

    @Test
    void aCoxModelIsRefusedBecauseItsLossIsPerRiskSetNotPerRow() {
        int n = 20;
        float[] labels = new float[2 * n];
        for (int r = 0; r < n; r++) {
            labels[2 * r] = r + 1;
            labels[2 * r + 1] = r % 2;
        }
        LabeledData rows = new LabeledData(java.util.Arrays.copyOf(TRAIN.features(), n * 4), labels, n, 4, 0,
                TRAIN.featureNames(), org.fedmed.core.objective.LabelLayout.TIME_AND_EVENT);
        Model cox = Models.build(org.fedmed.ml.survival.CoxSpec.breslow(), 4,
                org.fedmed.ml.survival.CoxMetrics.objective());
        DpSgdSiteClient site = new DpSgdSiteClient("clinic", cox, rows, rows, 1.0, DpSgdConfig.of(1.0, 1.3, 1e-5),
                NoiseSource.seeded(1));
        var e = assertThrows(IllegalStateException.class, () -> site.fit(new FitTask(1, "clinic", cox.init(1),
                new FitConfig(1, 8, 0.1, false, 1))));
        assertTrue(e.getMessage().contains("DP-SGD clips each example's gradient, but objective survival has a loss per"
                + " risk set, not per row"), e.getMessage());
    }
}
