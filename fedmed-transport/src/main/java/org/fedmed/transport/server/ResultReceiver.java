package org.fedmed.transport.server;

import java.util.concurrent.atomic.AtomicBoolean;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.fedmed.transport.proto.Chunk;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.wire.ChunkException;
import org.fedmed.transport.wire.ModelAssembler;
import org.fedmed.transport.wire.WireCodec;

/**
 * Receives one fit result's parameters, chunk by chunk, straight into the float vector the result will carry.
 * Each chunk is checked as it lands by the round's {@link UpdateIntake} ({@link UpdateIntake.Scan}): every value
 * finite, auxiliary vectors' included, and the running L2 norm of the delta from the global model (the parameters
 * only) within the bound, so a bad update is refused at the first bad chunk rather than after the whole payload, in
 * the words the aggregator would use.
 * Holds a share of the result buffer budget from reservation until {@link #releaseBudget()}.
 */
final class ResultReceiver {

    private final PendingTask pending;
    private final ResultHeader header;
    private final String siteId;
    private final ModelParameters global;
    private final UpdateIntake.Scan scan;
    private final ResultBufferBudget budget;
    private final AtomicBoolean reserved = new AtomicBoolean();
    private ModelAssembler assembler;

    ResultReceiver(PendingTask pending, ResultHeader header, String siteId, UpdateIntake intake,
                   ResultBufferBudget budget) {
        this.pending = pending;
        this.header = header;
        this.siteId = siteId;
        this.global = intake.global();
        this.scan = intake.scan(siteId, header.getIsDelta());
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
        int p = global.size();
        int modelTo = Math.min(to, p);
        try {
            if (from < modelTo) {
                scan.check(v, from, modelTo);
            }
        } catch (UpdateRejectedException e) {
            throw new InvalidUpdateException(e.reason());
        }
        for (int i = Math.max(from, p); i < to; i++) {
            if (!Float.isFinite(v[i])) {
                throw new InvalidUpdateException(UpdateIntake.nonFiniteAuxiliary(header.getAuxiliary(i / p - 1), global,
                        v[i], i % p));
            }
        }
    }

    /** The verified result. */
    FitResult result() {
        return WireCodec.fitResult(header, siteId, global.layout(), assembler.target());
    }

    /** Gives back this result's share of the budget, if it holds one; safe to call more than once. */
    void releaseBudget() {
        if (reserved.compareAndSet(true, false)) {
            budget.release(bytes());
        }
    }
}
