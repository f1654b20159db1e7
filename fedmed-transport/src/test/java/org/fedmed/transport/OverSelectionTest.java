package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.engine.DeliveryOrder;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Over-selection over mutual TLS: a round that sampled more sites than it needs closes once it has its results,
 * long before its deadline, and the straggler is cut and told to stop.
 */
@Timeout(30)
class OverSelectionTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration LONG_DEADLINE = Duration.ofSeconds(60);

    /** A well-behaved site that starts training only once {@code straggler} is stuck, so the cut always finds it busy. */
    static final class AfterStraggler extends TargetSite {
        private final CountDownLatch stuck;

        AfterStraggler(String id, float target, CountDownLatch stuck) {
            super(id, target, 10);
            this.stuck = stuck;
        }

        @Override
        public FitResult fit(FitTask t) throws Exception {
            if (!stuck.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the straggler never started training");
            }
            return super.fit(t);
        }
    }

    @ParameterizedTest
    @EnumSource(DeliveryOrder.class)
    void roundClosesWithTwoResultsAndTheBlockedSiteIsCutAndToldToStop(DeliveryOrder order) throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults().withDeliveryOrder(order))) {
            TargetSite blocked = new TargetSite("c", 6, 20);
            blocked.misbehaviour = TargetSite.Misbehaviour.BLOCK;
            blocked.badRound = 1;
            RecordingAuditLog blockedAudit = new RecordingAuditLog();
            f.join(new AfterStraggler("a", 1, blocked.training), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new AfterStraggler("b", 2, blocked.training), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(blocked, TestFederation.ACCEPT_ALL, blockedAudit);
            assertTrue(f.pool().awaitSites(3, WAIT));

            FederatedAveraging strategy = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.count(2, 2),
                    new FitConfig(1, 8, 0.1, false, 0), 1.0, 0.5);
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(1), 7).withRoundDeadline(LONG_DEADLINE);
            RunResult run = new RoundEngine(strategy, f.pool(), cfg, null).run(ModelParameters.of(List.of(new Tensor("w", new int[]{4}, new float[4]))));

            RoundRecord round = run.rounds().getFirst();
            assertEquals(List.of("a", "b", "c"), round.selected(), "two wanted, half again sampled");
            assertTrue(round.completed());
            assertEquals(List.of("a", "b"), round.succeeded().stream().sorted().toList());
            SiteFailure cut = round.failures().stream().filter(x -> x.siteId().equals("c")).findFirst().orElseThrow();
            assertEquals(SiteFailure.Kind.TIMEOUT, cut.kind());
            assertTrue(cut.reason().contains("over-selection"), cut.reason());
            assertTrue(cut.reason().contains("2 results"), cut.reason());
            AuditEntry cancelled = blockedAudit.await(e -> e.taskId().equals("r1-fit-c")
                    && e.event() == AuditEntry.Event.CANCELLED, WAIT).orElseThrow();
            assertTrue(cancelled.reason().contains("over-selection"), cancelled.reason());
            assertEquals(0, f.pool().resultBytesHeld());
        }
    }
}
