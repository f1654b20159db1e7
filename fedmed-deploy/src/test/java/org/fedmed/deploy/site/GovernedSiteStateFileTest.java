package org.fedmed.deploy.site;

import static org.fedmed.deploy.site.GovernedSiteTest.COLS;
import static org.fedmed.deploy.site.GovernedSiteTest.DATA;
import static org.fedmed.deploy.site.GovernedSiteTest.SITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A governed site that keeps its training state in its state file: a site process that dies in the middle of a
 * SCAFFOLD run with local steps and is started again from that file trains every later round, the round it had
 * trained once and the server asks again included, bit for bit as the site that never died; a state file of another
 * run is set aside, one of the same run with another model is refused naming the file, and a damaged one is refused
 * naming it.
 */
class GovernedSiteStateFileTest {

    static final ModelSpec SGD = ModelSpec.logistic();
    static final ModelSpec MLP = ModelSpec.mlp(3);
    static final FitConfig FIT = new FitConfig(LocalWork.steps(5), 8, 0.1, true, 3)
            .withTerms(List.of(new LocalTerm.ControlVariates()));
    static final Model MODEL = Models.build(SGD, COLS, 2);
    static final String RUN = "heart/scaffold#1@2026-12-03T08:00:00Z";

    static GovernedSite site(Path dir, boolean restart) throws IOException {
        GovernedSite.SiteFiles files = GovernedSite.SiteFiles.beside(dir.resolve("audit.jsonl"));
        GovernedSite site = new GovernedSite(SITE, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT,
                TaskKind.EVALUATE), List.of("scaffold"), List.of(SGD, MLP), 10, 10_000)), null, null, files,
                restart ? SiteStateFile.readIfPresent(files.state()).orElseThrow() : null);
        site.prepare(DATA);
        return site;
    }

    static TaskOffer offer(int round, ModelSpec spec, String run) {
        Model model = Models.build(spec, COLS, 2);
        return new TaskOffer(new FitTask(round, SITE, model.init(1), FIT).taskId(), TaskKind.FIT, round,
                model.layout(), 8L * model.parameterCount(), "scaffold", spec.toJson(), FIT,
                List.of(LocalTerm.ControlVariates.SERVER_CONTROL), run);
    }

    /** Round {@code round}'s fit with a global model and a server control variate that change with the round. */
    static FitTask task(int round) {
        float[] g = MODEL.init(5).copyFlat();
        float[] c = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            g[i] += 0.01f * round * (i + 1);
            c[i] = 0.02f * round - 0.01f * i;
        }
        ModelParameters global = ModelParameters.ofFlat(MODEL.layout(), g);
        return new FitTask(round, SITE, global, FIT, Map.of(LocalTerm.ControlVariates.SERVER_CONTROL,
                ModelParameters.ofFlat(MODEL.layout(), c)));
    }

    static FitResult fit(GovernedSite site, int round, String run) {
        PolicyDecision d = site.review(offer(round, SGD, run));
        assertTrue(d.accepted(), d.reason());
        return site.fit(task(round));
    }

    static void assertSameResult(FitResult expected, FitResult actual, String what) {
        assertArrayEquals(expected.parameters().flat(), actual.parameters().flat(), what + ": update");
        assertArrayEquals(expected.auxiliary().get(LocalTerm.ControlVariates.CONTROL_DELTA).flat(),
                actual.auxiliary().get(LocalTerm.ControlVariates.CONTROL_DELTA).flat(), what + ": Delta c");
    }

    @Test
    void aSiteStartedAgainFromItsStateFileTrainsOnAsTheSiteThatNeverDied(@TempDir Path tmp) throws Exception {
        GovernedSite uninterrupted = site(tmp.resolve("whole"), false);
        List<FitResult> whole = new java.util.ArrayList<>();
        for (int r = 1; r <= 5; r++) {
            whole.add(fit(uninterrupted, r, RUN));
        }
        // dies after round 3's fit, which the server recorded
        GovernedSite first = site(tmp.resolve("a"), false);
        for (int r = 1; r <= 3; r++) {
            fit(first, r, RUN);
        }
        GovernedSite back = site(tmp.resolve("a"), true);
        assertSameResult(whole.get(3), fit(back, 4, RUN), "round 4 after the restart");
        assertSameResult(whole.get(4), fit(back, 5, RUN), "round 5 after the restart");

        // dies after round 4's fit, which the server lost (it was killed too) and asks again
        GovernedSite second = site(tmp.resolve("b"), false);
        for (int r = 1; r <= 4; r++) {
            fit(second, r, RUN);
        }
        GovernedSite again = site(tmp.resolve("b"), true);
        assertSameResult(whole.get(3), fit(again, 4, RUN), "round 4 trained again after the restart");
        assertSameResult(whole.get(4), fit(again, 5, RUN), "round 5");

        FitResult forgot = fit(site(tmp.resolve("fresh"), false), 4, RUN);
        assertFalse(java.util.Arrays.equals(whole.get(3).parameters().flat(), forgot.parameters().flat()),
                "a site without its state trains round 4 differently, so the comparison can fail");
    }

    @Test
    void theStateFileRecordsTheRunTheRoundAndThePlan(@TempDir Path tmp) throws Exception {
        GovernedSite site = site(tmp, false);
        fit(site, 1, RUN);
        fit(site, 2, RUN);
        SiteStateFile.Contents c = SiteStateFile.read(tmp.resolve("audit-state.safetensors"));
        assertEquals(SITE, c.siteId());
        assertEquals(RUN, c.run());
        assertEquals(2, c.round());
        assertEquals(SGD, c.spec());
        assertEquals(SiteStateFile.fingerprint("scaffold", SGD.toJson(), MODEL.layout()), c.fingerprint());
        assertEquals(Set.of("scaffold.c_i", "scaffold.c_i_pending"), c.state().vectors().keySet());
        assertEquals("2", c.state().values().get("scaffold.c_i_pending_round"));
    }

    @Test
    void aStateFileOfAnotherRunIsSetAsideAndTheSiteStartsThatRunAfresh(@TempDir Path tmp) throws Exception {
        GovernedSite first = site(tmp, false);
        for (int r = 1; r <= 3; r++) {
            fit(first, r, RUN);
        }
        GovernedSite back = site(tmp, true);
        FitResult other = fit(back, 1, "heart/scaffold#2@2026-12-03T09:00:00Z");
        assertSameResult(fit(site(tmp.resolve("fresh"), false), 1, RUN), other, "a fresh site's round 1");
        Path aside = tmp.resolve("audit-state.safetensors.other-run");
        assertTrue(Files.exists(aside), "the other run's state is kept aside");
        assertEquals(RUN, SiteStateFile.read(aside).run());
        assertEquals("heart/scaffold#2@2026-12-03T09:00:00Z",
                SiteStateFile.read(tmp.resolve("audit-state.safetensors")).run(), "the new run's state replaces it");
    }

    @Test
    void aStateFileOfTheSameRunWithAnotherModelIsRefusedNamingTheFile(@TempDir Path tmp) throws Exception {
        fit(site(tmp, false), 1, RUN);
        GovernedSite back = site(tmp, true);
        PolicyDecision d = back.review(offer(2, MLP, RUN));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("site state file " + tmp.resolve("audit-state.safetensors") + " was kept for"
                + " run '" + RUN + "' with model spec " + SGD.toJson()), d.reason());
        assertTrue(d.reason().contains("the site does not use it"), d.reason());
    }

    @Test
    void aDamagedStateFileIsRefusedNamingIt(@TempDir Path tmp) throws Exception {
        fit(site(tmp, false), 1, RUN);
        Path file = tmp.resolve("audit-state.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 2] ^= 0x10;
        Files.write(file, bytes);
        IOException flipped = assertThrows(IOException.class, () -> SiteStateFile.read(file));
        assertTrue(flipped.getMessage().startsWith("site state file " + file + " is corrupt: its contents hash to"),
                flipped.getMessage());

        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IOException truncated = assertThrows(IOException.class, () -> SiteStateFile.readIfPresent(file));
        assertTrue(truncated.getMessage().startsWith("site state file " + file + " is corrupt: it is not a readable"
                + " safetensors file"), truncated.getMessage());
    }

    @Test
    void theEndOfTheRunDeletesTheStateFile(@TempDir Path tmp) throws Exception {
        GovernedSite site = site(tmp, false);
        fit(site, 1, RUN);
        Path file = tmp.resolve("audit-state.safetensors");
        assertTrue(Files.exists(file));
        site.endRun(tmp.resolve("audit-personal.safetensors"), null, "the server ended the run");
        assertFalse(Files.exists(file));
    }
}
