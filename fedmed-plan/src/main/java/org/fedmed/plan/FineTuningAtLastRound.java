package org.fedmed.plan;

import java.util.List;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.Seeds;
import org.fedmed.core.strategy.ForwardingStrategy;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.Strategy;

/**
 * Personalization {@code kind: finetune} in deployment: the strategy it wraps, whose evaluation of the run's last
 * round asks every site to fine-tune the final global model first ({@link EvalTask#fineTune()}). Each site gets the
 * settings {@code simulate}'s {@code personalized} regime trains it with: the run's fit settings without local terms,
 * the personalization's local work, and the site's own seed from stream
 * {@link Seeds.Stream#SITE_FINETUNE SITE_FINETUNE}, so a deployed site's fine-tuned model and metrics are the
 * simulated site's. Every other method is the wrapped strategy's.
 */
public final class FineTuningAtLastRound extends ForwardingStrategy {

    private final FitConfig tune;
    private final long seed;
    private final int lastRound;

    /**
     * @param tune      the fine-tuning settings without their seed: no local terms
     * @param seed      the run's seed, from which each site's fine-tuning seed is drawn
     * @param lastRound the run's last round (its round budget)
     */
    public FineTuningAtLastRound(Strategy inner, FitConfig tune, long seed, int lastRound) {
        super(inner);
        if (tune == null || !tune.terms().isEmpty()) {
            throw new IllegalArgumentException("fine-tuning settings must be given, without local terms, got " + tune);
        }
        if (lastRound < 1) {
            throw new IllegalArgumentException("the run's last round must be >= 1, got " + lastRound);
        }
        this.tune = tune;
        this.seed = seed;
        this.lastRound = lastRound;
    }

    @Override
    public List<EvalTask> configureEvaluate(RoundContext context) {
        List<EvalTask> tasks = super.configureEvaluate(context);
        if (context.round() != lastRound) {
            return tasks;
        }
        return tasks.stream().map(t -> t.withFineTune(
                tune.withSeed(Seeds.ofSite(seed, Seeds.Stream.SITE_FINETUNE, t.siteId())))).toList();
    }
}
