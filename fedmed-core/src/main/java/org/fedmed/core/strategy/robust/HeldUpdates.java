package org.fedmed.core.strategy.robust;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * What every robust aggregator holds: each update is admitted by the round's {@link UpdateIntake} (this round's
 * task, the global model's layout, one update per site, finite values) and refused with nothing kept if a check
 * fails; an accepted update is held as full weights (global + delta for a delta). The held updates
 * come back ordered by site id, so what is computed from them does not depend on arrival order. Memory O(N·P):
 * a full-weights update is held by reference (parameters are immutable), a delta as one new vector.
 */
final class HeldUpdates {

    private record Held(String siteId, float[] weights) {
    }

    private final UpdateIntake intake;
    private final ModelParameters global;
    private final int round;
    private final List<Held> held = new ArrayList<>();
    private int accepted;
    private boolean finished;

    HeldUpdates(UpdateIntake intake) {
        if (intake == null) {
            throw new IllegalArgumentException("a robust aggregator needs the round's intake");
        }
        this.intake = intake;
        this.global = intake.global();
        this.round = intake.round();
    }

    ModelParameters global() {
        return global;
    }

    void accept(FitResult update) throws UpdateRejectedException {
        if (finished) {
            throw new IllegalStateException("aggregator already produced its result");
        }
        intake.admit(update);
        float[] x = update.parameters().flat();
        float[] weights;
        if (update.isDelta()) {
            float[] g = global.flat();
            weights = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                weights[i] = g[i] + x[i];
            }
        } else {
            weights = x;
        }
        held.add(new Held(update.siteId(), weights));
        accepted++;
    }

    /** How many updates were accepted; still known after {@link #finish}. */
    int count() {
        return accepted;
    }

    /**
     * Ends intake and gives the held updates' weights ordered by site id; {@code siteIds} receives the ids in the
     * same order.
     *
     * @throws IllegalStateException if called twice, or if no update was accepted
     */
    float[][] finish(List<String> siteIds) {
        if (finished) {
            throw new IllegalStateException("result() already called");
        }
        finished = true;
        if (held.isEmpty()) {
            throw new IllegalStateException("no update was aggregated in round " + round);
        }
        List<Held> sorted = new ArrayList<>(held);
        sorted.sort(Comparator.comparing(Held::siteId));
        float[][] out = new float[sorted.size()][];
        for (int k = 0; k < out.length; k++) {
            out[k] = sorted.get(k).weights();
            siteIds.add(sorted.get(k).siteId());
        }
        held.clear();
        return out;
    }

    /** What a coordinate-wise rule makes of one parameter's values over the updates, given sorted ascending. */
    interface SortedColumn {
        float combine(float[] sorted);
    }

    /**
     * Ends intake (as {@link #finish}) and applies {@code rule} to each parameter's values over the held updates,
     * sorted ascending, giving the combined model in the global model's layout.
     */
    ModelParameters byCoordinate(SortedColumn rule) {
        float[][] x = finish(new ArrayList<>());
        int p = global.size();
        float[] out = new float[p];
        float[] column = new float[x.length];
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < x.length; k++) {
                column[k] = x[k][i];
            }
            java.util.Arrays.sort(column);
            out[i] = rule.combine(column);
        }
        return ModelParameters.ofFlat(global.layout(), out);
    }
}
