package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.Scaffold;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.engine.DeliveryOrder;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SCAFFOLD over real gRPC with mutual TLS: the server control variate travels to each site after the model, each
 * site's Delta c comes back after its update, and the run reaches the model, c and c_i it reaches in process, bit for
 * bit.
 */
@Timeout(60)
class ScaffoldOnTheWireTest {

    static final int ROUNDS = 4;

    /**
     * A site with SCAFFOLD's site side on the quadratic loss 1/2 ||w - t||^2 (gradient w - t): K local steps of
     * w <- w - lr (w - t - c_i + c), then option II, c_i+ = c_i - c + (x - y) / (K lr). Records every c it is sent.
     */
    static final class QuadraticScaffoldSite implements SiteClient {
        final String id;
        final float[] target;
        final long examples;
        float[] ci;
        volatile int nanRound = -1;
        final List<float[]> received = new ArrayList<>();

        QuadraticScaffoldSite(String id, long examples, float... target) {
            this.id = id;
            this.target = target;
            this.examples = examples;
            this.ci = new float[target.length];
        }

        @Override
        public String siteId() {
            return id;
        }

        @Override
        public synchronized FitResult fit(FitTask t) {
            float[] c = t.auxiliary().get(LocalTerm.ControlVariates.SERVER_CONTROL).flat();
            received.add(c.clone());
            float[] x = t.global().flat();
            float[] y = x.clone();
            int k = t.config().work().count();
            double lr = t.config().learningRate();
            for (int s = 0; s < k; s++) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = (float) (y[i] - lr * ((double) y[i] - target[i] - ci[i] + c[i]));
                }
            }
            float[] delta = new float[y.length];
            float[] dy = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                float next = (float) ((double) ci[i] - c[i] + ((double) x[i] - y[i]) / (k * lr));
                delta[i] = next - ci[i];
                ci[i] = next;
                dy[i] = y[i] - x[i];
            }
            if (t.round() == nanRound) {
                delta[1] = Float.NaN;
            }
            return new FitResult(id, t.taskId(), ModelParameters.ofFlat(t.global().layout(), dy), true, examples, 1,
                    Map.of("loss", 0.0), Map.of(LocalTerm.ControlVariates.CONTROL_DELTA,
                    ModelParameters.ofFlat(t.global().layout(), delta)));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            return new EvalResult(id, t.taskId(), examples, Map.of("loss", 0.0));
        }
    }

    static List<QuadraticScaffoldSite> sites() {
        return List.of(new QuadraticScaffoldSite("a", 10, 1f, -2f, 0.5f), new QuadraticScaffoldSite("b", 30, -3f, 1f, 2f),
                new QuadraticScaffoldSite("c", 20, 0.25f, 4f, -1f));
    }

    static Scaffold scaffold() {
        FitConfig fit = new FitConfig(LocalWork.steps(3), 8, 0.1, true, 0);
        return new Scaffold(new FederatedAveraging("scaffold", SiteWeighting.SAMPLE_COUNT, SiteSelection.count(2, 2),
                fit, ServerOptimizerSettings.sgd(0.8), 0), 3);
    }

    static ModelParameters initial() {
        return ModelParameters.of(List.of(new Tensor("w", new int[] {2}, new float[] {0.1f, -0.2f}),
                new Tensor("b", new int[] {1}, new float[] {0.3f})));
    }

    record Run(RunResult result, float[] c, List<QuadraticScaffoldSite> sites) {
    }

    static Run run(SitePool pool, List<QuadraticScaffoldSite> sites) {
        Scaffold s = scaffold();
        EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(ROUNDS), 42).withRoundDeadline(Duration.ofSeconds(20));
        RunResult r = new RoundEngine(s, pool, cfg, null).run(initial());
        return new Run(r, s.control(3), sites);
    }

    @Test
    void aDeployedScaffoldRunEqualsTheInProcessRunBitForBit() throws Exception {
        List<QuadraticScaffoldSite> simSites = sites();
        Run sim;
        try (InProcessSitePool pool = new InProcessSitePool(simSites, 2)) {
            sim = run(pool, simSites);
        }
        List<QuadraticScaffoldSite> grpcSites = sites();
        Run grpc;
        try (TestFederation f = new TestFederation(ServerSettings.defaults().withLabels("scaffold", "quadratic")
                .withDeliveryOrder(DeliveryOrder.TASK_ORDER))) {
            for (QuadraticScaffoldSite s : grpcSites) {
                f.join(s, TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            }
            assertTrue(f.pool().awaitSites(3, Duration.ofSeconds(20)), "three sites connect");
            grpc = run(f.pool(), grpcSites);
        }
        for (int r = 0; r < ROUNDS; r++) {
            assertTrue(grpc.result().rounds().get(r).completed(), grpc.result().rounds().get(r).failures().toString());
            assertEquals(2, grpc.result().rounds().get(r).succeeded().size());
        }
        assertArrayEquals(sim.result().finalModel().flat(), grpc.result().finalModel().flat(), "global model");
        assertArrayEquals(sim.c(), grpc.c(), "server control variate c");
        assertFalse(Arrays.equals(new float[3], grpc.c()), "c moved");
        int trained = 0;
        for (int i = 0; i < 3; i++) {
            QuadraticScaffoldSite a = sim.sites().get(i);
            QuadraticScaffoldSite b = grpc.sites().get(i);
            assertArrayEquals(a.ci, b.ci, "c_" + a.id);
            assertEquals(a.received.size(), b.received.size(), "fits of " + a.id);
            for (int k = 0; k < a.received.size(); k++) {
                assertArrayEquals(a.received.get(k), b.received.get(k), "c sent to " + a.id + " in its fit " + k);
            }
            trained += b.received.size();
        }
        assertEquals(2 * ROUNDS, trained);
        assertNotNull(grpc.result().finalModel());
    }

    @Test
    void aDeltaCWithANaNIsRejectedByTheServerNamingTheVectorAndTheRoundGoesOnWithoutIt() throws Exception {
        List<QuadraticScaffoldSite> sites = List.of(new QuadraticScaffoldSite("a", 10, 1f, -2f, 0.5f),
                new QuadraticScaffoldSite("b", 30, -3f, 1f, 2f));
        sites.get(1).nanRound = 1;
        FitConfig fit = new FitConfig(LocalWork.steps(3), 8, 0.1, true, 0);
        Scaffold s = new Scaffold(new FederatedAveraging("scaffold", SiteWeighting.SAMPLE_COUNT,
                SiteSelection.count(2, 1), fit, ServerOptimizerSettings.sgd(1.0), 0), 2);
        RunResult r;
        try (TestFederation f = new TestFederation(ServerSettings.defaults().withLabels("scaffold", "quadratic"))) {
            for (QuadraticScaffoldSite site : sites) {
                f.join(site, TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            }
            assertTrue(f.pool().awaitSites(2, Duration.ofSeconds(20)), "two sites connect");
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(1), 42).withRoundDeadline(Duration.ofSeconds(20));
            r = new RoundEngine(s, f.pool(), cfg, null).run(initial());
        }
        var round = r.rounds().getFirst();
        assertTrue(round.completed(), round.failures().toString());
        assertEquals(List.of("a"), round.succeeded());
        String failures = round.failures().toString();
        assertTrue(failures.contains("auxiliary vector 'scaffold.delta_c'") && failures.contains("is not finite"),
                failures);
        // c moved by site a's Delta c alone, over N = 2
        float[] c = s.control(3);
        float[] ca = sites.get(0).ci;
        for (int i = 0; i < 3; i++) {
            assertEquals((float) (ca[i] / 2.0), c[i], "c[" + i + "]");
        }
    }
}
