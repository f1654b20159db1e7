package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.ml.Model;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.server.checkpoint.SafetensorsFile;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.export.ModelExporter;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A governed site that is asked for FedPer keeps its personal layers across fits, reports its personal model's
 * metrics as a simulated site does, and at the end of the run writes that model beside its audit log with a
 * provenance {@code fedmed predict} reads, then starts the next run without it.
 */
class GovernedSitePersonalModelTest {

    static final LocalTerm.PersonalLayers HEAD = new LocalTerm.PersonalLayers(List.of(2, 3));

    final GovernedSite site = new GovernedSite(GovernedSiteTest.DATA, new AllowListPolicy(new AllowList(
            Set.of(TaskKind.FIT, TaskKind.EVALUATE), List.of("fedavg"), List.of(GovernedSiteTest.MLP), 10, 10_000)));
    final Model mlp = GovernedSiteTest.model(GovernedSiteTest.MLP);

    FitTask fit(int round, ModelParameters global) {
        FitTask task = new FitTask(round, GovernedSiteTest.SITE, global, GovernedSiteTest.FIT.withTerms(List.of(HEAD)));
        assertTrue(site.review(new TaskOffer(task.taskId(), TaskKind.FIT, round, mlp.layout(),
                4L * mlp.parameterCount(), "fedavg", GovernedSiteTest.MLP.toJson(), task.config())).accepted());
        return task;
    }

    EvalTask evaluate(int round, ModelParameters global) {
        EvalTask task = new EvalTask(round, GovernedSiteTest.SITE, global);
        assertTrue(site.review(new TaskOffer(task.taskId(), TaskKind.EVALUATE, round, mlp.layout(),
                4L * mlp.parameterCount(), "fedavg", GovernedSiteTest.MLP.toJson(), null)).accepted());
        return task;
    }

    @Test
    void theSiteKeepsItsHeadReportsPersonalMetricsAndWritesItsPersonalModelWhenTheRunEnds(@TempDir Path tmp)
            throws Exception {
        ModelParameters g1 = mlp.init(5);
        ModelParameters g2 = mlp.init(6);
        TrainingSiteClient direct = new TrainingSiteClient(GovernedSiteTest.SITE, mlp, GovernedSiteTest.DATA.site().train(),
                GovernedSiteTest.DATA.site().test(), 0.9);
        for (ModelParameters g : List.of(g1, g2)) {
            int round = g == g1 ? 1 : 2;
            FitTask task = fit(round, g);
            assertArrayEquals(direct.fit(task).parameters().flat(), site.fit(task).parameters().flat(),
                    "round " + round + ": the update is the simulated site's");
        }
        Map<String, Double> metrics = site.evaluate(evaluate(2, g2)).metrics();
        assertEquals(direct.evaluate(new EvalTask(2, GovernedSiteTest.SITE, g2)).metrics(), metrics);
        assertTrue(metrics.containsKey("personal_log_loss"), metrics.toString());

        Path audit = tmp.resolve("audit.jsonl");
        Path file = SitePersonalModelFile.beside(audit);
        assertEquals(tmp.resolve("audit-personal.safetensors"), file);
        Optional<Path> written = site.endRun(file, tmp.resolve("audit-preprocessing.json"), "run 'heart' completed");
        assertEquals(Optional.of(file), written);

        SafetensorsFile saved = SafetensorsReader.read(file);
        float[] expected = direct.personalParameters(g2);
        assertArrayEquals(expected, saved.parameters().flat(), "FedPer: the last global's body with the site's head");
        ParameterLayout.Entry head = mlp.layout().entries().get(2);
        float[] headSaved = Arrays.copyOfRange(saved.parameters().flat(), head.offset(), head.offset() + head.size());
        float[] headGlobal = Arrays.copyOfRange(g2.flat(), head.offset(), head.offset() + head.size());
        assertFalse(Arrays.equals(headGlobal, headSaved), "the head is the site's own, not the global one");
        assertEquals(GovernedSiteTest.SITE, saved.metadata().get(SitePersonalModelFile.SITE));
        assertEquals("personal_layers v1 [2.0, 3.0]", saved.metadata().get(SitePersonalModelFile.PERSONALIZATION));

        JsonNode provenance = new ObjectMapper().readTree(ModelExporter.provenancePath(file).toFile());
        assertEquals("[\"dense1.weight\",\"dense1.bias\"]", provenance.path("personalization").path("personal_tensors")
                .toString());
        assertEquals(2, provenance.path("model").path("global_round").asInt());
        assertEquals("mlp", provenance.path("model").path("spec").path("type").asText());
        assertEquals("[\"a\",\"b\",\"c\",\"d\"]", provenance.path("inputs").toString());
        assertEquals("audit-preprocessing.json", provenance.path("preprocessing_file").asText());
        assertEquals(direct.metrics(expected).get("log_loss"),
                provenance.path("test_metrics").path("log_loss").asDouble());

        assertEquals(Optional.empty(), site.endRun(file, null, "again"), "the personal model was handed over once");
        Map<String, Double> nextRun = site.evaluate(evaluate(0, g1)).metrics();
        assertFalse(nextRun.containsKey("personal_log_loss"), "a new run starts without the last run's personal model");
    }

    @Test
    void aSiteThatKeptNoPersonalModelWritesNothing(@TempDir Path tmp) throws Exception {
        ModelParameters g = mlp.init(5);
        FitTask plain = new FitTask(1, GovernedSiteTest.SITE, g, GovernedSiteTest.FIT);
        assertTrue(site.review(new TaskOffer(plain.taskId(), TaskKind.FIT, 1, mlp.layout(), 4L * mlp.parameterCount(),
                "fedavg", GovernedSiteTest.MLP.toJson(), plain.config())).accepted());
        site.fit(plain);
        site.evaluate(evaluate(1, g));
        Path file = tmp.resolve("audit-personal.safetensors");
        assertEquals(Optional.empty(), site.endRun(file, null, "run ended"));
        assertFalse(Files.exists(file));
    }
}
