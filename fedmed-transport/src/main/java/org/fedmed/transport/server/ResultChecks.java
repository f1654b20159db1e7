package org.fedmed.transport.server;

import org.fedmed.core.EvalTask;
import org.fedmed.core.FitTask;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.Task;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.proto.TaskKind;
import org.fedmed.transport.wire.AuxiliaryPayload;
import org.fedmed.transport.wire.Layouts;

/**
 * The checks a result header must pass before any of its payload is buffered: it answers the task it names (kind
 * and round), declares the global model's exact layout in float32, a payload of exactly that size (times one plus its
 * auxiliary vectors, at most {@value AuxiliaryPayload#MAX_VECTORS}, each named once) within the model limit, at least
 * one example and a quality in [0, 1]. The result of a fit whose site keeps its update for a secure sum carries no
 * payload at all.
 */
final class ResultChecks {

    private ResultChecks() {
    }

    /** Returns null if the header is acceptable, else the reason it is not. */
    static String problem(ResultHeader h, Task task, WireLimits limits) {
        TaskKind expectedKind = task instanceof FitTask ? TaskKind.FIT : TaskKind.EVALUATE;
        if (h.getKind() != expectedKind) {
            return "result is of kind " + h.getKind() + " but task '" + task.taskId() + "' is " + expectedKind;
        }
        if (h.getRound() != task.round()) {
            return "result is for round " + h.getRound() + " but task '" + task.taskId() + "' is in round " + task.round();
        }
        if (h.getNumExamples() < 1 || h.getNumExamples() > Long.MAX_VALUE / 2) {
            return "num_examples must be >= 1, got " + Long.toUnsignedString(h.getNumExamples());
        }
        for (var m : h.getMetricsMap().entrySet()) {
            if (m.getKey().isBlank()) {
                return "a metric has a blank name";
            }
        }
        return switch (task) {
            case FitTask fit -> fitProblem(h, fit, limits);
            case EvalTask eval -> h.getPayloadBytes() == 0 ? null
                    : "an evaluation result carries no parameters, but this one declares "
                    + Long.toUnsignedString(h.getPayloadBytes()) + " payload bytes";
        };
    }

    private static String fitProblem(ResultHeader h, FitTask task, WireLimits limits) {
        if (!(h.getQuality() >= 0 && h.getQuality() <= 1)) {
            return "quality must be in [0, 1], got " + h.getQuality();
        }
        if (task.release() == org.fedmed.core.UpdateRelease.SECURE_SUM) {
            return h.getPayloadBytes() == 0 && h.getAuxiliaryCount() == 0 ? null
                    : "the task asked the site to keep its update for a secure sum, but the result declares "
                    + Long.toUnsignedString(h.getPayloadBytes()) + " payload bytes"
                    + (h.getAuxiliaryCount() == 0 ? "" : " and auxiliary vectors " + h.getAuxiliaryList())
                    + "; it must carry none";
        }
        ParameterLayout declared;
        try {
            declared = Layouts.fromWire(h.getLayout());
        } catch (IllegalArgumentException e) {
            return "malformed layout: " + e.getMessage();
        }
        ParameterLayout expected = task.global().layout();
        String mismatch = UpdateIntake.layoutMismatch(declared, expected);
        if (mismatch != null) {
            return mismatch;
        }
        long payload = h.getPayloadBytes();
        if (Long.compareUnsigned(payload, limits.maxModelBytes()) > 0) {
            return "payload of " + Long.toUnsignedString(payload) + " bytes exceeds max_model_bytes "
                    + limits.maxModelBytes();
        }
        String auxiliary = AuxiliaryPayload.problem(h.getAuxiliaryList());
        if (auxiliary != null) {
            return "the result " + auxiliary;
        }
        long needed = AuxiliaryPayload.bytes(expected, h.getAuxiliaryCount());
        if (payload != needed) {
            return "declares " + Long.toUnsignedString(payload) + " payload bytes but its layout"
                    + (h.getAuxiliaryCount() == 0 ? "" : " and auxiliary vectors " + h.getAuxiliaryList())
                    + " need " + needed;
        }
        return null;
    }
}
