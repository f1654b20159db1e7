package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.SiteClient;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.ModelSpecFamily;
import org.fedmed.ml.OptimizerSpec;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;

/**
 * A site of a model family runs only what its allow-list approved, of its own family and with the layout of the
 * model built for its data, once per approval. The family here is a test double registered as a service.
 */
class ModelFamilySiteTest {

    /** A spec of the test family: one tensor of {@code width} values. */
    record FakeSpec(int width) implements ModelSpec.Extension {
        public String type() {
            return "fake";
        }

        public OptimizerSpec optimizer() {
            return OptimizerSpec.sgd();
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "fake");
            m.put("width", width);
            return m;
        }
    }

    /** Counts the sites it opens; its client adds 1 to every parameter. */
    public static final class FakeFamily implements ModelSpecFamily {
        static final AtomicInteger OPENED = new AtomicInteger();
        static final java.util.concurrent.atomic.AtomicReference<DpNoise> DP_ASKED =
                new java.util.concurrent.atomic.AtomicReference<>();

        public List<String> types() {
            return List.of("fake");
        }

        public ModelSpec.Extension read(String text) {
            return new FakeSpec(Integer.parseInt(text.replaceAll("\\D+", "")));
        }

        @Override
        public FamilySite openSite(String siteId, String member, ModelSpec.Extension spec, Path definition,
                                   List<Path> dataRoots, long seed, DpNoise dp) {
            OPENED.incrementAndGet();
            DP_ASKED.set(dp);
            int width = ((FakeSpec) spec).width();
            SiteClient client = new SiteClient() {
                public String siteId() {
                    return siteId;
                }

                public FitResult fit(FitTask task) {
                    float[] p = task.global().copyFlat();
                    for (int i = 0; i < p.length; i++) {
                        p[i] += 1;
                    }
                    return new FitResult(siteId, task.taskId(), ModelParameters.ofFlat(task.global().layout(), p),
                            false, 10, 1.0, Map.of("loss", 0.5));
                }

                public EvalResult evaluate(EvalTask task) {
                    return new EvalResult(siteId, task.taskId(), 5, Map.of("accuracy", 1.0));
                }
            };
            return new FamilySite(client, layout(width), 10, 5, () -> { });
        }
    }

    static ParameterLayout layout(int width) {
        return ParameterLayout.of(List.of("w"), List.<int[]>of(new int[]{width}));
    }

    static final FitConfig FIT = new FitConfig(1, 8, 0.1, false, 1);

    static ModelFamilySite site(ModelSpec... approved) {
        AllowList allow = new AllowList(Set.of(TaskKind.FIT, TaskKind.EVALUATE), List.of("fedavg"), List.of(approved),
                5, 1000);
        return new ModelFamilySite("a", "site-1", new AllowListPolicy(allow), new FakeFamily(), Path.of("data.yaml"),
                List.of(), 7);
    }

    static TaskOffer offer(String taskId, ModelSpec spec, int width) {
        return new TaskOffer(taskId, TaskKind.FIT, 1, layout(width), 4L * width, "fedavg", spec.toJson(), FIT);
    }

    @Test
    void anApprovedFamilySpecTrainsOncePerApprovalWithTheFamilysClient() throws Exception {
        ModelFamilySite site = site(new FakeSpec(3));
        TaskOffer offer = offer("r1-fit-a", new FakeSpec(3), 3);
        PolicyDecision decision = site.review(offer);
        assertTrue(decision.accepted(), decision.reason());
        FitTask task = new FitTask(1, "a", ModelParameters.ofFlat(layout(3), new float[]{1, 2, 3}), FIT);
        assertEquals("r1-fit-a", task.taskId());
        assertArrayEquals(new float[]{2, 3, 4}, site.fit(task).parameters().flat());
        var e = assertThrows(IllegalStateException.class, () -> site.fit(task));
        assertEquals("site 'a' was asked to run task 'r1-fit-a', which its allow-list did not approve", e.getMessage());
    }

    @Test
    void aSpecOfAnotherFamilyIsRefusedNamingTheDefinitionAndItsTypes() {
        ModelFamilySite site = site(new FakeSpec(3), ModelSpec.logistic());
        PolicyDecision d = site.review(offer("r1-fit-a", ModelSpec.logistic(), 3));
        assertFalse(d.accepted());
        assertEquals("model spec type 'logistic' does not train on this site's data: its dataset definition data.yaml"
                + " is of model types [fake]", d.reason());
    }

    @Test
    void anOfferWhoseLayoutIsNotTheModelBuiltForTheSitesDataIsRefused() {
        ModelFamilySite site = site(new FakeSpec(3));
        PolicyDecision d = site.review(offer("r1-fit-a", new FakeSpec(3), 4));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("the task's model layout "), d.reason());
        assertTrue(d.reason().contains("is not that of {\"type\":\"fake\",\"width\":3} built for this site's data"),
                d.reason());
    }

    @Test
    void dpSgdFitsAreChargedToTheLedgerReportOnlyEpsilonAndStopAtTheBudget(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // 10 training items, batch 8: q = 0.8 and ceil(10 / 8) = 2 steps a one-epoch fit
        double one = new org.fedmed.privacy.accounting.RdpAccountant().step(0.8, 1.1, 2).epsilon(1e-5).epsilon();
        double two = new org.fedmed.privacy.accounting.RdpAccountant().step(0.8, 1.1, 4).epsilon(1e-5).epsilon();
        DpSgdSettings dp = new DpSgdSettings(1.0, 1.1, 1e-5, (one + two) / 2, 3L);
        Path ledgerFile = dir.resolve("audit-privacy.jsonl");
        AllowList allow = new AllowList(Set.of(TaskKind.FIT, TaskKind.EVALUATE), List.of("fedavg"),
                List.of(new FakeSpec(3)), 5, 1000);
        ModelFamilySite site = new ModelFamilySite("a", "site-1", new AllowListPolicy(allow), new FakeFamily(),
                Path.of("data.yaml"), List.of(), 7, dp, PrivacyLedger.open(ledgerFile));
        assertTrue(site.review(offer("r1-fit-a", new FakeSpec(3), 3)).accepted());
        assertEquals(1.1, FakeFamily.DP_ASKED.get().noiseMultiplier());
        FitResult fit = site.fit(new FitTask(1, "a", ModelParameters.ofFlat(layout(3), new float[3]), FIT));
        assertEquals(Map.of("dp_epsilon", one), fit.trainMetrics());
        PolicyDecision refused = site.review(new TaskOffer("r2-fit-a", TaskKind.FIT, 2, layout(3), 12, "fedavg",
                new FakeSpec(3).toJson(), FIT));
        assertFalse(refused.accepted());
        assertTrue(refused.reason().startsWith(String.format(java.util.Locale.ROOT, "privacy budget: this fit (1"
                + " local epochs, batch size 8) would take the site's epsilon from %.4g to %.4g", one, two)),
                refused.reason());
        // a restarted process continues from the ledger
        ModelFamilySite again = new ModelFamilySite("a", "site-1", new AllowListPolicy(allow), new FakeFamily(),
                Path.of("data.yaml"), List.of(), 7, dp, PrivacyLedger.open(ledgerFile));
        assertEquals(one, again.epsilonSpent(), 1e-12);
    }

    @Test
    void anEvaluationThatAsksToFineTuneFirstIsRefused() {
        ModelFamilySite site = site(new FakeSpec(3));
        PolicyDecision d = site.review(new TaskOffer("r1-eval-a", TaskKind.EVALUATE, 1, layout(3), 12, "fedavg",
                new FakeSpec(3).toJson(), FIT));
        assertFalse(d.accepted());
        assertEquals("the evaluation asks the site to fine-tune the model first (personalization kind finetune),"
                + " which a site of model types [fake] does not do", d.reason());
    }

    @Test
    void aFitAskingForNoiseAtTheSiteIsRefusedSinceTheFamilyDoesNotAddIt() {
        ModelFamilySite site = site(new FakeSpec(3));
        FitConfig noised = FIT.withTerms(List.of(new org.fedmed.core.LocalTerm.UpdateNoise(1.0, 1.0, 1)));
        PolicyDecision d = site.review(new TaskOffer("r1-fit-a", TaskKind.FIT, 1, layout(3), 12, "fedavg",
                new FakeSpec(3).toJson(), noised));
        assertFalse(d.accepted());
        assertEquals("the fit asks the site to add DP-FedAvg noise to its update (local term 'update_noise'), which a"
                + " site of model types [fake] does not do; the federation can use dp.noise: central", d.reason());
    }

    @Test
    void theAllowListDecidesFirst() {
        int opened = FakeFamily.OPENED.get();
        ModelFamilySite site = site(new FakeSpec(3));
        PolicyDecision d = site.review(offer("r1-fit-a", new FakeSpec(5), 5));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("model spec {\"type\":\"fake\",\"width\":5} is not approved"), d.reason());
        assertEquals(opened, FakeFamily.OPENED.get(), "no data was read for a refused spec");
    }
}
