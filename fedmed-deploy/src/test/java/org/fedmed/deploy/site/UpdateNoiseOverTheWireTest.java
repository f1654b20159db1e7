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
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.filter.FilteredSiteClient;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.fedavg.ClippingFilter;
import org.fedmed.privacy.fedavg.LocalGaussianNoise;
import org.fedmed.transport.TaskKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployed site (its allow-list, {@link GovernedSite} with {@code privacy.update_noise}, the site connection) gets
 * fits asking for DP-FedAvg noise over real gRPC with mutual TLS from provisioned kits: with local noise, and with a
 * share of distributed noise, it returns, bit for bit, the update a simulated site sends (its trainer behind the
 * clipping and noise filters seeded from the simulation's stream of that site); a fit whose noise is below the site's
 * minimum or whose clip norm is above its maximum is refused, with the reason told to the server and written to the
 * site's audit log.
 */
@Timeout(60)
class UpdateNoiseOverTheWireTest {

    static final String SITE = GovernedSiteTest.SITE;
    static final ModelSpec SPEC = ModelSpec.mlp(5);
    static final long RUN_SEED = 42;
    static final UpdateNoiseSettings BOUNDS = new UpdateNoiseSettings(0.5, 1.0, false, RUN_SEED);

    @TempDir
    Path dir;

    @Test
    void aDeployedSiteNoisesItsUpdateAsTheSimulatedSiteDoesAndRefusesNoiseOutsideItsBounds() throws Exception {
        Model model = GovernedSiteTest.model(SPEC);
        ModelParameters global = model.init(5);
        FitConfig plain = new FitConfig(2, 8, 0.1, false, 11);
        LocalTerm.UpdateNoise local = new LocalTerm.UpdateNoise(0.8, 0.7, 1);
        LocalTerm.UpdateNoise share = new LocalTerm.UpdateNoise(0.8, 1.2, 4);
        List<FitTask> tasks = List.of(new FitTask(1, SITE, global, plain.withTerms(List.of(local))),
                new FitTask(2, SITE, global, plain.withSeed(12).withTerms(List.of(share))));
        FitTask tooLittle = new FitTask(3, SITE, global, plain.withTerms(List.of(new LocalTerm.UpdateNoise(0.8, 0.9,
                4))));
        FitTask clipTooLarge = new FitTask(4, SITE, global, plain.withTerms(List.of(new LocalTerm.UpdateNoise(1.5,
                1.0, 1))));

        GovernedSite site = new GovernedSite(SITE, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT,
                TaskKind.EVALUATE), List.of("dp-fedavg-local"), List.of(SPEC), 10, 10_000)), null, null, null, null,
                BOUNDS);
        site.prepare(GovernedSiteTest.DATA);
        List<FitResult> deployed = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        SiteOverTheWire wire = SiteOverTheWire.start(dir, "noise", site, "dp-fedavg-local", SPEC);
        try (wire) {
            for (FitTask task : tasks) {
                SiteOverTheWire.Outcomes one = wire.fit(task);
                assertEquals(List.of(), one.failures, "round " + task.round());
                deployed.addAll(one.results);
            }
            for (FitTask task : List.of(tooLittle, clipTooLarge)) {
                SiteOverTheWire.Outcomes one = wire.fit(task);
                assertEquals(List.of(), one.results, "round " + task.round());
                assertEquals(1, one.failures.size(), "round " + task.round());
                refusals.add(one.failures.getFirst().reason());
            }
        }

        NoiseSource simulated = NoiseSource.seeded(Seeds.ofSite(RUN_SEED, Seeds.Stream.SITE_FILTER_NOISE, SITE));
        TrainingSiteClient trainer = new TrainingSiteClient(SITE, model, GovernedSiteTest.DATA.site().train(),
                GovernedSiteTest.DATA.site().test(), 0.9);
        FitResult localExpected = new FilteredSiteClient(trainer, List.of(new ClippingFilter(0.8),
                new LocalGaussianNoise(0.7, 0.8, simulated))).fit(new FitTask(1, SITE, global, plain));
        FitResult shareExpected = new FilteredSiteClient(trainer, List.of(new ClippingFilter(0.8),
                new LocalGaussianNoise(1.2 / 2, 0.8, simulated))).fit(new FitTask(2, SITE, global, plain.withSeed(12)));
        assertTrue(deployed.get(0).isDelta() && deployed.get(1).isDelta(), "the noised update is sent as a delta");
        assertArrayEquals(localExpected.parameters().flat(), deployed.get(0).parameters().flat(), "local noise");
        assertArrayEquals(shareExpected.parameters().flat(), deployed.get(1).parameters().flat(), "distributed share");
        FitResult clippedOnly = new FilteredSiteClient(trainer, List.of(new ClippingFilter(0.8)))
                .fit(new FitTask(1, SITE, global, plain));
        assertFalse(Arrays.equals(clippedOnly.parameters().flat(), deployed.get(0).parameters().flat()),
                "the noise changed the update");

        List<String> reasons = List.of("the fit asks the site to add noise of multiplier 0.45 (dp.noise_multiplier 0.9"
                        + " over 4.0 share(s)); this site adds at least 0.5 (privacy.update_noise.min_noise_multiplier)",
                "the fit asks the site to clip its update to norm 1.5 (dp.clip_norm); this site clips to at most 1.0"
                        + " (privacy.update_noise.max_clip_norm)");
        for (int i = 0; i < reasons.size(); i++) {
            String reason = reasons.get(i);
            int round = 3 + i;
            assertTrue(refusals.get(i).contains(reason), refusals.get(i));
            assertTrue(wire.auditedRefusal(round, reason), wire.audit().toString());
        }
    }
}
