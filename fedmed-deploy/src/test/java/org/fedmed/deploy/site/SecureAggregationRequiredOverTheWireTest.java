package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.UpdateRelease;
import org.fedmed.ml.ModelSpec;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.exchange.SecureSumParticipants;
import org.fedmed.transport.TaskKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployed site with {@code require_secure_aggregation} (its allow-list policy, {@link GovernedSite}, the site
 * connection, over real gRPC with mutual TLS from provisioned kits) refuses a plain fit, telling the server why and
 * recording it in its audit log, and takes a fit that keeps its update, of which the server gets no parameters.
 */
@Timeout(60)
class SecureAggregationRequiredOverTheWireTest {

    static final String SITE = GovernedSiteTest.SITE;
    static final ModelSpec SPEC = ModelSpec.logistic();

    @TempDir
    Path dir;

    @Test
    void aPlainFitIsRefusedAndAuditedWhileASecureOneIsTakenWithoutItsUpdateLeaving() throws Exception {
        ModelParameters global = GovernedSiteTest.model(SPEC).init(5);
        FitConfig fit = new FitConfig(1, 8, 0.1, false, 11);
        GovernedSite site = new GovernedSite(GovernedSiteTest.DATA, new AllowListPolicy(new AllowList(
                Set.of(TaskKind.FIT, TaskKind.EVALUATE), List.of("fedavg+secagg+"), List.of(SPEC), 10, 10_000), true));
        SiteOverTheWire.Outcomes plain;
        SiteOverTheWire.Outcomes secure;
        SiteOverTheWire wire = SiteOverTheWire.start(dir, "secure", site, "fedavg+secagg+", SPEC,
                new SecureSumParticipants(RandomnessSource.system()));
        try (wire) {
            plain = wire.fit(new FitTask(1, SITE, global, fit));
            secure = wire.fit(new FitTask(2, SITE, global, fit).withRelease(UpdateRelease.SECURE_SUM));
        }
        String reason = "the fit would send this site's update to the server in the clear; this site takes part only"
                + " in rounds with secure aggregation (require_secure_aggregation: true)";
        assertEquals(List.of(), plain.results);
        assertEquals(1, plain.failures.size());
        assertTrue(plain.failures.getFirst().reason().contains(reason), plain.failures.getFirst().reason());
        assertTrue(wire.auditedRefusal(1, reason), wire.audit().toString());
        assertEquals(List.of(), secure.failures);
        assertEquals(1, secure.results.size());
        FitResult held = secure.results.getFirst();
        assertArrayEquals(global.flat(), held.parameters().flat(), "the held result carries the global model only");
        assertEquals(GovernedSiteTest.DATA.site().train().rows(), held.numExamples());
    }
}
