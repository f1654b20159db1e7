package org.fedmed.transport.server;

import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.UpdateRelease;
import org.fedmed.transport.proto.ResultHeader;

/**
 * Fits whose site keeps its update for a secure sum ({@link UpdateRelease#SECURE_SUM}), on the wire: the release as
 * the task header says it, the header check of such a result (no payload at all: the update does not travel), and
 * the held result it becomes ({@link FitResult#held}).
 */
final class HeldResults {

    private HeldResults() {
    }

    static org.fedmed.transport.proto.UpdateRelease toWire(UpdateRelease release) {
        return switch (release) {
            case CLEAR -> org.fedmed.transport.proto.UpdateRelease.UPDATE_RELEASE_CLEAR;
            case SECURE_SUM -> org.fedmed.transport.proto.UpdateRelease.SECURE_SUM;
        };
    }

    /** Null if the header of a held fit's result is acceptable, else why not. */
    static String problem(ResultHeader h) {
        if (h.getPayloadBytes() != 0 || h.getAuxiliaryCount() > 0) {
            return "the task asked the site to keep its update for a secure sum, but the result declares "
                    + Long.toUnsignedString(h.getPayloadBytes()) + " payload bytes"
                    + (h.getAuxiliaryCount() == 0 ? "" : " and auxiliary vectors " + h.getAuxiliaryList())
                    + "; it must carry none";
        }
        return null;
    }

    static FitResult of(ResultHeader h, FitTask task, String siteId) {
        return FitResult.held(siteId, h.getTaskId(), task.global(), h.getNumExamples(), h.getQuality(),
                h.getMetricsMap());
    }
}
