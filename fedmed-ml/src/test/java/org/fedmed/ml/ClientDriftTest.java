package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.Scaffold;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.Strategy;
import org.junit.jupiter.api.Test;

/**
 * Client drift on a strongly non-IID partition, measured for FedAvg, FedProx and SCAFFOLD with the same seeds: each
 * round, the mean over sites of the distance {@code ||y_i - x||} of a site's local model from the global model it
 * started from, and the mean spread {@code ||Delta y_i - mean Delta y||} of the sites' updates around their mean. The
 * figures are printed (and written in docs/benchmarks.md); the test asserts only what the measurement shows.
 */
class ClientDriftTest {

    static final int SITES = 8;
    static final int ROUNDS = 30;
    static final int FEATURES = 5;
    static final FitConfig FIT = new FitConfig(LocalWork.steps(20), 8, 0.1, true, 3);
    static final double PROX_MU = 0.5;

    /**
     * Eight sites with label skew and covariate shift: site i has 90% of one class (class i mod 2), its features are
     * the class centre (+-1 along every axis) plus N(0, 1) noise plus a site offset N(0, 1) per axis; 30 to 89 rows.
     */
    static List<LabeledData> skewedSites(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<LabeledData> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < FEATURES; j++) {
            names.add("x" + j);
        }
        for (int s = 0; s < SITES; s++) {
            int rows = 30 + rng.nextInt(60);
            double[] offset = new double[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                offset[j] = gaussian(rng);
            }
            float[] x = new float[rows * FEATURES];
            float[] y = new float[rows];
            for (int r = 0; r < rows; r++) {
                int label = rng.nextDouble() < 0.9 ? s % 2 : 1 - s % 2;
                y[r] = label;
                for (int j = 0; j < FEATURES; j++) {
                    x[r * FEATURES + j] = (float) ((label == 1 ? 1 : -1) + gaussian(rng) + offset[j]);
                }
            }
            out.add(new LabeledData(x, y, rows, FEATURES, 2, names));
        }
        return out;
    }

    record Measured(String name, double[] distance, double[] spread, double[] pooledLogLoss, double pooledAccuracy) {
        double meanOver(double[] v, int from, int to) {
            double s = 0;
            for (int r = from; r <= to; r++) {
                s += v[r - 1];
            }
            return s / (to - from + 1);
        }
    }

    @Test
    void clientDriftOfFedAvgFedProxAndScaffoldOnALabelSkewedPartition() throws Exception {
        List<LabeledData> data = skewedSites(2024);
        Model model = Models.build(ModelSpec.logistic(), FEATURES, 2);
        ModelParameters init = model.init(7);
        List<Measured> all = new ArrayList<>();
        all.add(run("fedavg", fedAvg(FIT), model, init, data));
        all.add(run("fedprox", fedAvg(FIT.withTerms(List.of(new LocalTerm.Proximal(PROX_MU)))), model, init, data));
        all.add(run("scaffold", new Scaffold(fedAvg(FIT), SITES), model, init, data));

        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "client drift, %d sites, %d rounds, %s, batch %d, lr %s, prox_mu %s%n", SITES, ROUNDS,
                FIT.work().describe(), FIT.batchSize(), FIT.learningRate(), PROX_MU));
        table.append("strategy  | ||y_i - x|| r1  r1-5  r26-30 | spread r1  r26-30 | pooled log_loss r1  r30 | acc r30\n");
        for (Measured m : all) {
            table.append(String.format(Locale.ROOT, "%-9s | %.4f %.4f %.4f | %.4f %.4f | %.4f %.4f | %.3f%n", m.name(),
                    m.distance()[0], m.meanOver(m.distance(), 1, 5), m.meanOver(m.distance(), 26, 30),
                    m.spread()[0], m.meanOver(m.spread(), 26, 30), m.pooledLogLoss()[0],
                    m.pooledLogLoss()[ROUNDS - 1], m.pooledAccuracy()));
        }
        System.out.println(table);

        for (Measured m : all) {
            assertTrue(m.pooledLogLoss()[ROUNDS - 1] < 0.8 * m.pooledLogLoss()[0], m.name() + " did not converge\n"
                    + table);
            assertTrue(m.pooledAccuracy() > 0.8, m.name() + "'s pooled accuracy\n" + table);
        }
        Measured fedAvg = all.get(0);
        Measured fedProx = all.get(1);
        Measured scaffold = all.get(2);
        // round 1: c = c_i = 0, so SCAFFOLD's sites train exactly as FedAvg's
        assertEquals(fedAvg.distance()[0], scaffold.distance()[0], "round 1\n" + table);
        // the ordering the measurement shows, on this seed and on seeds 7 and 31337 alike (docs/benchmarks.md)
        double avgLate = fedAvg.meanOver(fedAvg.distance(), 26, 30);
        double proxLate = fedProx.meanOver(fedProx.distance(), 26, 30);
        double scaffoldLate = scaffold.meanOver(scaffold.distance(), 26, 30);
        assertTrue(scaffoldLate < proxLate && proxLate < avgLate,
                "late drift ||y_i - x||: SCAFFOLD < FedProx < FedAvg\n" + table);
        assertTrue(scaffold.meanOver(scaffold.spread(), 26, 30) < fedProx.meanOver(fedProx.spread(), 26, 30)
                        && fedProx.meanOver(fedProx.spread(), 26, 30) < fedAvg.meanOver(fedAvg.spread(), 26, 30),
                "late spread of the updates: SCAFFOLD < FedProx < FedAvg\n" + table);
    }

    static FederatedAveraging fedAvg(FitConfig fit) {
        return new FederatedAveraging("fedavg", SiteWeighting.SAMPLE_COUNT, SiteSelection.all(SITES), fit,
                ServerOptimizerSettings.sgd(1.0), 0);
    }

    static Measured run(String name, Strategy strategy, Model model, ModelParameters init, List<LabeledData> data)
            throws Exception {
        Map<String, TrainingSiteClient> sites = new LinkedHashMap<>();
        for (int i = 0; i < data.size(); i++) {
            sites.put("s" + i, new TrainingSiteClient("s" + i, model, data.get(i), data.get(i), 1));
        }
        LabeledData pooled = LabeledData.concat(data);
        TrainingSiteClient evaluator = new TrainingSiteClient("pooled", model, pooled, pooled, 1);
        double[] distance = new double[ROUNDS];
        double[] spread = new double[ROUNDS];
        double[] loss = new double[ROUNDS];
        ModelParameters x = init;
        for (int r = 1; r <= ROUNDS; r++) {
            RoundContext ctx = new RoundContext(r, x, List.copyOf(sites.keySet()), 42);
            Aggregator agg = strategy.newAggregator(ctx);
            List<float[]> deltas = new ArrayList<>();
            for (FitTask t : strategy.configureFit(ctx)) {
                FitResult result = sites.get(t.siteId()).fit(t);
                deltas.add(result.parameters().flat());
                agg.accept(result);
            }
            x = agg.result();
            float[] mean = new float[x.size()];
            for (float[] d : deltas) {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += d[i] / deltas.size();
                }
            }
            for (float[] d : deltas) {
                distance[r - 1] += norm(d, null) / deltas.size();
                spread[r - 1] += norm(d, mean) / deltas.size();
            }
            loss[r - 1] = evaluator.metrics(x.flat()).get(ClassificationMetrics.LOG_LOSS);
        }
        return new Measured(name, distance, spread, loss,
                evaluator.metrics(x.flat()).get(ClassificationMetrics.ACCURACY));
    }

    static double norm(float[] v, float[] minus) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double d = v[i] - (minus == null ? 0 : minus[i]);
            s += d * d;
        }
        return Math.sqrt(s);
    }

    static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
