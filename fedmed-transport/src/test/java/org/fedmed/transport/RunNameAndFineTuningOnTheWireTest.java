package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over real gRPC with mutual TLS: the run the server names reaches the site's policy with every task
 * ({@code TaskHeader.run}), and an evaluation's fine-tuning settings reach both the policy and the site's client as
 * sent, while a plain evaluation carries none.
 */
@Timeout(60)
class RunNameAndFineTuningOnTheWireTest {

    @Test
    void theRunNameAndAnEvaluationsFineTuningSettingsReachTheSiteAsSent() throws Exception {
        List<TaskOffer> offers = new CopyOnWriteArrayList<>();
        List<EvalTask> evaluated = new CopyOnWriteArrayList<>();
        TargetSite site = new TargetSite("a", 1, 10) {
            @Override
            public EvalResult evaluate(EvalTask t) {
                evaluated.add(t);
                return new EvalResult("a", t.taskId(), 10, Map.of("loss", 0.0));
            }
        };
        FitConfig tune = new FitConfig(LocalWork.epochs(3), 8, 0.05, false, -1234567890123L);
        ModelParameters global = ModelParameters.of(List.of(new Tensor("w", new int[] {2}, new float[] {1f, 2f})));
        try (TestFederation f = new TestFederation(ServerSettings.defaults().withLabels("fedavg", "quadratic"))) {
            f.join(site, offer -> {
                offers.add(offer);
                return PolicyDecision.accept();
            }, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(1, Duration.ofSeconds(20)), "the site connects");
            f.pool().nameRun("heart/run#7@2026-12-03T08:00:00Z");
            List<EvalResult> results = new CopyOnWriteArrayList<>();
            OutcomeSink<EvalResult> sink = new OutcomeSink<>() {
                @Override
                public void success(EvalResult result) {
                    results.add(result);
                }

                @Override
                public void failure(SiteFailure failure) {
                    throw new AssertionError(failure.toString());
                }
            };
            f.pool().evaluate(List.of(new EvalTask(2, "a", global)), Duration.ofSeconds(20), sink);
            f.pool().evaluate(List.of(new EvalTask(3, "a", global, tune)), Duration.ofSeconds(20), sink);
            assertEquals(2, results.size());
        }
        assertEquals(2, offers.size());
        offers.forEach(o -> assertEquals("heart/run#7@2026-12-03T08:00:00Z", o.run(), o.taskId()));
        assertNull(offers.get(0).fitConfig(), "a plain evaluation carries no fine-tuning");
        assertEquals(tune, offers.get(1).fitConfig());
        assertNull(evaluated.get(0).fineTune());
        assertEquals(tune, evaluated.get(1).fineTune(), "the client is asked to fine-tune with the settings sent");
    }
}
