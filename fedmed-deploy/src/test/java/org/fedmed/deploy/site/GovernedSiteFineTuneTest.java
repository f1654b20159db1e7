package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.ml.Model;
import org.fedmed.ml.Trainer;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.export.ModelExporter;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A governed site asked to fine-tune with an evaluation (personalization {@code kind: finetune}): it reports the
 * global model's metrics and, under {@code personal_} names, those of the global model trained on its own rows with
 * the settings sent, computed here independently; it writes that model as its personal model; and its allow-list
 * refuses the fine-tuning when it allows no fits or caps the local work lower.
 */
class GovernedSiteFineTuneTest {

    static final FitConfig TUNE = new FitConfig(LocalWork.epochs(3), 8, 0.1, false, 123);
    final Model mlp = GovernedSiteTest.model(GovernedSiteTest.MLP);

    GovernedSite site(Path dir, Set<TaskKind> tasks, int maxEpochs) {
        GovernedSite s = new GovernedSite(GovernedSiteTest.SITE, new AllowListPolicy(new AllowList(tasks,
                List.of("fedavg"), List.of(GovernedSiteTest.MLP), maxEpochs, 10_000)), null, null,
                GovernedSite.SiteFiles.beside(dir.resolve("audit.jsonl")), null);
        s.prepare(GovernedSiteTest.DATA);
        return s;
    }

    PolicyDecision review(GovernedSite site, EvalTask task) {
        return site.review(new TaskOffer(task.taskId(), TaskKind.EVALUATE, task.round(), mlp.layout(),
                4L * mlp.parameterCount(), "fedavg", GovernedSiteTest.MLP.toJson(), task.fineTune(), List.of(),
                "heart/finetune#1@2026-12-03T08:00:00Z"));
    }

    @Test
    void theSiteReportsTheFineTunedModelsMetricsAsPersonalOnesAndWritesIt(@TempDir Path tmp) throws Exception {
        GovernedSite site = site(tmp, Set.of(TaskKind.FIT, TaskKind.EVALUATE), 10);
        ModelParameters global = mlp.init(5);
        EvalTask task = new EvalTask(4, GovernedSiteTest.SITE, global, TUNE);
        assertTrue(review(site, task).accepted());
        Map<String, Double> metrics = site.evaluate(task).metrics();

        float[] tuned = global.copyFlat();
        Trainer.train(mlp, tuned, GovernedSiteTest.DATA.site().train(), TUNE);
        var test = GovernedSiteTest.DATA.site().test();
        Map<String, Double> expected = ClassificationMetrics.compute(mlp.predict(tuned, test), test.labels(),
                test.classes());
        Map<String, Double> plain = ClassificationMetrics.compute(mlp.predict(global.flat(), test), test.labels(),
                test.classes());
        expected.forEach((name, v) -> assertEquals(v, metrics.get(ClassificationMetrics.PERSONAL_PREFIX + name),
                "personal " + name));
        plain.forEach((name, v) -> assertEquals(v, metrics.get(name), name));
        assertFalse(expected.get("log_loss").equals(plain.get("log_loss")), "fine-tuning changed the model");

        Path file = tmp.resolve("audit-personal.safetensors");
        var saved = SafetensorsReader.read(file);
        assertArrayEquals(tuned, saved.parameters().flat(), "the personal model file holds the fine-tuned model");
        assertEquals("finetune 3 local epochs, batch 8, lr 0.1, seed 123",
                saved.metadata().get(SitePersonalModelFile.PERSONALIZATION));
        JsonNode p = new ObjectMapper().readTree(ModelExporter.provenancePath(file).toFile());
        assertEquals("finetune", p.path("personalization").path("term").asText());
        assertEquals(4, p.path("model").path("global_round").asInt());
        assertEquals(expected.get("log_loss"), p.path("test_metrics").path("log_loss").asDouble());
        assertEquals(java.util.Optional.of(file), site.endRun(file, null, "run 'heart' completed"));
    }

    @Test
    void aSiteThatAllowsNoFitsRefusesToFineTune(@TempDir Path tmp) {
        PolicyDecision d = review(site(tmp, Set.of(TaskKind.EVALUATE), 10),
                new EvalTask(4, GovernedSiteTest.SITE, mlp.init(5), TUNE));
        assertFalse(d.accepted());
        assertEquals("the evaluation asks the site to fine-tune the model on its training rows first (personalization"
                + " kind finetune), which trains like a fit; this site allows tasks [evaluate]", d.reason());
    }

    @Test
    void aSiteRefusesFineTuningOverItsLocalEpochCap(@TempDir Path tmp) {
        PolicyDecision d = review(site(tmp, Set.of(TaskKind.FIT, TaskKind.EVALUATE), 2),
                new EvalTask(4, GovernedSiteTest.SITE, mlp.init(5), TUNE));
        assertFalse(d.accepted());
        assertEquals("the evaluation's fine-tuning asks for 3 local epochs; this site allows at most 2"
                + " (max_local_epochs)", d.reason());
    }
}
