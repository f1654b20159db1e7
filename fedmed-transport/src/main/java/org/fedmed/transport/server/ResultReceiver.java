package org.fedmed.transport.server;

import java.util.concurrent.atomic.AtomicBoolean;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.transport.proto.Chunk;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.wire.ChunkException;
import org.fedmed.transport.wire.AuxiliaryPayload;
import org.fedmed.transport.wire.ModelAssembler;

/**
 * Receives one fit result's parameters, chunk by chunk, straight into the float vector the result will carry.
 * Each chunk is checked as it lands: every value finite, auxiliary vectors' included, and the running L2 norm of the
 * delta from the global model (the parameters only) within the bound, so a bad update is refused at the first bad chunk rather than after the whole payload.
 * Holds a share of the result buffer budget from reservation until {@link #releaseBudget()}.
 */
final class ResultReceiver {

    private final PendingTask pending;
    private final ResultHeader header;
    private final String siteId;
    private final ModelParameters global;
    private final double maxNorm;
    private final ResultBufferBudget budget;
    private final AtomicBoolean reserved = new AtomicBoolean();
    private ModelAssembler assembler;
    private double sumSquares;

    ResultReceiver(PendingTask pending, ResultHeader header, String siteId, ModelParameters global, double maxNorm,
                   ResultBufferBudget budget) {
        this.pending = pending;
        this.header = header;
        this.siteId = siteId;
        this.global = global;
        this.maxNorm = maxNorm;
        this.budget = budget;
    }

    PendingTask pending() {
        return pending;
    }

    ResultHeader header() {
        return header;
    }

    String taskId() {
        return header.getTaskId();
    }

    long bytes() {
        return header.getPayloadBytes();
    }

    /** Records that the budget for this result was reserved (it must be released once). */
    void markReserved() {
        reserved.set(true);
    }

    /** Allocates the vector the payload is decoded into. */
    void allocate() {
        assembler = new ModelAssembler(taskId(), new float[global.size() * (1 + header.getAuxiliaryCount())]);
    }

    boolean allocated() {
        return assembler != null;
    }

    /** Decodes and checks one chunk; returns true once the payload is complete and verified. */
    boolean accept(Chunk chunk) throws ChunkException, InvalidUpdateException {
        int from = assembler.position();
        int n = assembler.accept(chunk);
        check(from, from + n);
        return assembler.complete();
    }

    private void check(int from, int to) throws InvalidUpdateException {
        float[] v = assembler.target();
        float[] g = global.flat();
        int p = g.length;
        boolean delta = header.getIsDelta();
        double s = sumSquares;
        int modelTo = Math.min(to, p);
        for (int i = from; i < modelTo; i++) {
            float x = v[i];
            if (!Float.isFinite(x)) {
                throw new InvalidUpdateException("value " + x + " in tensor '" + global.tensorAt(i) + "' (flat index " + i
                        + ") is not finite");
            }
            double d = delta ? x : (double) x - g[i];
            s += d * d;
        }
        for (int i = Math.max(from, p); i < to; i++) {
            if (!Float.isFinite(v[i])) {
                throw new InvalidUpdateException("value " + v[i] + " of auxiliary vector '"
                        + header.getAuxiliary(i / p - 1) + "' in tensor '" + global.tensorAt(i % p) + "' (flat index "
                        + i % p + ") is not finite");
            }
        }
        sumSquares = s;
        if (Math.sqrt(s) > maxNorm) {
            throw new InvalidUpdateException("L2 norm of the update's delta from the global model exceeds the bound "
                    + maxNorm + " (it reached " + (float) Math.sqrt(s) + " after " + modelTo + " of " + p + " values)");
        }
    }

    /** The verified result. */
    FitResult result() {
        float[] payload = assembler.target();
        return new FitResult(siteId, taskId(), AuxiliaryPayload.model(global.layout(), payload),
                header.getIsDelta(), header.getNumExamples(), header.getQuality(), header.getMetricsMap(),
                AuxiliaryPayload.auxiliary(global.layout(), payload, header.getAuxiliaryList()));
    }

    /** Gives back this result's share of the budget, if it holds one; safe to call more than once. */
    void releaseBudget() {
        if (reserved.compareAndSet(true, false)) {
            budget.release(bytes());
        }
    }
}
