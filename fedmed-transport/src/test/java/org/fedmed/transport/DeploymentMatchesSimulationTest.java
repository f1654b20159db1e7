package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.engine.DeliveryOrder;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The round engine over gRPC with mutual TLS reaches the model it reaches over in-process sites. */
@Timeout(60)
class DeploymentMatchesSimulationTest {

    static final int ROUNDS = 8;

    static List<TargetSite> sites() {
        return List.of(new TargetSite("a", 1, 10), new TargetSite("b", 2, 10), new TargetSite("c", 6, 20));
    }

    static ModelParameters initial() {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{2, 3}, new float[6]),
                new Tensor("b", new int[]{3}, new float[3])));
    }

    static FederatedAveraging fedavg() {
        return new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(2),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
    }

    static RunResult run(SitePool pool) {
        EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(ROUNDS), 42).withRoundDeadline(Duration.ofSeconds(20));
        return new RoundEngine(fedavg(), pool, cfg, null).run(initial());
    }

    static RunResult simulate() {
        try (InProcessSitePool pool = new InProcessSitePool(sites(), 2)) {
            return run(pool);
        }
    }

    static RunResult deploy(DeliveryOrder order) throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults().withDeliveryOrder(order))) {
            for (TargetSite s : sites()) {
                f.join(s, TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            }
            assertTrue(f.pool().awaitSites(3, Duration.ofSeconds(20)), "three sites connect");
            return run(f.pool());
        }
    }

    @Test
    void deploymentInTaskOrderReachesTheSimulatedModelBitForBit() throws Exception {
        RunResult sim = simulate();
        RunResult grpc = deploy(DeliveryOrder.TASK_ORDER);
        assertArrayEquals(sim.finalModel().flat(), grpc.finalModel().flat());
        assertEquals(sim.finalModel().layout(), grpc.finalModel().layout());
        for (int r = 0; r < ROUNDS; r++) {
            assertEquals(List.of("a", "b", "c"), grpc.rounds().get(r).succeeded());
            assertEquals(sim.rounds().get(r).evalMetrics(), grpc.rounds().get(r).evalMetrics(), "round " + (r + 1));
            assertEquals(sim.rounds().get(r).fitMetrics(), grpc.rounds().get(r).fitMetrics(), "round " + (r + 1));
        }
        assertFalse(java.util.Arrays.equals(initial().flat(), grpc.finalModel().flat()), "the model moved");
    }

    /** Arrival order changes only the order of float additions in the aggregator: equal within 1e-5 relative. */
    @Test
    void deploymentInArrivalOrderMatchesTheSimulatedModelWithinFloatRounding() throws Exception {
        RunResult sim = simulate();
        RunResult grpc = deploy(DeliveryOrder.ARRIVAL);
        float[] expected = sim.finalModel().flat();
        float[] actual = grpc.finalModel().flat();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "value " + i);
        }
        for (int r = 0; r < ROUNDS; r++) {
            assertEquals(3, grpc.rounds().get(r).succeeded().size());
        }
    }
}
