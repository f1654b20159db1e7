package org.fedmed.secagg;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.exchange.SiteExchange;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.fedmed.core.strategy.WeightCaps;
import org.fedmed.secagg.exchange.ExchangedSecureSum;

/**
 * An aggregator that learns only the sum of the round's deltas. The sites keep their updates
 * ({@link org.fedmed.core.UpdateRelease#SECURE_SUM}) and report only their counts and metrics; {@link #close()} then
 * runs the SecAgg / SecAgg+ protocol with them through the round's {@link SiteExchange} ({@link ExchangedSecureSum}),
 * and the aggregate is {@code theta + sum / total weight}; a server learning rate other than 1 steps towards it
 * through the server optimizer's SGD rule (a strategy with a stateful server optimizer uses 1 here and steps itself).
 * The same code runs in simulation (the in-process pool hands the messages to in-process participants) and in
 * deployment (the gRPC pool sends them to the sites). It holds no site's update at any time: per site only its id,
 * task and count; the protocol's running sum is its one vector.
 *
 * <p>Sites left out of the sum (dropped before their masked input, or cut by the protocol) are refused late by
 * {@link #close()}, each with the stage and reason; if the protocol aborts (too many dropped), every site is refused
 * with the abort's reason, so the round fails as any round with too few updates does and the run goes on by its rules.
 * Results are admitted by the round's {@link UpdateIntake} (task, one per site) first.
 */
public final class SecureAggregator implements Aggregator {

    private final ModelParameters global;
    private final UpdateIntake intake;
    private final ExchangedSecureSum secureSum;
    private final SiteExchange exchange;
    private final boolean weighsByCount;
    private final double serverLearningRate;
    private final int round;
    private final long seed;
    private final double maxShare;
    private final List<FitResult> cohort = new ArrayList<>();
    private final List<UpdateRejectedException> refusedLate = new ArrayList<>();
    private SecureDeltaSum lastSum;
    private List<WeightCaps.Capped> capped = List.of();
    private boolean closed;

    /**
     * @param maxShare no site's weight may exceed this share of the round's total ({@link WeightCaps}); the counts are
     *                 the protocol's cleartext metadata, so capping them reveals nothing the server did not know
     */
    public SecureAggregator(ModelParameters global, ExchangedSecureSum secureSum, SiteExchange exchange,
                            boolean weighsByCount, double serverLearningRate, int round, long seed, double maxShare) {
        this.global = global;
        this.intake = new UpdateIntake(global, round);
        this.secureSum = secureSum;
        this.exchange = exchange;
        this.weighsByCount = weighsByCount;
        this.serverLearningRate = serverLearningRate;
        this.round = round;
        this.seed = seed;
        this.maxShare = maxShare;
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        if (update.parameters() != global && !update.parameters().equals(global)) {
            throw new UpdateRejectedException(update.siteId(), "under secure aggregation a site keeps its update and"
                    + " reports its counts only, but this result carries parameters");
        }
        intake.admit(update);
        cohort.add(update);
    }

    @Override
    public int accepted() {
        return cohort.size() - refusedLate.size();
    }

    /** Runs the secure sum with the cohort; returns the sites left out of it, each refused with its reason. */
    @Override
    public List<UpdateRejectedException> close() {
        if (closed) {
            return List.copyOf(refusedLate);
        }
        closed = true;
        if (cohort.isEmpty()) {
            return List.of();
        }
        if (cohort.size() < SecureAggregationStrategy.MIN_COHORT) {
            for (FitResult r : cohort) {
                refusedLate.add(new UpdateRejectedException(r.siteId(), "secure aggregation needs at least "
                        + SecureAggregationStrategy.MIN_COHORT + " sites, only " + cohort.size() + " delivered"));
            }
            return List.copyOf(refusedLate);
        }
        ExchangedSecureSum.Outcome outcome = secureSum.sum(members(), global, exchange, round, seed);
        cohort.forEach(r -> {
            String why = outcome.leftOut().get(r.siteId());
            if (why != null) {
                refusedLate.add(new UpdateRejectedException(r.siteId(), why));
            }
        });
        lastSum = outcome.sum();
        return List.copyOf(refusedLate);
    }

    @Override
    public List<UpdateRejectedException> refusedLate() {
        return List.copyOf(refusedLate);
    }

    private List<ExchangedSecureSum.Member> members() {
        double[] weights = new double[cohort.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = weighsByCount ? cohort.get(i).numExamples() : 1;
        }
        double[] bounded = weighsByCount && maxShare < 1 ? WeightCaps.capped(weights, maxShare) : weights;
        double total = 0;
        for (double w : bounded) {
            total += Math.max(1, Math.floor(w));
        }
        List<ExchangedSecureSum.Member> out = new ArrayList<>(cohort.size());
        List<WeightCaps.Capped> caps = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            FitResult r = cohort.get(i);
            long w = (long) Math.max(1, Math.floor(bounded[i]));
            if (weighsByCount && w < r.numExamples()) {
                caps.add(new WeightCaps.Capped(r.siteId(), r.numExamples(), w, w / total));
            }
            out.add(new ExchangedSecureSum.Member(r.siteId(), r.taskId(), w));
        }
        capped = List.copyOf(caps);
        return out;
    }

    @Override
    public List<WeightCaps.Capped> weightCaps() {
        return capped;
    }

    /** The last round's secure sum: which sites were included and the quantization error bound; null if aborted. */
    public SecureDeltaSum lastSum() {
        return lastSum;
    }

    @Override
    public ModelParameters result() {
        if (!closed) {
            close();
        }
        if (lastSum == null) {
            throw new IllegalStateException("round " + round + ": the secure sum did not complete: "
                    + (refusedLate.isEmpty() ? "no site delivered" : refusedLate.getFirst().reason()));
        }
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
