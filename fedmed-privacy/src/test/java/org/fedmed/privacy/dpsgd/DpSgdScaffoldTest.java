package org.fedmed.privacy.dpsgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.privacy.NoiseSource;
import org.junit.jupiter.api.Test;

/** A DP-SGD site keeps no SCAFFOLD control variate, so it refuses a SCAFFOLD fit before training. */
class DpSgdScaffoldTest {

    private static final LabeledData TRAIN = Blobs.of(60, 4, 5);
    private static final Model MODEL = Models.build(ModelSpec.logistic(), 4, 2);

    @Test
    void aScaffoldFitIsRefusedNamingTheSiteAndTheTermAndSpendsNothing() {
        DpSgdSiteClient site = new DpSgdSiteClient("clinic", MODEL, TRAIN, Blobs.of(20, 4, 6), 1.0,
                DpSgdConfig.of(1.0, 1.3, 1e-5), NoiseSource.seeded(1));
        LocalTerm term = new LocalTerm.ControlVariates();
        FitConfig fit = new FitConfig(1, 16, 0.1, false, 3).withTerms(List.of(term));
        FitTask task = new FitTask(1, "clinic", MODEL.init(3), fit,
                Map.of(LocalTerm.ControlVariates.SERVER_CONTROL, MODEL.init(4)));
        var e = assertThrows(IllegalArgumentException.class, () -> site.fit(task));
        assertTrue(e.getMessage().contains("site 'clinic'") && e.getMessage().contains(term.describe())
                && e.getMessage().contains("SCAFFOLD"), e.getMessage());
        assertEquals(0.0, site.privacySpent().epsilon());
    }
}
