package org.fedmed.deploy.site;

import static org.fedmed.deploy.site.GovernedSiteTest.SITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.ModelParameters;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A governed site's DP-FedAvg noise from secure randomness: two draws differ (the noise is not predictable), but a
 * fit asked again for the same task from the same global model (a resumed server's unrecorded round) gets the very
 * update sent the first time, so the server never sees two noise draws of one release, from a restarted site process
 * too; a site that requires noise refuses a fit without it.
 */
class GovernedSiteUpdateNoiseTest {

    static final ModelSpec SPEC = ModelSpec.logistic();
    static final FitConfig FIT = new FitConfig(1, 8, 0.1, true, 3)
            .withTerms(List.of(new LocalTerm.UpdateNoise(1.0, 1.0, 1)));

    static GovernedSite site(UpdateNoiseSettings noise) {
        GovernedSite site = new GovernedSite(SITE, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT,
                TaskKind.EVALUATE), List.of("dp-fedavg-local"), List.of(SPEC), 10, 10_000)), null, null, null, null,
                noise);
        site.prepare(GovernedSiteTest.DATA);
        return site;
    }

    static FitResult fit(GovernedSite site, FitTask task) {
        PolicyDecision d = site.review(new TaskOffer(task.taskId(), TaskKind.FIT, task.round(),
                task.global().layout(), 4L * task.global().flat().length, "dp-fedavg-local", SPEC.toJson(),
                task.config()));
        assertTrue(d.accepted(), d.reason());
        return site.fit(task);
    }

    @Test
    void aRepeatedTaskGetsTheSameReleaseAndOtherTasksFreshSecureNoise() {
        Model model = GovernedSiteTest.model(SPEC);
        ModelParameters global = model.init(5);
        ModelParameters other = model.init(6);
        GovernedSite site = site(UpdateNoiseSettings.DEFAULT);
        float[] first = fit(site, new FitTask(1, SITE, global, FIT)).parameters().flat();
        float[] again = fit(site, new FitTask(1, SITE, global, FIT)).parameters().flat();
        assertArrayEquals(first, again, "the same task from the same global model: the same release");

        float[] elsewhere = fit(site(UpdateNoiseSettings.DEFAULT), new FitTask(1, SITE, global, FIT)).parameters()
                .flat();
        assertFalse(Arrays.equals(first, elsewhere), "another process draws other noise for the same task");
        float[] fromOther = fit(site, new FitTask(1, SITE, other, FIT)).parameters().flat();
        float[] backAgain = fit(site, new FitTask(1, SITE, global, FIT)).parameters().flat();
        assertFalse(Arrays.equals(first, backAgain), "only the last release is kept: a new draw after another task");
        assertEquals(first.length, fromOther.length);
    }

    static final String RUN = "heart/noise-run#1@2026-12-03T08:00:00Z";

    static GovernedSite siteWithFiles(Path auditLog) {
        GovernedSite site = new GovernedSite(SITE, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT,
                TaskKind.EVALUATE), List.of("dp-fedavg-local"), List.of(SPEC), 10, 10_000)), null, null,
                GovernedSite.SiteFiles.beside(auditLog), null, UpdateNoiseSettings.DEFAULT);
        site.prepare(GovernedSiteTest.DATA);
        return site;
    }

    static FitResult fitOfRun(GovernedSite site, FitTask task) {
        PolicyDecision d = site.review(new TaskOffer(task.taskId(), TaskKind.FIT, task.round(),
                task.global().layout(), 4L * task.global().flat().length, "dp-fedavg-local", SPEC.toJson(),
                task.config(), List.of(), RUN));
        assertTrue(d.accepted(), d.reason());
        return site.fit(task);
    }

    /**
     * The release is written beside the audit log before it leaves: a site process restarted between the server's
     * kill and its resume sends the same update for the repeated task, where a site without that file draws anew.
     */
    @Test
    void aRestartedSiteSendsTheReleaseItWroteForTheRepeatedTask(@TempDir Path dir) throws Exception {
        Model model = GovernedSiteTest.model(SPEC);
        FitTask task = new FitTask(3, SITE, model.init(5), FIT);
        Path audit = dir.resolve("site").resolve("audit.jsonl");
        Files.createDirectories(audit.getParent());
        FitResult sent = fitOfRun(siteWithFiles(audit), task);
        assertTrue(Files.exists(dir.resolve("site").resolve("audit-noised.safetensors")));

        FitResult again = fitOfRun(siteWithFiles(audit), task);
        assertArrayEquals(sent.parameters().flat(), again.parameters().flat(), "the restarted site's release");
        assertEquals(sent.numExamples(), again.numExamples());
        assertEquals(sent.trainMetrics(), again.trainMetrics());
        assertEquals(sent.isDelta(), again.isDelta());

        Path elsewhere = dir.resolve("other").resolve("audit.jsonl");
        Files.createDirectories(elsewhere.getParent());
        FitResult fresh = fitOfRun(siteWithFiles(elsewhere), task);
        assertFalse(Arrays.equals(sent.parameters().flat(), fresh.parameters().flat()),
                "a site without the file draws other noise");
    }

    @Test
    void aSiteThatRequiresNoiseRefusesACentralDpFit() {
        Model model = GovernedSiteTest.model(SPEC);
        FitTask central = new FitTask(1, SITE, model.init(5), FIT.withTerms(List.of()));
        PolicyDecision d = site(new UpdateNoiseSettings(0.5, 10, true, null)).review(new TaskOffer(central.taskId(),
                TaskKind.FIT, 1, central.global().layout(), 4L * central.global().flat().length, "dp-fedavg-local",
                SPEC.toJson(), central.config()));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("the fit asks for no noise on the site's update, and this site sends updates"
                + " only with DP-FedAvg noise added at the site (privacy.update_noise.required: true)"), d.reason());
    }
}
