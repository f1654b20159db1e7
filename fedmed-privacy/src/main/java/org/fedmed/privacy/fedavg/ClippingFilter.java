package org.fedmed.privacy.fedavg;

import java.util.concurrent.atomic.AtomicInteger;
import org.fedmed.core.FitResult;
import org.fedmed.core.L2Clip;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.filter.UpdateFilter;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * Clips each site's update, taken as a delta from the round's global model, to L2 norm at most C, and counts how
 * many updates it saw and how many it had to clip. The result is always sent on as a delta. An update within the
 * bound passes unchanged; an update with the wrong layout or a non-finite value is refused. Usable on either side
 * of the wire, and safe to share between threads.
 */
public final class ClippingFilter implements UpdateFilter {

    private final double clipNorm;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger clipped = new AtomicInteger();

    /** @param clipNorm the bound C on each update's L2 norm, a positive finite number */
    public ClippingFilter(double clipNorm) {
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clip_norm must be a positive finite number, got " + clipNorm);
        }
        this.clipNorm = clipNorm;
    }

    @Override
    public FitResult apply(FitResult update, ModelParameters global) throws UpdateRejectedException {
        UpdateIntake.checkValues(update, global);
        float[] delta = UpdateFilter.deltaOf(update, global);
        double before = L2Clip.clipInPlace(delta, clipNorm);
        seen.incrementAndGet();
        if (before > clipNorm) {
            clipped.incrementAndGet();
        }
        return UpdateFilter.withDelta(update, delta);
    }

    /** The bound C. */
    public double clipNorm() {
        return clipNorm;
    }

    /** How many updates passed through this filter. */
    public int updatesSeen() {
        return seen.get();
    }

    /** How many of them were longer than C and were scaled down. */
    public int updatesClipped() {
        return clipped.get();
    }
}
