package org.fedmed.privacy.fedavg;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.filter.UpdateFilter;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.UpdateChecks;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * The DP-FedAvg average (McMahan et al. 2018): every site's delta counts the same, whatever its sample count, and
 * the sum is divided by the expected number of sites per round rather than by the number that reported. So adding
 * or removing one site moves the result by at most C / expected when deltas are clipped to C, which is the
 * sensitivity the central Gaussian noise is calibrated to. Returns {@code global + sum(delta_k) / expected}.
 *
 * <p>Updates are summed as they arrive into one accumulator, so memory is O(P). An update from a site that already
 * contributed this round, from another round, with another layout or with a non-finite value is refused.
 */
public final class FixedDenominatorAggregator implements Aggregator {

    private final ModelParameters global;
    private final double expectedSites;
    private final String expectedTaskPrefix;
    private final float[] sum;
    private final Set<String> contributors = new HashSet<>();
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
        this.expectedSites = expectedSites;
        this.expectedTaskPrefix = "r" + round + "-fit-";
        this.sum = new float[global.size()];
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        if (finished) {
            throw new IllegalStateException("aggregator already produced its result");
        }
        if (update.taskId() == null || !update.taskId().startsWith(expectedTaskPrefix)) {
            throw new UpdateRejectedException(update.siteId(), "task id '" + update.taskId()
                    + "' does not belong to this round (" + expectedTaskPrefix + "…)");
        }
        UpdateChecks.check(update, global);
        if (contributors.contains(update.siteId())) {
            throw new UpdateRejectedException(update.siteId(), "the site already contributed to this round");
        }
        contributors.add(update.siteId());
        float[] s = sum;
        if (update.isDelta()) {
            float[] d = update.parameters().flat();
            for (int i = 0; i < s.length; i++) {
                s[i] += d[i];
            }
        } else {
            float[] d = UpdateFilter.deltaOf(update, global);
            for (int i = 0; i < s.length; i++) {
                s[i] += d[i];
            }
        }
    }

    @Override
    public int accepted() {
        return contributors.size();
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
