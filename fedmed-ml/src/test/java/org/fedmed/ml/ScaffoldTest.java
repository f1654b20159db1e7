package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.Scaffold;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.junit.jupiter.api.Test;

/**
 * SCAFFOLD end to end in process: the server's {@link Scaffold} strategy with {@link TrainingSiteClient}s that keep
 * their control variates, against a hand computation, across a resume, and the refusals of a site that cannot train it.
 */
class ScaffoldTest {

    /** Logistic regression on one feature: parameters [w, b]. */
    static final Model LOGISTIC_1 = Models.build(ModelSpec.logistic(), 1, 2);
    /** Site a: x = [1, 2], y = [1, 0]. */
    static final LabeledData A = new LabeledData(new float[] {1f, 2f}, new float[] {1f, 0f}, 2, 1, 2, List.of("x"));
    /** Site b: x = [-1, 0.5, 2], y = [1, 1, 0]. */
    static final LabeledData B = new LabeledData(new float[] {-1f, 0.5f, 2f}, new float[] {1f, 1f, 0f}, 3, 1, 2,
            List.of("x"));

    /**
     * SCAFFOLD option II by hand (sigma the logistic function, g_i(w, b) = 1/n_i sum (sigma(w x + b) - y) [x, 1], full
     * batch, K = 2 steps at lr = 0.5, N = 2, both sites every round, Delta y weighted 2 : 3 by sample count, eta_g = 1),
     * from x = [0.2, -0.1], c = c_a = c_b = 0; each local step is y <- y - lr (g_i(y) - c_i + c), then
     * c_i+ = c_i - c + (x - y) / (K lr), x <- x + (2 dy_a + 3 dy_b) / 5, c <- c + (dc_a + dc_b) / 2:
     * <pre>
     * round 1 (c = c_i = 0, so the steps are FedAvg's):
     *   y_a = [-0.079916706, -0.115166570]   c_a = [0.279916706,  0.015166570]
     *   y_b = [-0.242890065,  0.071592691]   c_b = [0.442890065, -0.171592691]
     *   x = [-0.177700722, -0.003111013]     c = [0.361403386, -0.078213061]
     * round 2 (the correction c - c_i is on):
     *   y_a = [-0.379378983,  0.167371525]   c_a = [0.120191582, -0.077102908]
     *   y_b = [-0.411280701,  0.094605580]   c_b = [0.315066659, -0.191096224]
     *   x = [-0.398520014,  0.123711958]     c = [0.217629121, -0.134099566]
     * </pre>
     */
    @Test
    void twoRoundsEqualTheHandComputedUpdateIncludingCAndEachSitesControlVariate() throws Exception {
        TrainingSiteClient a = new TrainingSiteClient("a", LOGISTIC_1, A, A, 1);
        TrainingSiteClient b = new TrainingSiteClient("b", LOGISTIC_1, B, B, 1);
        Scaffold scaffold = scaffold(SiteSelection.all(2), 1.0, LocalWork.steps(2), 3, 0.5, 2);
        ModelParameters x = params(0.2f, -0.1f);

        x = round(scaffold, 1, x, List.of(a, b), 11);
        assertClose(new double[] {-0.177700722, -0.003111013}, x.flat(), "x after round 1");
        assertClose(new double[] {0.361403386, -0.078213061}, scaffold.control(2), "c after round 1");
        assertClose(new double[] {0.279916706, 0.015166570}, a.controlVariate(), "c_a after round 1");
        assertClose(new double[] {0.442890065, -0.171592691}, b.controlVariate(), "c_b after round 1");

        x = round(scaffold, 2, x, List.of(a, b), 11);
        assertClose(new double[] {-0.398520014, 0.123711958}, x.flat(), "x after round 2");
        assertClose(new double[] {0.217629121, -0.134099566}, scaffold.control(2), "c after round 2");
        assertClose(new double[] {0.120191582, -0.077102908}, a.controlVariate(), "c_a after round 2");
        assertClose(new double[] {0.315066659, -0.191096224}, b.controlVariate(), "c_b after round 2");
    }

    @Test
    void aSiteSendsItsControlVariatesChangeAndTheTaskCarriesC() {
        TrainingSiteClient a = new TrainingSiteClient("a", LOGISTIC_1, A, A, 1);
        Scaffold scaffold = scaffold(SiteSelection.all(1), 1.0, LocalWork.steps(2), 3, 0.5, 1);
        RoundContext ctx = new RoundContext(1, params(0.2f, -0.1f), List.of("a"), 11);
        FitTask task = scaffold.configureFit(ctx).getFirst();
        assertEquals(List.of(new LocalTerm.ControlVariates()), task.config().terms());
        assertArrayEquals(new float[2], task.auxiliary().get(LocalTerm.ControlVariates.SERVER_CONTROL).flat());
        FitResult r = a.fit(task);
        assertClose(new double[] {0.279916706, 0.015166570},
                r.auxiliary().get(LocalTerm.ControlVariates.CONTROL_DELTA).flat(), "Delta c_a in round 1");
        assertClose(new double[] {-0.279916706, -0.015166570}, r.parameters().flat(), "Delta y_a in round 1");
    }

    /** Three sites, two per round, minibatch local steps and a server learning rate that keeps optimizer state. */
    @Test
    void aRunResumedFromTheStateAfterFourRoundsEqualsAnUninterruptedRunBitForBit() throws Exception {
        List<LabeledData> data = List.of(SyntheticData.blobs(40, 4, 2, 1), SyntheticData.blobs(55, 4, 2, 2),
                SyntheticData.blobs(30, 4, 2, 3));
        Model model = Models.build(ModelSpec.logistic(), 4, 2);
        ModelParameters init = model.init(5);

        List<TrainingSiteClient> sitesA = sites(model, data);
        Scaffold first = scaffold(SiteSelection.count(2, 2), 0.7, LocalWork.steps(5), 8, 0.1, 3);
        ModelParameters x = init;
        for (int r = 1; r <= 4; r++) {
            x = round(first, r, x, sitesA, 99);
        }
        StrategyState state = first.state();
        assertTrue(state.vectors().containsKey(Scaffold.STATE_C), "state holds " + state.vectors().keySet());
        assertTrue(state.values().containsKey("server_optimizer.steps"), "state holds " + state.values().keySet());
        Scaffold resumed = scaffold(SiteSelection.count(2, 2), 0.7, LocalWork.steps(5), 8, 0.1, 3);
        resumed.restore(state);
        Scaffold notRestored = scaffold(SiteSelection.count(2, 2), 0.7, LocalWork.steps(5), 8, 0.1, 3);
        ModelParameters atFour = x;
        for (int r = 5; r <= 6; r++) {
            x = round(resumed, r, x, sitesA, 99);
        }

        List<TrainingSiteClient> sitesB = sites(model, data);
        Scaffold whole = scaffold(SiteSelection.count(2, 2), 0.7, LocalWork.steps(5), 8, 0.1, 3);
        ModelParameters y = init;
        for (int r = 1; r <= 6; r++) {
            y = round(whole, r, y, sitesB, 99);
        }
        assertArrayEquals(y.flat(), x.flat(), "global model after 6 rounds");
        assertArrayEquals(whole.control(y.size()), resumed.control(x.size()), "c after 6 rounds");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(sitesB.get(i).controlVariate(), sitesA.get(i).controlVariate(), "c_" + i);
        }

        // control: without the restored c the same sites continue to another model
        List<TrainingSiteClient> sitesC = sites(model, data);
        Scaffold replay = scaffold(SiteSelection.count(2, 2), 0.7, LocalWork.steps(5), 8, 0.1, 3);
        ModelParameters z = init;
        for (int r = 1; r <= 4; r++) {
            z = round(replay, r, z, sitesC, 99);
        }
        assertArrayEquals(atFour.flat(), z.flat());
        for (int r = 5; r <= 6; r++) {
            z = round(notRestored, r, z, sitesC, 99);
        }
        assertFalse(Arrays.equals(y.flat(), z.flat()), "a fresh strategy without the state must differ");
    }

    @Test
    void anUpdateWithoutDeltaCIsRefusedAndLeavesTheAggregateUntouched() throws Exception {
        Scaffold scaffold = scaffold(SiteSelection.all(1), 1.0, LocalWork.steps(2), 3, 0.5, 2);
        ModelParameters x = params(0.2f, -0.1f);
        RoundContext ctx = new RoundContext(1, x, List.of("a", "b"), 11);
        TrainingSiteClient a = new TrainingSiteClient("a", LOGISTIC_1, A, A, 1);
        FitTask task = scaffold.configureFit(ctx).getFirst();
        FitResult good = a.fit(task);
        Aggregator agg = scaffold.newAggregator(ctx);
        FitResult plain = new FitResult("b", "r1-fit-b", params(5f, 5f), true, 3, 1, Map.of());
        UpdateRejectedException e = assertThrows(UpdateRejectedException.class, () -> agg.accept(plain));
        assertTrue(e.getMessage().contains("scaffold.delta_c"), e.getMessage());
        Map<String, ModelParameters> nan = new LinkedHashMap<>();
        nan.put(LocalTerm.ControlVariates.CONTROL_DELTA, params(Float.NaN, 0f));
        FitResult bad = new FitResult("b", "r1-fit-b", params(5f, 5f), true, 3, 1, Map.of(), nan);
        e = assertThrows(UpdateRejectedException.class, () -> agg.accept(bad));
        assertTrue(e.getMessage().contains("auxiliary vector 'scaffold.delta_c'"), e.getMessage());
        agg.accept(good);
        assertEquals(1, agg.accepted());
        ModelParameters next = agg.result();
        assertClose(new double[] {-0.079916706, -0.115166570}, next.flat(), "x is site a's model alone");
        assertClose(new double[] {0.279916706 / 2, 0.015166570 / 2}, scaffold.control(2), "c = c + dc_a / N");
    }

    @Test
    void anUpdateRefusedLateForANonFiniteDeltaYLeavesItsDeltaCOutOfTheServerControlVariate() throws Exception {
        Scaffold scaffold = scaffold(SiteSelection.all(1), 1.0, LocalWork.steps(2), 3, 0.5, 2);
        ModelParameters x = params(0.2f, -0.1f);
        RoundContext ctx = new RoundContext(1, x, List.of("a", "b"), 11);
        TrainingSiteClient a = new TrainingSiteClient("a", LOGISTIC_1, A, A, 1);
        FitResult good = a.fit(scaffold.configureFit(ctx).getFirst());
        Map<String, ModelParameters> dc = new LinkedHashMap<>();
        dc.put(LocalTerm.ControlVariates.CONTROL_DELTA, params(100f, 100f)); // finite: only Delta y is bad
        FitResult bad = new FitResult("b", "r1-fit-b", params(Float.NaN, 5f), true, 3, 1, Map.of(), dc);
        Aggregator agg = scaffold.newAggregator(ctx);
        agg.accept(bad); // held unread by the weighted mean: checked when its group is folded
        agg.accept(good);
        assertEquals(java.util.Set.of("b", "a"), agg.unsettled());
        List<UpdateRejectedException> late = agg.close();
        assertEquals(List.of("b"), late.stream().map(UpdateRejectedException::siteId).toList());
        assertEquals(1, agg.accepted());
        ModelParameters next = agg.result();
        assertClose(new double[] {-0.079916706, -0.115166570}, next.flat(), "x is site a's model alone");
        assertClose(new double[] {0.279916706 / 2, 0.015166570 / 2}, scaffold.control(2), "c = c + dc_a / N, not b's");
    }

    @Test
    void aSiteWhoseModelTrainsWithAdamRefusesTheFitNamingTheTerm() {
        Model adam = Models.build(ModelSpec.logistic().withOptimizer(OptimizerSpec.adam()), 1, 2);
        TrainingSiteClient site = new TrainingSiteClient("a", adam, A, A, 1);
        Scaffold scaffold = scaffold(SiteSelection.all(1), 1.0, LocalWork.steps(2), 3, 0.5, 1);
        FitTask task = scaffold.configureFit(new RoundContext(1, params(0.2f, -0.1f), List.of("a"), 11)).getFirst();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> site.fit(task));
        assertTrue(e.getMessage().contains("local term 'scaffold'") && e.getMessage().contains("plain local SGD"),
                e.getMessage());
        assertArrayEquals(new float[2], site.controlVariate(), "a refused fit leaves c_i untouched");
    }

    @Test
    void aScaffoldFitWithoutTheServerControlVariateIsRefused() {
        TrainingSiteClient site = new TrainingSiteClient("a", LOGISTIC_1, A, A, 1);
        FitConfig config = new FitConfig(LocalWork.steps(2), 3, 0.5, true, 7)
                .withTerms(List.of(new LocalTerm.ControlVariates()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> site.fit(new FitTask(1, "a", params(0.2f, -0.1f), config)));
        assertTrue(e.getMessage().contains("no server control variate 'scaffold.c'"), e.getMessage());
    }

    @Test
    void aScaffoldFitWithAPersonalizationIsRefused() {
        TrainingSiteClient site = new TrainingSiteClient("a", LOGISTIC_1, A, A, 1);
        Scaffold scaffold = scaffold(SiteSelection.all(1), 1.0, LocalWork.steps(2), 3, 0.5, 1);
        FitTask plain = scaffold.configureFit(new RoundContext(1, params(0.2f, -0.1f), List.of("a"), 11)).getFirst();
        List<LocalTerm> terms = new ArrayList<>(plain.config().terms());
        terms.add(new LocalTerm.Ditto(0.5));
        FitTask both = new FitTask(1, "a", plain.global(), plain.config().withTerms(terms), plain.auxiliary());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> site.fit(both));
        assertTrue(e.getMessage().contains("together with a personalization"), e.getMessage());
        assertArrayEquals(new float[2], site.controlVariate(), "a refused fit leaves c_i untouched");
    }

    @Test
    void aTrainerWithoutAControlVariateRefusesTheTerm() {
        FitConfig config = new FitConfig(LocalWork.steps(2), 3, 0.5, true, 7)
                .withTerms(List.of(new LocalTerm.ControlVariates()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(LOGISTIC_1, new float[] {0.2f, -0.1f}, A, config));
        assertTrue(e.getMessage().contains("'scaffold v1 []'"), e.getMessage());
    }

    static Scaffold scaffold(SiteSelection selection, double serverLr, LocalWork work, int batch, double lr,
                             int population) {
        FitConfig fit = new FitConfig(work, batch, lr, true, 7);
        return new Scaffold(new FederatedAveraging("scaffold", SiteWeighting.SAMPLE_COUNT, selection, fit,
                ServerOptimizerSettings.sgd(serverLr), 0), population);
    }

    static List<TrainingSiteClient> sites(Model model, List<LabeledData> data) {
        List<TrainingSiteClient> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            out.add(new TrainingSiteClient("s" + i, model, data.get(i), data.get(i), 1));
        }
        return out;
    }

    /** One round in process: the strategy's fit tasks, each site's fit, the aggregate. */
    static ModelParameters round(org.fedmed.core.strategy.Strategy s, int round, ModelParameters global,
                                 List<TrainingSiteClient> sites, long seed) throws UpdateRejectedException {
        Map<String, TrainingSiteClient> byId = new LinkedHashMap<>();
        sites.forEach(c -> byId.put(c.siteId(), c));
        RoundContext ctx = new RoundContext(round, global, List.copyOf(byId.keySet()), seed);
        List<FitTask> tasks = s.configureFit(ctx);
        Aggregator agg = s.newAggregator(ctx);
        for (FitTask t : tasks) {
            agg.accept(byId.get(t.siteId()).fit(t));
        }
        return agg.result();
    }

    static ModelParameters params(float w, float b) {
        return ModelParameters.ofFlat(LOGISTIC_1.layout(), new float[] {w, b});
    }

    static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, what + ", coordinate " + i);
        }
    }
}
