package org.fedmed.secagg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.WeightCaps;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * An aggregator that learns only the sum of the round's deltas: the cohort's updates are summed through the
 * SecAgg / SecAgg+ protocol ({@link SecureUpdateSum}), and the aggregate is {@code theta + sum / total weight};
 * a server learning rate other than 1 steps towards it through the server optimizer's SGD rule (a strategy with a
 * stateful server optimizer uses 1 here and steps itself). In simulation the sites' side of the protocol runs in this
 * process, so the aggregator holds the cohort's updates until the round closes; the protocol's server side itself
 * only ever adds masked vectors. Updates are admitted by the round's {@link UpdateIntake} (task, layout, one
 * update per site, finite values) before they join the cohort.
 */
public final class SecureAggregator implements Aggregator {

    private final ModelParameters global;
    private final UpdateIntake intake;
    private final SecureUpdateSum secureSum;
    private final double serverLearningRate;
    private final int round;
    private final long seed;
    private final List<FitResult> cohort = new ArrayList<>();
    private final double maxShare;
    private SecureDeltaSum lastSum;
    private List<WeightCaps.Capped> capped = List.of();

    public SecureAggregator(ModelParameters global, SecureUpdateSum secureSum, double serverLearningRate, int round,
                            long seed) {
        this(global, secureSum, serverLearningRate, round, seed, 1.0);
    }

    /**
     * As the five-argument form, with each site's example count (its weight in the sum) capped so that no site holds
     * more than {@code maxShare} of the round's total ({@link WeightCaps}). The counts are the protocol's cleartext
     * metadata, so capping them reveals nothing the server did not already know.
     */
    public SecureAggregator(ModelParameters global, SecureUpdateSum secureSum, double serverLearningRate, int round,
                            long seed, double maxShare) {
        this.maxShare = maxShare;
        this.global = global;
        this.intake = new UpdateIntake(global, round);
        this.secureSum = secureSum;
        this.serverLearningRate = serverLearningRate;
        this.round = round;
        this.seed = seed;
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        intake.admit(update);
        cohort.add(update);
    }

    @Override
    public int accepted() {
        return cohort.size();
    }

    /** The cohort with every example count capped at the share bound (rounded down, at least 1). */
    private List<FitResult> capCounts() {
        if (!secureSum.weighsByCount() || maxShare >= 1) {
            return cohort;
        }
        double[] weights = new double[cohort.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = cohort.get(i).numExamples();
        }
        double[] bounded = WeightCaps.capped(weights, maxShare);
        double total = 0;
        for (double w : bounded) {
            total += Math.max(1, Math.floor(w));
        }
        List<FitResult> out = new ArrayList<>(cohort.size());
        List<WeightCaps.Capped> caps = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            FitResult r = cohort.get(i);
            long n = (long) Math.max(1, Math.floor(bounded[i]));
            if (n < r.numExamples()) {
                caps.add(new WeightCaps.Capped(r.siteId(), r.numExamples(), n, n / total));
                r = new FitResult(r.siteId(), r.taskId(), r.parameters(), r.isDelta(), n, r.quality(), r.trainMetrics());
            }
            out.add(r);
        }
        capped = List.copyOf(caps);
        return out;
    }

    @Override
    public List<WeightCaps.Capped> weightCaps() {
        return capped;
    }

    /** The last round's secure sum: which sites were included and the quantization error bound. */
    public SecureDeltaSum lastSum() {
        return lastSum;
    }

    @Override
    public ModelParameters result() {
        lastSum = secureSum.sum(capCounts(), global, Map.of(), round, seed);
        cohort.clear();
        float[] mean = lastSum.mean().flat();
        float[] theta = global.flat();
        float[] next = new float[theta.length];
        for (int i = 0; i < theta.length; i++) {
            next[i] = theta[i] + mean[i];
        }
        ModelParameters aggregate = ModelParameters.ofFlat(global.layout(), next);
        return serverLearningRate == 1 ? aggregate
                : ServerOptimizerSettings.sgd(serverLearningRate).newOptimizer().step(global, aggregate);
    }
}
