package org.fedmed.transport.wire;

import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.Task;
import org.fedmed.core.UpdateRelease;
import org.fedmed.transport.DefinitionReport;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.proto.ColumnDefinition;
import org.fedmed.transport.proto.DefinitionFingerprint;
import org.fedmed.transport.proto.ModelLayout;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.proto.TaskHeader;
import org.fedmed.transport.site.TaskOffer;

/**
 * The one mapping between the core types and the protocol messages, both ways: a task to its header (server) and
 * the header back to the offer a site's policy reviews (site); a fit or evaluation result to its header and payload
 * (site) and back to the result the round engine gets (server); the task kind; a site's dataset definition. Layouts
 * ({@link Layouts}), fit settings ({@link FitSettingsCodec}) and the payload of a model with its auxiliary vectors
 * ({@link AuxiliaryPayload}) have their own small codecs, which this one uses. Decoding a header checks what it
 * declares against itself (kind, round, auxiliary names, payload size) and throws {@link IllegalArgumentException}
 * saying which field is wrong; the validation of a result against its task stays in the server's result checks.
 */
public final class WireCodec {

    private WireCodec() {
    }

    // ---- task kind -------------------------------------------------------------------------------------------

    /** The wire form of a task kind. */
    public static org.fedmed.transport.proto.TaskKind toWire(TaskKind kind) {
        return switch (kind) {
            case FIT -> org.fedmed.transport.proto.TaskKind.FIT;
            case EVALUATE -> org.fedmed.transport.proto.TaskKind.EVALUATE;
        };
    }

    /** The task kind a wire value names; an unknown or unset value is refused. */
    public static TaskKind fromWire(org.fedmed.transport.proto.TaskKind kind) {
        return switch (kind) {
            case FIT -> TaskKind.FIT;
            case EVALUATE -> TaskKind.EVALUATE;
            default -> throw new IllegalArgumentException("unknown task kind " + kind);
        };
    }

    /** The kind of a core task. */
    public static TaskKind kindOf(Task task) {
        return switch (task) {
            case FitTask fit -> TaskKind.FIT;
            case EvalTask eval -> TaskKind.EVALUATE;
        };
    }

    // ---- tasks (server to site) ------------------------------------------------------------------------------

    /**
     * The header of {@code task}, whose payload ({@link #payload(Task)}) is {@code payloadBytes} long and laid out
     * as {@code layout} (the wire form of the global model's layout, shared by the tasks of a round).
     */
    public static TaskHeader taskHeader(Task task, ModelLayout layout, long payloadBytes, String strategy,
                                        String modelSpec, String run) {
        TaskHeader.Builder h = TaskHeader.newBuilder().setTaskId(task.taskId()).setRound(task.round())
                .setLayout(layout).setPayloadBytes(payloadBytes)
                .setStrategy(strategy).setModelSpec(modelSpec).setRun(run)
                .setKind(toWire(kindOf(task)));
        switch (task) {
            case FitTask fit -> h.setFit(FitSettingsCodec.toWire(fit.config())).addAllAuxiliary(fit.auxiliary().keySet())
                    .setRelease(toWire(fit.release()));
            case EvalTask eval -> {
                if (eval.fineTune() != null) {
                    h.setFit(FitSettingsCodec.toWire(eval.fineTune()));
                }
            }
        }
        return h.build();
    }

    /** The auxiliary vectors a task sends with its model, in payload order. */
    public static Map<String, ModelParameters> auxiliary(Task task) {
        return task instanceof FitTask fit ? fit.auxiliary() : Map.of();
    }

    /** The payload of a task: the global model, then its auxiliary vectors in header order. */
    public static float[] payload(Task task) {
        return AuxiliaryPayload.join(task.global(), auxiliary(task));
    }

    /**
     * The offer a site's policy reviews for a task header, checked against itself and against the site's
     * {@code maxModelBytes}.
     *
     * @throws IllegalArgumentException naming the field that is wrong (a blank task id becomes "(blank)", so that
     *                                  the refusal can name it)
     * @throws UnknownLocalTermException when the fit settings ask for a local term this site does not know
     */
    public static TaskOffer offer(TaskHeader h, long maxModelBytes) throws UnknownLocalTermException {
        TaskKind kind = fromWire(h.getKind());
        if (kind == TaskKind.FIT && h.getRound() < 1) {
            throw new IllegalArgumentException("fit round must be >= 1, got " + h.getRound());
        }
        ParameterLayout layout = Layouts.fromWire(h.getLayout());
        if (kind == TaskKind.EVALUATE && h.getAuxiliaryCount() > 0) {
            throw new IllegalArgumentException("an evaluation names auxiliary vectors " + h.getAuxiliaryList());
        }
        String auxiliary = AuxiliaryPayload.problem(h.getAuxiliaryList());
        if (auxiliary != null) {
            throw new IllegalArgumentException("the task " + auxiliary);
        }
        long needed = AuxiliaryPayload.bytes(layout, h.getAuxiliaryCount());
        if (h.getPayloadBytes() != needed) {
            throw new IllegalArgumentException("declares " + Long.toUnsignedString(h.getPayloadBytes())
                    + " payload bytes but its layout" + (h.getAuxiliaryCount() == 0 ? ""
                    : " and auxiliary vectors " + h.getAuxiliaryList()) + " need " + needed);
        }
        if (needed > maxModelBytes) {
            throw new IllegalArgumentException("model of " + needed + " bytes exceeds this site's max_model_bytes "
                    + maxModelBytes);
        }
        FitConfig fit = null;
        if (kind == TaskKind.FIT || h.hasFit()) {
            fit = FitSettingsCodec.fromWire(h.getFit());
        }
        UpdateRelease release = fromWire(h.getRelease());
        if (release == UpdateRelease.SECURE_SUM && (kind != TaskKind.FIT || h.getAuxiliaryCount() > 0)) {
            throw new IllegalArgumentException("only a fit without auxiliary vectors can keep its update for a secure"
                    + " sum");
        }
        return new TaskOffer(h.getTaskId().isBlank() ? "(blank)" : h.getTaskId(), kind, h.getRound(), layout, needed,
                h.getStrategy(), h.getModelSpec(), fit, h.getAuxiliaryList(), h.getRun(), release);
    }

    public static org.fedmed.transport.proto.UpdateRelease toWire(UpdateRelease release) {
        return switch (release) {
            case CLEAR -> org.fedmed.transport.proto.UpdateRelease.UPDATE_RELEASE_CLEAR;
            case SECURE_SUM -> org.fedmed.transport.proto.UpdateRelease.SECURE_SUM;
        };
    }

    /** @throws IllegalArgumentException for a release this build does not know */
    public static UpdateRelease fromWire(org.fedmed.transport.proto.UpdateRelease release) {
        return switch (release) {
            case UPDATE_RELEASE_CLEAR -> UpdateRelease.CLEAR;
            case SECURE_SUM -> UpdateRelease.SECURE_SUM;
            case UNRECOGNIZED -> throw new IllegalArgumentException("unknown update release " + release);
        };
    }

    /** The fit task a site runs for an accepted offer, once its payload has arrived. */
    public static FitTask fitTask(TaskOffer offer, String siteId, float[] payload) {
        return new FitTask(offer.round(), siteId, AuxiliaryPayload.model(offer.layout(), payload), offer.fitConfig(),
                AuxiliaryPayload.auxiliary(offer.layout(), payload, offer.auxiliary()), offer.release());
    }

    /** The evaluation a site runs for an accepted offer, once its payload has arrived. */
    public static EvalTask evalTask(TaskOffer offer, String siteId, float[] payload) {
        return new EvalTask(offer.round(), siteId, AuxiliaryPayload.model(offer.layout(), payload), offer.fitConfig());
    }

    // ---- results (site to server) ----------------------------------------------------------------------------

    /** The header of a fit result answering task {@code taskId} of {@code round}; its payload is {@link #payload(FitResult)}. */
    public static ResultHeader resultHeader(FitResult r, String taskId, int round) {
        return ResultHeader.newBuilder().setTaskId(taskId).setRound(round)
                .setKind(org.fedmed.transport.proto.TaskKind.FIT)
                .setNumExamples(r.numExamples()).setQuality(r.quality()).putAllMetrics(r.trainMetrics())
                .setIsDelta(r.isDelta()).setLayout(Layouts.toWire(r.parameters().layout()))
                .addAllAuxiliary(r.auxiliary().keySet())
                .setPayloadBytes(AuxiliaryPayload.bytes(r.parameters().layout(), r.auxiliary().size()))
                .build();
    }

    /**
     * The header of a held fit's result ({@link FitResult#held}, for a fit that keeps its update for a secure sum):
     * the counts, metrics and layout, and no payload at all.
     */
    public static ResultHeader heldResultHeader(FitResult held, String taskId, int round) {
        return ResultHeader.newBuilder().setTaskId(taskId).setRound(round)
                .setKind(org.fedmed.transport.proto.TaskKind.FIT)
                .setNumExamples(held.numExamples()).setQuality(held.quality()).putAllMetrics(held.trainMetrics())
                .setLayout(Layouts.toWire(held.parameters().layout())).setPayloadBytes(0)
                .build();
    }

    /** The held result of site {@code siteId} for {@code task}, whose update the site kept, from its header. */
    public static FitResult heldFitResult(ResultHeader h, String siteId, FitTask task) {
        return FitResult.held(siteId, h.getTaskId(), task.global(), h.getNumExamples(), h.getQuality(),
                h.getMetricsMap());
    }

    /** The payload of a fit result: its parameters, then its auxiliary vectors in header order. */
    public static float[] payload(FitResult r) {
        return AuxiliaryPayload.join(r.parameters(), r.auxiliary());
    }

    /** The header of an evaluation result answering task {@code taskId} of {@code round}; it has no payload. */
    public static ResultHeader resultHeader(EvalResult r, String taskId, int round) {
        return ResultHeader.newBuilder().setTaskId(taskId).setRound(round)
                .setKind(org.fedmed.transport.proto.TaskKind.EVALUATE)
                .setNumExamples(r.numExamples()).putAllMetrics(r.metrics())
                .build();
    }

    /**
     * The fit result of site {@code siteId} from its header and its received payload, laid out as the global model
     * {@code layout} (which the server's result checks matched the header's layout against).
     */
    public static FitResult fitResult(ResultHeader h, String siteId, ParameterLayout layout, float[] payload) {
        return new FitResult(siteId, h.getTaskId(), AuxiliaryPayload.model(layout, payload), h.getIsDelta(),
                h.getNumExamples(), h.getQuality(), h.getMetricsMap(),
                AuxiliaryPayload.auxiliary(layout, payload, h.getAuxiliaryList()));
    }

    /** The evaluation result of site {@code siteId} from its header. */
    public static EvalResult evalResult(ResultHeader h, String siteId) {
        return new EvalResult(siteId, h.getTaskId(), h.getNumExamples(), h.getMetricsMap());
    }

    // ---- dataset definition (Hello) --------------------------------------------------------------------------

    /** The fingerprint of a site's dataset definition that its Hello carries. */
    public static DefinitionFingerprint toWire(DefinitionReport d) {
        DefinitionFingerprint.Builder f = DefinitionFingerprint.newBuilder().setSha256(d.sha256());
        for (int i = 0; i < d.columnNames().size(); i++) {
            f.addColumns(ColumnDefinition.newBuilder().setName(d.columnNames().get(i))
                    .setDescription(d.descriptions().get(i)));
        }
        return f.build();
    }

    /** The dataset definition a Hello reports. */
    public static DefinitionReport fromWire(DefinitionFingerprint d) {
        return new DefinitionReport(d.getSha256(), d.getColumnsList().stream().map(ColumnDefinition::getName).toList(),
                d.getColumnsList().stream().map(ColumnDefinition::getDescription).toList());
    }
}
