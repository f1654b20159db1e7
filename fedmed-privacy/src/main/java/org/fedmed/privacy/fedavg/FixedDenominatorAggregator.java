package org.fedmed.privacy.fedavg;

import java.util.Objects;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * The DP-FedAvg average (McMahan et al. 2018): every site's delta counts the same, whatever its sample count, and
 * the sum is divided by the expected number of sites per round rather than by the number that reported. So adding
 * or removing one site moves the result by at most C / expected when deltas are clipped to C, which is the
 * sensitivity the central Gaussian noise is calibrated to. Returns {@code global + sum(delta_k) / expected}.
 *
 * <p>Updates are admitted by the round's {@link UpdateIntake} (task, layout, one update per site) and summed as
 * they arrive into one accumulator, reading each update once: the finiteness check runs in the loop that adds it,
 * which keeps the accumulator's previous values in a second vector, so an update with a non-finite value is
 * refused in the same call with the accumulator restored exactly. Memory O(P): two vectors of P floats.
 */
public final class FixedDenominatorAggregator implements Aggregator {

    private final UpdateIntake intake;
    private final ModelParameters global;
    private final double expectedSites;
    private final float[] sum;
    /** The accumulator's values before the update being added; allocated on first use. */
    private float[] before;
    private int accepted;
    private boolean finished;

    /**
     * @param global        the model the round started from
     * @param expectedSites the expected number of sites per round (q N for Poisson sampling, m for fixed size)
     * @param round         the round results must belong to (checked against their task id)
     */
    public FixedDenominatorAggregator(ModelParameters global, double expectedSites, int round) {
        if (!(expectedSites > 0) || !Double.isFinite(expectedSites)) {
            throw new IllegalArgumentException("expected sites per round must be a positive finite number, got "
                    + expectedSites);
        }
        this.global = Objects.requireNonNull(global);
        this.intake = new UpdateIntake(global, round);
        this.expectedSites = expectedSites;
        this.sum = new float[global.size()];
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        if (finished) {
            throw new IllegalStateException("aggregator already produced its result");
        }
        intake.admitForFold(update);
        int n = sum.length;
        if (before == null) {
            before = new float[n];
        }
        float[] s = sum;
        float[] keep = before;
        float[] x = update.parameters().flat();
        float m = 0f;
        if (update.isDelta()) {
            for (int i = 0; i < n; i++) {
                float v = x[i];
                float old = s[i];
                keep[i] = old;
                s[i] = old + v;
                m = Math.max(m, Math.abs(v));
            }
        } else {
            float[] g = global.flat();
            for (int i = 0; i < n; i++) {
                float v = x[i];
                float old = s[i];
                keep[i] = old;
                s[i] = old + (v - g[i]);
                m = Math.max(m, Math.abs(v));
            }
        }
        if (!(m <= Float.MAX_VALUE)) {
            System.arraycopy(keep, 0, s, 0, n);
            throw intake.refuseNonFinite(update);
        }
        accepted++;
    }

    @Override
    public int accepted() {
        return accepted;
    }

    /** The expected number of sites the sum is divided by. */
    public double expectedSites() {
        return expectedSites;
    }

    /** {@code global + sum / expected}; with no update at all this is the global model itself. */
    @Override
    public ModelParameters result() {
        if (finished) {
            throw new IllegalStateException("result() already called");
        }
        finished = true;
        float[] theta = global.flat();
        float[] next = new float[theta.length];
        double scale = 1 / expectedSites;
        for (int i = 0; i < theta.length; i++) {
            next[i] = (float) (theta[i] + scale * sum[i]);
        }
        return ModelParameters.ofFlat(global.layout(), next);
    }
}
