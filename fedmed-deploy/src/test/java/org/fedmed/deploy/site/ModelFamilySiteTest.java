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

        public List<String> types() {
            return List.of("fake");
        }

        public ModelSpec.Extension read(String text) {
            return new FakeSpec(Integer.parseInt(text.replaceAll("\\D+", "")));
        }

        @Override
        public FamilySite openSite(String siteId, String member, ModelSpec.Extension spec, Path definition,
                                   List<Path> dataRoots, long seed) {
            OPENED.incrementAndGet();
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
                            false, 10, 1.0, Map.of());
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
    void theAllowListDecidesFirst() {
        int opened = FakeFamily.OPENED.get();
        ModelFamilySite site = site(new FakeSpec(3));
        PolicyDecision d = site.review(offer("r1-fit-a", new FakeSpec(5), 5));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("model spec {\"type\":\"fake\",\"width\":5} is not approved"), d.reason());
        assertEquals(opened, FakeFamily.OPENED.get(), "no data was read for a refused spec");
    }
}
