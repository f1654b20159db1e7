package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.transport.TaskKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployed site (its allow-list, {@link GovernedSite}, the site connection) trains a FedProx fit sent over real
 * gRPC with mutual TLS from provisioned kits, and returns the update an in-process {@link TrainingSiteClient} computes
 * for the same tasks, bit for bit; a fit whose mu is over the site's cap is refused with the reason.
 */
@Timeout(60)
class ProximalFitOverTheWireTest {

    static final String SITE = GovernedSiteTest.SITE;
    static final ModelSpec SPEC = ModelSpec.mlp(5);
    static final double CAP = 0.5;

    @TempDir
    Path dir;

    @Test
    void aDeployedSiteReturnsTheInProcessFedProxUpdateBitForBitAndRefusesMuOverItsCap() throws Exception {
        Model model = GovernedSiteTest.model(SPEC);
        ModelParameters global = model.init(5);
        FitConfig prox = new FitConfig(2, 8, 0.1, false, 11).withTerms(List.of(new LocalTerm.Proximal(0.3)));
        List<FitTask> tasks = List.of(new FitTask(1, SITE, global, prox),
                new FitTask(2, SITE, global, prox.withWork(LocalWork.steps(7)).withSeed(12)),
                new FitTask(3, SITE, global, prox.withTerms(List.of(new LocalTerm.Proximal(CAP))).withSeed(13)));

        GovernedSite site = new GovernedSite(GovernedSiteTest.DATA, new AllowListPolicy(new AllowList(
                Set.of(TaskKind.FIT, TaskKind.EVALUATE), List.of("fedavg"), List.of(SPEC), 10, 10_000, 100, CAP)));
        List<FitResult> deployed = new ArrayList<>();
        SiteOverTheWire.Outcomes over;
        SiteOverTheWire wire = SiteOverTheWire.start(dir, "prox", site, "fedavg", SPEC);
        try (wire) {
            for (FitTask task : tasks) {
                SiteOverTheWire.Outcomes one = wire.fit(task);
                assertEquals(List.of(), one.failures, "round " + task.round());
                deployed.addAll(one.results);
            }
            over = wire.fit(new FitTask(4, SITE, global, prox.withTerms(List.of(new LocalTerm.Proximal(0.9)))));
        }

        TrainingSiteClient direct = new TrainingSiteClient(SITE, model, GovernedSiteTest.DATA.site().train(),
                GovernedSiteTest.DATA.site().test(), 0.9);
        assertEquals(tasks.size(), deployed.size());
        for (int i = 0; i < tasks.size(); i++) {
            FitResult expected = direct.fit(tasks.get(i));
            assertArrayEquals(expected.parameters().flat(), deployed.get(i).parameters().flat(), "round " + (i + 1));
            assertEquals(expected.trainMetrics(), deployed.get(i).trainMetrics(), "round " + (i + 1));
            assertEquals(expected.numExamples(), deployed.get(i).numExamples());
        }
        FitResult plain = new TrainingSiteClient(SITE, model, GovernedSiteTest.DATA.site().train(),
                GovernedSiteTest.DATA.site().test(), 0.9).fit(new FitTask(1, SITE, global, prox.withTerms(List.of())));
        assertFalse(Arrays.equals(plain.parameters().flat(), deployed.getFirst().parameters().flat()),
                "the proximal term changed the update");

        assertEquals(List.of(), over.results);
        assertEquals(1, over.failures.size());
        String reason = "the fit asks for prox_mu 0.9; this site allows at most 0.5 (max_prox_mu)";
        assertTrue(over.failures.getFirst().reason().contains(reason), over.failures.getFirst().reason());
        assertTrue(wire.auditedRefusal(4, reason), wire.audit().toString());
    }
}
