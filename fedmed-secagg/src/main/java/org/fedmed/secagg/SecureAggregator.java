package org.fedmed.secagg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.UpdateChecks;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * An aggregator that learns only the sum of the round's deltas: the cohort's updates are summed through the
 * SecAgg / SecAgg+ protocol ({@link SecureUpdateSum}), and the new global model is
 * {@code theta + serverLr * (sum / total weight)}. In simulation the sites' side of the protocol runs in this
 * process, so the aggregator holds the cohort's updates until the round closes; the protocol's server side itself
 * only ever adds masked vectors.
 */
public final class SecureAggregator implements Aggregator {

    private final ModelParameters global;
    private final SecureUpdateSum secureSum;
    private final double serverLearningRate;
    private final int round;
    private final long seed;
    private final List<FitResult> cohort = new ArrayList<>();
    private SecureDeltaSum lastSum;

    public SecureAggregator(ModelParameters global, SecureUpdateSum secureSum, double serverLearningRate, int round,
                            long seed) {
        this.global = global;
        this.secureSum = secureSum;
        this.serverLearningRate = serverLearningRate;
        this.round = round;
        this.seed = seed;
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        UpdateChecks.check(update, global, round);
        cohort.add(update);
    }

    @Override
    public int accepted() {
        return cohort.size();
    }

    /** The last round's secure sum: which sites were included and the quantization error bound. */
    public SecureDeltaSum lastSum() {
        return lastSum;
    }

    @Override
    public ModelParameters result() {
        lastSum = secureSum.sum(cohort, global, Map.of(), round, seed);
        cohort.clear();
        float[] mean = lastSum.mean().flat();
        float[] theta = global.flat();
        float[] next = new float[theta.length];
        for (int i = 0; i < theta.length; i++) {
            next[i] = (float) (theta[i] + serverLearningRate * mean[i]);
        }
        return ModelParameters.ofFlat(global.layout(), next);
    }
}
