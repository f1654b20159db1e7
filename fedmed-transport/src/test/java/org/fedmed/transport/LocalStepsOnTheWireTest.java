package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalWork;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.transport.proto.FitSettings;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A fit of local steps reaches the site's policy and client as steps, over real gRPC with mutual TLS. */
@Timeout(60)
class LocalStepsOnTheWireTest {

    @Test
    void aStepsFitArrivesAtTheSiteAsTheSameStepsAndSettings() throws Exception {
        FitConfig fit = new FitConfig(LocalWork.steps(100), 4, 0.001, false, 0);
        List<TaskOffer> offers = new ArrayList<>();
        List<FitConfig> received = new ArrayList<>();
        TargetSite site = new TargetSite("a", 1, 10) {
            @Override
            public FitResult fit(FitTask t) throws Exception {
                synchronized (received) {
                    received.add(t.config());
                }
                return super.fit(t);
            }
        };
        try (TestFederation f = new TestFederation(ServerSettings.defaults().withLabels("fedavg", "logistic"))) {
            f.join(site, offer -> {
                synchronized (offers) {
                    offers.add(offer);
                }
                return PolicyDecision.accept();
            }, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(1, Duration.ofSeconds(10)));
            FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(1), fit, 1.0);
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(1), 9).withRoundDeadline(Duration.ofSeconds(20));
            RoundRecord round = new RoundEngine(fedavg, f.pool(), cfg, null).run(TaskPolicyTest.model()).rounds().getFirst();
            assertTrue(round.completed(), round.failures().toString());
        }
        TaskOffer offer = offers.stream().filter(o -> o.kind() == TaskKind.FIT).findFirst().orElseThrow();
        assertEquals(LocalWork.steps(100), offer.fitConfig().work());
        assertEquals(1, received.size());
        assertEquals(LocalWork.steps(100), received.getFirst().work());
        assertEquals(4, received.getFirst().batchSize());
        assertEquals(0.001, received.getFirst().learningRate());
    }

    @Test
    void anEpochsFitEncodesAsBeforeAndAStepsFitLeavesLocalEpochsUnset() throws Exception {
        // field 1 (local_epochs) = 2, as a build before local_steps wrote it
        FitSettings old = FitSettings.parseFrom(new byte[] {0x08, 0x02});
        assertEquals(FitSettings.LocalWorkCase.LOCAL_EPOCHS, old.getLocalWorkCase());
        assertEquals(2, old.getLocalEpochs());
        byte[] epochs = FitSettings.newBuilder().setLocalEpochs(2).build().toByteArray();
        assertEquals(List.of((byte) 0x08, (byte) 0x02), List.of(epochs[0], epochs[1]));

        FitSettings steps = FitSettings.parseFrom(FitSettings.newBuilder().setLocalSteps(100).build().toByteArray());
        assertEquals(FitSettings.LocalWorkCase.LOCAL_STEPS, steps.getLocalWorkCase());
        assertFalse(steps.hasLocalEpochs());
        // what a reader without local_steps sees: local_epochs 0, which its FitConfig refuses
        assertEquals(0, steps.getLocalEpochs());
    }
}
