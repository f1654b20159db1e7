package org.fedmed.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.transport.DefinitionReport;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.proto.DefinitionFingerprint;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.proto.TaskHeader;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;

/**
 * Every conversion of the codec survives the wire both ways: a core value, encoded, serialized, parsed and decoded,
 * is the value it started as, compared with literals.
 */
class WireCodecTest {

    static final ParameterLayout LAYOUT = ParameterLayout.of(List.of("dense.w", "dense.b"),
            List.of(new int[]{2, 2}, new int[]{2}));
    static final ModelParameters GLOBAL = ModelParameters.ofFlat(LAYOUT, new float[]{0.5f, -1.25f, 2f, 0f, 3.5f, -0.125f});
    static final ModelParameters CONTROL = ModelParameters.ofFlat(LAYOUT, new float[]{1f, 2f, 3f, 4f, 5f, 6f});
    static final FitConfig FIT = new FitConfig(3, 16, 0.05, true, 42);
    static final long MAX = 1 << 20;

    static TaskHeader overTheWire(TaskHeader h) throws Exception {
        return TaskHeader.parseFrom(h.toByteArray());
    }

    static ResultHeader overTheWire(ResultHeader h) throws Exception {
        return ResultHeader.parseFrom(h.toByteArray());
    }

    @Test
    void aFitTaskWithAnAuxiliaryVectorBecomesTheOfferAndTheTaskItWas() throws Exception {
        FitTask task = new FitTask(4, "hospital-a", GLOBAL, FIT, Map.of("scaffold.c", CONTROL));
        TaskHeader h = overTheWire(WireCodec.taskHeader(task, Layouts.toWire(LAYOUT), 48, "scaffold", "mlp:2-2", "run-7"));
        assertEquals(org.fedmed.transport.proto.TaskKind.FIT, h.getKind());

        TaskOffer offer = WireCodec.offer(h, MAX);
        assertEquals(new TaskOffer("r4-fit-hospital-a", TaskKind.FIT, 4, LAYOUT, 48, "scaffold", "mlp:2-2", FIT,
                List.of("scaffold.c"), "run-7"), offer);
        float[] payload = WireCodec.payload(task);
        assertArrayEquals(new float[]{0.5f, -1.25f, 2f, 0f, 3.5f, -0.125f, 1f, 2f, 3f, 4f, 5f, 6f}, payload);
        assertEquals(task, WireCodec.fitTask(offer, "hospital-a", payload));
    }

    @Test
    void anEvaluationWithAndWithoutFineTuningBecomesTheOfferAndTheTaskItWas() throws Exception {
        for (EvalTask task : List.of(new EvalTask(0, "hospital-b", GLOBAL), new EvalTask(2, "hospital-b", GLOBAL, FIT))) {
            TaskHeader h = overTheWire(WireCodec.taskHeader(task, Layouts.toWire(LAYOUT), 24, "fedavg", "mlp:2-2", ""));
            assertEquals(task.fineTune() != null, h.hasFit());
            TaskOffer offer = WireCodec.offer(h, MAX);
            assertEquals(new TaskOffer("r" + task.round() + "-eval-hospital-b", TaskKind.EVALUATE, task.round(), LAYOUT,
                    24, "fedavg", "mlp:2-2", task.fineTune(), List.of(), ""), offer);
            assertEquals(task, WireCodec.evalTask(offer, "hospital-b", WireCodec.payload(task)));
        }
    }

    @Test
    void aHeaderWhosePayloadSizeDisagreesWithItsLayoutOrExceedsTheSiteLimitIsRefusedNamingBoth() throws Exception {
        FitTask task = new FitTask(1, "hospital-a", GLOBAL, FIT);
        TaskHeader wrong = WireCodec.taskHeader(task, Layouts.toWire(LAYOUT), 28, "fedavg", "", "");
        var e = assertThrows(IllegalArgumentException.class, () -> WireCodec.offer(wrong, MAX));
        assertEquals("declares 28 payload bytes but its layout need 24", e.getMessage());
        TaskHeader right = WireCodec.taskHeader(task, Layouts.toWire(LAYOUT), 24, "fedavg", "", "");
        var tooBig = assertThrows(IllegalArgumentException.class, () -> WireCodec.offer(right, 20));
        assertEquals("model of 24 bytes exceeds this site's max_model_bytes 20", tooBig.getMessage());
    }

    @Test
    void aFitResultWithAnAuxiliaryVectorComesBackAsTheResultItWas() throws Exception {
        FitResult r = new FitResult("hospital-a", "r4-fit-hospital-a", CONTROL, true, 120, 0.75,
                Map.of("loss", 0.5, "accuracy", 0.875), Map.of("scaffold.delta_c", GLOBAL));
        ResultHeader h = overTheWire(WireCodec.resultHeader(r, "r4-fit-hospital-a", 4));
        assertEquals("r4-fit-hospital-a", h.getTaskId());
        assertEquals(4, h.getRound());
        assertEquals(org.fedmed.transport.proto.TaskKind.FIT, h.getKind());
        assertEquals(48, h.getPayloadBytes());
        assertEquals(LAYOUT, Layouts.fromWire(h.getLayout()));
        float[] payload = WireCodec.payload(r);
        assertArrayEquals(new float[]{1f, 2f, 3f, 4f, 5f, 6f, 0.5f, -1.25f, 2f, 0f, 3.5f, -0.125f}, payload);
        assertEquals(r, WireCodec.fitResult(h, "hospital-a", LAYOUT, payload));
    }

    @Test
    void anEvaluationResultComesBackAsTheResultItWas() throws Exception {
        EvalResult r = new EvalResult("hospital-c", "r3-eval-hospital-c", 57, Map.of("auc", 0.8125, "loss", 0.25));
        ResultHeader h = overTheWire(WireCodec.resultHeader(r, "r3-eval-hospital-c", 3));
        assertEquals(org.fedmed.transport.proto.TaskKind.EVALUATE, h.getKind());
        assertEquals(3, h.getRound());
        assertEquals(0, h.getPayloadBytes());
        assertEquals(r, WireCodec.evalResult(h, "hospital-c"));
    }

    @Test
    void aDatasetDefinitionComesBackAsTheDefinitionItWas() throws Exception {
        DefinitionReport d = new DefinitionReport("ab".repeat(32), List.of("age", "sex"),
                List.of("age:numeric:years", "sex:categorical:[f, m]"));
        DefinitionFingerprint wire = DefinitionFingerprint.parseFrom(WireCodec.toWire(d).toByteArray());
        assertEquals(2, wire.getColumnsCount());
        assertEquals("sex", wire.getColumns(1).getName());
        assertEquals(d, WireCodec.fromWire(wire));
    }

    @Test
    void eachTaskKindComesBackAsItselfAndAnUnsetKindIsRefused() {
        for (TaskKind k : TaskKind.values()) {
            assertEquals(k, WireCodec.fromWire(WireCodec.toWire(k)));
        }
        assertEquals(org.fedmed.transport.proto.TaskKind.EVALUATE, WireCodec.toWire(TaskKind.EVALUATE));
        var e = assertThrows(IllegalArgumentException.class,
                () -> WireCodec.fromWire(org.fedmed.transport.proto.TaskKind.TASK_KIND_UNSPECIFIED));
        assertEquals("unknown task kind TASK_KIND_UNSPECIFIED", e.getMessage());
    }
}
