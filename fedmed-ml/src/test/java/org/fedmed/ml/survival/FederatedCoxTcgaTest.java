package org.fedmed.ml.survival;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.Strategy;
import org.junit.jupiter.api.Test;

/**
 * Federated Cox regression over TCGA-BRCA's six regions through the real round engine and FedAvg family, following
 * FLamby's Fed-TCGA-BRCA benchmark protocol ({@code flamby/datasets/fed_tcga_brca/common.py},
 * {@code flamby/config_tcga_brca.json}, {@code flamby/benchmarks/fed_benchmark.py}): the linear Cox model on the 39
 * unscaled features, FLamby's per-batch loss, batches of 8, 100 local steps per round that continue each site's data
 * order, {@code get_nb_max_rounds(100) = (866 // 6 // 8) * 30 // 100 = 5} rounds, FedAvg with local SGD at lr 0.1,
 * and FedAdam with local SGD at lr 0.01 and server Adam at lr 0.1 (beta1 0.9, beta2 0.999, tau 1e-8). The C-index
 * is lifelines' on each site's test rows; "pooled within sites" sums the sites' pair counts, and "union" is
 * FLamby's "Pooled Test", lifelines' C-index over all test rows together (computable here only because the test
 * holds every site's rows). Needs {@code tcga-brca} in {@code FEDMED_DATA} and fails without it.
 */
class FederatedCoxTcgaTest {

    private static final int ROUNDS = 5;
    private static final int LOCAL_STEPS = 100;
    private static final int BATCH = 8;

    @Test
    void sitesHoldFlambysPerCenterTrainAndTestSizes() {
        List<TcgaBrca.Site> sites = TcgaBrca.load();
        int[] train = new int[TcgaBrca.SITES];
        int[] test = new int[TcgaBrca.SITES];
        int events = 0;
        for (int k = 0; k < TcgaBrca.SITES; k++) {
            train[k] = sites.get(k).train().rows();
            test[k] = sites.get(k).test().rows();
            events += sites.get(k).train().eventCount() + sites.get(k).test().eventCount();
        }
        assertArrayEquals(new int[] {248, 156, 164, 129, 129, 40}, train);
        assertArrayEquals(new int[] {63, 40, 42, 33, 33, 11}, test);
        assertTrue(events > 100 && events <= 151, events + " events among the 1088 patients of the split");
    }

    record Outcome(ModelParameters model, double[] perSite, ConcordanceCounts withinSites, double union) {
    }

    private static Outcome run(Strategy strategy, long seed) {
        List<TcgaBrca.Site> data = TcgaBrca.load();
        CoxModel model = new CoxModel(CoxSpec.flamby(), 39);
        List<CoxSiteClient> sites = new ArrayList<>();
        for (TcgaBrca.Site s : data) {
            sites.add(new CoxSiteClient(s.id(), model, s.train(), s.test()));
        }
        RunResult result;
        try (InProcessSitePool pool = new InProcessSitePool(sites, 2)) {
            EngineConfig engine = new EngineConfig(StoppingRule.rounds(ROUNDS), Duration.ofMinutes(5), ROUNDS,
                    CoxSiteClient.COX_LOSS, 1, seed);
            result = new RoundEngine(strategy, pool, engine, null).run(model.init());
        }
        assertEquals(ROUNDS, result.rounds().size(), result.stopDetail());
        float[] beta = result.finalModel().flat();
        double[] perSite = new double[data.size()];
        List<ConcordanceCounts> counts = new ArrayList<>();
        List<SurvivalData> tests = new ArrayList<>();
        for (int k = 0; k < data.size(); k++) {
            ConcordanceCounts c = ConcordanceIndex.counts(model, beta, data.get(k).test());
            perSite[k] = c.cIndex();
            counts.add(c);
            tests.add(data.get(k).test());
        }
        double union = ConcordanceIndex.counts(model, beta, SurvivalData.concat(tests)).cIndex();
        return new Outcome(result.finalModel(), perSite, ConcordanceCounts.sum(counts), union);
    }

    private static FitConfig fit(double lr) {
        return new FitConfig(LocalWork.steps(LOCAL_STEPS), BATCH, lr, false, 0);
    }

    private static Strategy fedAvg() {
        return new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(TcgaBrca.SITES), fit(0.1), 1.0);
    }

    private static Strategy fedAdam() {
        return new FederatedAveraging("fedadam", SiteWeighting.SAMPLE_COUNT, SiteSelection.all(TcgaBrca.SITES),
                fit(0.01), new ServerOptimizerSettings(ServerOptimizerSettings.Kind.ADAM, 0.1, 0, 0.9, 0.999, 1e-8),
                0);
    }

    /** Five seeds, as FLamby's results (seeds 42 to 46); prints each run and the mean and sd over them. */
    private static double[][] fiveSeeds(String name, java.util.function.Supplier<Strategy> strategy) {
        double[] within = new double[5];
        double[] union = new double[5];
        for (int i = 0; i < 5; i++) {
            long seed = 42 + i;
            long start = System.nanoTime();
            Outcome o = run(strategy.get(), seed);
            report(name, seed, o, (System.nanoTime() - start) / 1e6);
            within[i] = o.withinSites().cIndex();
            union[i] = o.union();
        }
        System.out.printf(Locale.ROOT, "TCGA-BRCA %s over seeds 42-46: pooled within sites %.4f +/- %.4f, union"
                + " %.4f +/- %.4f%n", name, mean(within), sd(within), mean(union), sd(union));
        return new double[][] {within, union};
    }

    private static void report(String name, long seed, Outcome o, double millis) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "TCGA-BRCA %s seed %d: per-site C-index", name,
                seed));
        for (int k = 0; k < o.perSite().length; k++) {
            b.append(String.format(Locale.ROOT, " %s %.4f", TcgaBrca.REGIONS.get(k), o.perSite()[k]));
        }
        b.append(String.format(Locale.ROOT, "; pooled within sites %.4f (%d pairs); union %.4f; %.0f ms",
                o.withinSites().cIndex(), o.withinSites().pairs(), o.union(), millis));
        System.out.println(b);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The sample standard deviation (n - 1), as FLamby's plots and pandas give it. */
    private static double sd(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    @Test
    void fedAvgOfCoxCoefficientsIsReproducibleFromItsSeed() {
        Outcome a = run(fedAvg(), 42);
        Outcome b = run(fedAvg(), 42);
        assertEquals(a.model(), b.model());
        assertEquals(List.of(CoxModel.WEIGHT), a.model().layout().entries().stream()
                .map(org.fedmed.core.ParameterLayout.Entry::name).toList());
        assertTrue(a.model().l2Norm() > 0, "training moved the coefficients");
    }

    @Test
    void fedAvgOverTheSixRegionsRanksTestPatientsOnAverageOverFiveSeeds() {
        // FLamby's FedAvg100 on Fed-TCGA-BRCA: Pooled Test 0.735 +/- 0.175 over its five seeds, one of them 0.42:
        // on unscaled features FedAvg at lr 0.1 is unstable from seed to seed, here as there
        double[][] c = fiveSeeds("FedAvg", FederatedCoxTcgaTest::fedAvg);
        assertTrue(mean(c[1]) > 0.6, "mean union C-index " + mean(c[1]));
        assertTrue(mean(c[0]) > 0.6, "mean pooled within-site C-index " + mean(c[0]));
    }

    @Test
    void fedAdamOverTheSixRegionsRanksTestPatientsStablyOverFiveSeeds() {
        // FLamby's FedAdam100: Pooled Test 0.842 +/- 0.017
        double[][] c = fiveSeeds("FedAdam", FederatedCoxTcgaTest::fedAdam);
        assertTrue(mean(c[1]) > 0.78, "mean union C-index " + mean(c[1]));
        assertTrue(mean(c[0]) > 0.78, "mean pooled within-site C-index " + mean(c[0]));
        assertTrue(sd(c[1]) < 0.05, "sd of the union C-index " + sd(c[1]));
    }
}
