package org.fedmed.core.strategy;

import java.io.Serial;
import java.io.Serializable;
import java.util.Optional;
import org.fedmed.core.FitResult;

/**
 * What a pool needs to fold a round's updates where its sites train, instead of shipping every update to the
 * engine: the strategy's {@link SiteWeighting} and the round's largest site share. Only an aggregator whose result
 * is a weighted mean of the raw updates gives one ({@link Aggregator#foldRule()}): plain FedAvg, uniform and
 * quality weighting, under any server optimizer (FedAvgM, FedAdam, FedYogi, FedAdagrad step after the mean) and
 * any share cap. Serializable, so it travels to a Spark task with the round's tasks.
 *
 * <p>A rule {@link #byRegion() by region} asks for two tiers: each region's sites are folded apart, each region's
 * fold becomes its regional mean weighted by its total weight ({@link LinearFold#regional}), and the regional
 * aggregates are folded into the round's; the share cap does not apply then (a bound over the whole round cannot be
 * applied region by region).
 *
 * @param weighting the weight a_k of each update
 * @param maxShare  the largest share of the round's weight one site may hold, in (0, 1]; 1 caps nothing
 * @param byRegion  whether the round folds in two tiers, by the sites' regions
 */
public record FoldRule(SiteWeighting weighting, double maxShare, boolean byRegion) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public FoldRule {
        if (weighting == null) {
            throw new IllegalArgumentException("a fold rule needs a site weighting");
        }
        if (!(maxShare > 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("max_site_weight_share must be in (0, 1], got " + maxShare);
        }
        if (byRegion && maxShare < 1) {
            throw new IllegalArgumentException("a fold by region cannot bound a site's share of the round"
                    + " (max_site_weight_share " + maxShare + "); set it to 1 or fold flat");
        }
    }

    /** A flat fold. */
    public FoldRule(SiteWeighting weighting, double maxShare) {
        this(weighting, maxShare, false);
    }

    /** This rule, folding in two tiers by region. */
    public FoldRule inRegions() {
        return new FoldRule(weighting, maxShare, true);
    }

    /** An empty fold for updates of {@code size} values: allocate it where the sites' updates are (in the task). */
    public LinearFold newFold(int size) {
        return new LinearFold(size, maxShare);
    }

    /**
     * Admits {@code update} through {@code intake} (the round's task, layout, one update per site, finite values:
     * the words any aggregator refuses with) and folds it into {@code fold} with its weight; returns why it was
     * refused instead, with nothing folded.
     */
    public Optional<String> fold(LinearFold fold, FitResult update, UpdateIntake intake) {
        try {
            intake.admit(update);
        } catch (UpdateRejectedException e) {
            return Optional.of(e.getMessage());
        }
        double a = weighting.weight(update);
        if (!(a >= 0) || !Double.isFinite(a)) {
            intake.withdraw(update);
            return Optional.of(new UpdateRejectedException(update.siteId(), "aggregation weight is " + a).getMessage());
        }
        fold.add(update.siteId(), update.parameters().flat(), a, update.isDelta());
        return Optional.empty();
    }
}
