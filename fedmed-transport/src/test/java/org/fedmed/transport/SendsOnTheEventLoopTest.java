package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.SiteAuditLog;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A site's results leave from its stream's event loop, not from the worker that computed them: the worker queues
 * the result, the loop writes it (the {@code sent} entry is recorded as the last message is handed to gRPC).
 */
@Timeout(60)
class SendsOnTheEventLoopTest {

    /** An audit log that also notes the thread each {@code sent} entry was recorded on. */
    static final class ThreadNotingAuditLog implements SiteAuditLog {
        final RecordingAuditLog entries = new RecordingAuditLog();
        final Set<String> sentOn = ConcurrentHashMap.newKeySet();

        @Override
        public void record(AuditEntry entry) {
            if (entry.event() == AuditEntry.Event.SENT) {
                sentOn.add(Thread.currentThread().getName());
            }
            entries.record(entry);
        }
    }

    @Test
    void aSitesFitAndEvaluationResultsAreWrittenOnItsStreamsEventLoopAndTheRoundCompletes() throws Exception {
        ThreadNotingAuditLog audit = new ThreadNotingAuditLog();
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), new CommonNameAuthorizer(Set.of("a")))) {
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, audit);
            assertTrue(f.pool().awaitSites(1, Duration.ofSeconds(10)));
            FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(1),
                    new FitConfig(1, 8, 0.1, false, 0), 1.0);
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(2), 3).withRoundDeadline(Duration.ofSeconds(20));
            RunResult r = new RoundEngine(fedavg, f.pool(), cfg, null).run(ModelParameters.of(List.of(
                    new Tensor("w", new int[]{3}, new float[3]))));
            assertEquals(2, r.rounds().size());
            assertTrue(r.rounds().stream().allMatch(round -> round.succeeded().equals(List.of("a"))), r.rounds().toString());
            audit.entries.await(e -> audit.entries.entries().stream()
                    .filter(x -> x.event() == AuditEntry.Event.SENT).count() == 4, Duration.ofSeconds(10)).orElseThrow();
            assertEquals(1, audit.sentOn.size(), "all four results left from one thread: " + audit.sentOn);
            String thread = audit.sentOn.iterator().next();
            assertTrue(thread.startsWith("fedmed-site-net"), "the results left from " + thread);
        }
    }
}
