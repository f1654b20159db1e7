package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.core.strategy.StrategyState;
import org.junit.jupiter.api.Test;

/**
 * A site whose process restarts in the middle of a run: a fresh {@link TrainingSiteClient} restored from the
 * {@link TrainingSiteClient#trainingState()} the old one had after its last fit trains on bit for bit as the old one
 * would have, for SCAFFOLD with local steps (c_i, a pending c_i and the batch order) and for FedPer and Ditto (the
 * personal model and Ditto's own batch order), including a round it had trained once that the server asks again.
 * A fresh client that is not restored lands elsewhere, so the comparison can fail.
 */
class TrainingStateRestoreTest {

    static final List<LabeledData> DATA = RoundRerunTest.DATA;
    static final Model MODEL = RoundRerunTest.MODEL;
    static final Model MLP = Models.build(ModelSpec.mlp(3), 4, 2);

    static Strategy scaffold() {
        return ScaffoldTest.scaffold(SiteSelection.all(3), 0.7, LocalWork.steps(5), 8, 0.1, 3);
    }

    static Strategy personalized(LocalTerm term, Model model) {
        return new FederatedAveraging("fedavg", SiteWeighting.SAMPLE_COUNT, SiteSelection.all(3),
                new FitConfig(LocalWork.steps(4), 8, 0.1, false, 3).withTerms(List.of(term)),
                ServerOptimizerSettings.sgd(1), 0);
    }

    /** The global model after 6 rounds and each site's personal model, all sites kept or site 1 replaced. */
    record Outcome(ModelParameters global, List<float[]> personal) {
    }

    interface Maker {
        Strategy make();
    }

    /**
     * Six rounds. With {@code restart}, site 1's process dies after it trained round 4, which the server (killed too)
     * never recorded, and comes back from the state it wrote after that fit; the server resumes from round 3.
     * With {@code restore} false the new site process starts from nothing instead.
     */
    static Outcome run(Maker maker, Model model, boolean restart, boolean restore) throws Exception {
        List<TrainingSiteClient> sites = new ArrayList<>(ScaffoldTest.sites(model, DATA));
        Strategy server = maker.make();
        ModelParameters x = model.init(5);
        for (int r = 1; r <= 3; r++) {
            x = ScaffoldTest.round(server, r, x, sites, 99);
        }
        if (restart) {
            StrategyState afterThree = server.state();
            ScaffoldTest.round(server, 4, x, sites, 99);
            StrategyState written = sites.get(1).trainingState();
            TrainingSiteClient back = new TrainingSiteClient("s1", model, DATA.get(1), DATA.get(1), 1);
            if (restore) {
                back.restoreTrainingState(written);
            }
            sites.set(1, back);
            server = maker.make();
            server.restore(afterThree);
        }
        for (int r = 4; r <= 6; r++) {
            x = ScaffoldTest.round(server, r, x, sites, 99);
        }
        List<float[]> personal = new ArrayList<>();
        for (TrainingSiteClient s : sites) {
            personal.add(s.personalParameters(x));
        }
        return new Outcome(x, personal);
    }

    static void assertRestartIsInvisible(Maker maker, Model model) throws Exception {
        Outcome whole = run(maker, model, false, false);
        Outcome restored = run(maker, model, true, true);
        Outcome forgotten = run(maker, model, true, false);
        assertArrayEquals(whole.global().flat(), restored.global().flat(), "global model, bit for bit");
        for (int i = 0; i < whole.personal().size(); i++) {
            assertArrayEquals(whole.personal().get(i), restored.personal().get(i), "site " + i + "'s personal model");
        }
        assertFalse(Arrays.equals(whole.global().flat(), forgotten.global().flat()),
                "a site that comes back without its state changes the run");
    }

    @Test
    void aScaffoldSiteRestoredFromItsStateRetrainsTheLostRoundAndEndsBitForBit() throws Exception {
        assertRestartIsInvisible(TrainingStateRestoreTest::scaffold, MODEL);
    }

    @Test
    void aDittoSiteRestoredFromItsStateKeepsItsPersonalModelBitForBit() throws Exception {
        assertRestartIsInvisible(() -> personalized(new LocalTerm.Ditto(0.5), MODEL), MODEL);
    }

    @Test
    void aFedPerSiteRestoredFromItsStateKeepsItsHeadBitForBit() throws Exception {
        Maker fedPer = () -> personalized(new LocalTerm.PersonalLayers(List.of(2, 3)), MLP);
        assertRestartIsInvisible(fedPer, MLP);
        Outcome restored = run(fedPer, MLP, true, true);
        Outcome forgotten = run(fedPer, MLP, true, false);
        assertFalse(Arrays.equals(restored.personal().get(1), forgotten.personal().get(1)),
                "without its state the site's head would be another");
    }

    @Test
    void theStateNamesWhatItHolds() throws Exception {
        List<TrainingSiteClient> sites = ScaffoldTest.sites(MODEL, DATA);
        Strategy s = scaffold();
        ModelParameters x = MODEL.init(5);
        x = ScaffoldTest.round(s, 1, x, sites, 99);
        ScaffoldTest.round(s, 2, x, sites, 99);
        StrategyState state = sites.getFirst().trainingState();
        assertEquals(java.util.Set.of("scaffold.c_i", "scaffold.c_i_pending"), state.vectors().keySet());
        assertEquals("2", state.values().get("scaffold.c_i_pending_round"));
        assertEquals("40", state.values().get("training.cursor.rows"));
        // round 1 started before the cursor did; round 2 after one pass of 40 rows (5 steps of 8)
        assertEquals("1:0:0;2:1:40", state.values().get("training.round_starts"));
        assertArrayEquals(sites.getFirst().controlVariate(), state.vectors().get("scaffold.c_i_pending"));
    }

    @Test
    void aSiteThatTrainsEveryRoundAlikeKeepsItsRoundMarksAtOneSizeAndRestoresThem() throws Exception {
        List<TrainingSiteClient> sites = ScaffoldTest.sites(MODEL, DATA);
        Strategy s = scaffold();
        ModelParameters x = MODEL.init(5);
        for (int r = 1; r <= 30; r++) {
            x = ScaffoldTest.round(s, r, x, sites, 99);
        }
        // 40 rows, 5 steps of 8: one whole pass a round, so rounds 2..30 are one run
        StrategyState state = sites.getFirst().trainingState();
        assertEquals("1:0:0;2:1:40x28+1:1:0", state.values().get("training.round_starts"));
        for (TrainingSiteClient site : sites) {
            StrategyState written = site.trainingState();
            TrainingSiteClient back = new TrainingSiteClient(site.siteId(), MODEL, DATA.get(sites.indexOf(site)),
                    DATA.get(sites.indexOf(site)), 1);
            back.restoreTrainingState(written);
            assertEquals(written.values(), back.trainingState().values(), site.siteId());
        }
    }

    @Test
    void aStateOfAnotherRowCountOrModelIsRefusedNamingWhatDiffers() throws Exception {
        List<TrainingSiteClient> sites = ScaffoldTest.sites(MODEL, DATA);
        ScaffoldTest.round(scaffold(), 1, MODEL.init(5), sites, 99);
        StrategyState of40 = sites.getFirst().trainingState();
        TrainingSiteClient other = new TrainingSiteClient("s1", MODEL, DATA.get(1), DATA.get(1), 1);
        var rows = assertThrows(IllegalArgumentException.class, () -> other.restoreTrainingState(of40));
        assertTrue(rows.getMessage().contains("orders 40 training rows, but this site has 55"), rows.getMessage());

        StrategyState longer = new StrategyState(Map.of("scaffold.c_i", new float[7]), Map.of());
        var size = assertThrows(IllegalArgumentException.class,
                () -> new TrainingSiteClient("s1", MODEL, DATA.get(1), DATA.get(1), 1).restoreTrainingState(longer));
        assertEquals("training state vector 'scaffold.c_i' holds 7 values but the model has 5", size.getMessage());

        var trained = assertThrows(IllegalStateException.class, () -> sites.getFirst().restoreTrainingState(of40));
        assertTrue(trained.getMessage().contains("has trained already"), trained.getMessage());
    }
}
