package org.fedmed.privacy.fedavg;

import java.util.Objects;
import org.fedmed.core.FitConfig;
import org.fedmed.core.strategy.ServerOptimizerSettings;

/**
 * Settings of a DP-FedAvg run (McMahan, Ramage, Talwar and Zhang 2018, "Learning Differentially Private Recurrent
 * Language Models"), with site-level privacy: the guarantee covers adding or removing one site's whole data.
 *
 * @param fitConfig          what each sampled site is asked to do
 * @param sampler            how sites are sampled each round (sets q and the expected count)
 * @param population         the number of sites N the run expects; with the sampler it gives the planned q
 * @param clipping           fixed or adaptive clip norm C on each site's delta
 * @param noiseMultiplier    z: the averaged delta gets noise of standard deviation z C / expected sites; with
 *                           adaptive clipping z covers the deltas and the clip count together
 * @param targetEpsilon      the privacy budget: the run never spends more than this epsilon at {@code delta};
 *                           {@code Double.POSITIVE_INFINITY} reports epsilon without enforcing a budget
 * @param delta              the delta of the guarantee, typically below 1 / N
 * @param plannedRounds      the rounds the run means to take; a plan beyond the budget is refused up front
 * @param minFitSites        fewest delivering sites for a round to complete; 0 lets a round with none still release
 *                           the (pure-noise) average, exactly as the analysis assumes
 * @param serverOptimizer    the server step applied to the noised average (post-processing: it costs no privacy)
 */
public record DpFedAvgConfig(FitConfig fitConfig, SiteSampler sampler, int population, ClippingPolicy clipping,
                             double noiseMultiplier, double targetEpsilon, double delta, int plannedRounds,
                             int minFitSites, ServerOptimizerSettings serverOptimizer) {

    /** With plain server SGD at {@code serverLearningRate}. */
    public DpFedAvgConfig(FitConfig fitConfig, SiteSampler sampler, int population, ClippingPolicy clipping,
                          double noiseMultiplier, double targetEpsilon, double delta, int plannedRounds,
                          int minFitSites, double serverLearningRate) {
        this(fitConfig, sampler, population, clipping, noiseMultiplier, targetEpsilon, delta, plannedRounds,
                minFitSites, ServerOptimizerSettings.sgd(serverLearningRate));
    }

    public DpFedAvgConfig {
        Objects.requireNonNull(fitConfig, "fitConfig");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(clipping, "clipping");
        if (population < 1) {
            throw new IllegalArgumentException("population (number of sites) must be >= 1, got " + population);
        }
        if (!(noiseMultiplier > 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise_multiplier must be a positive finite number, got "
                    + noiseMultiplier);
        }
        if (!(targetEpsilon > 0)) {
            throw new IllegalArgumentException("target_epsilon must be positive (infinite for no budget), got " + targetEpsilon);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        if (plannedRounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + plannedRounds);
        }
        if (minFitSites < 0) {
            throw new IllegalArgumentException("min_fit_sites must be >= 0, got " + minFitSites);
        }
        Objects.requireNonNull(serverOptimizer, "serverOptimizer");
        if (clipping instanceof ClippingPolicy.Adaptive a) {
            AdaptiveClipping.deltaNoiseMultiplier(noiseMultiplier, a.countNoiseStddev());
        }
    }

    /** These settings with {@code fit} as what each sampled site is asked to do. */
    public DpFedAvgConfig withFitConfig(FitConfig fit) {
        return new DpFedAvgConfig(fit, sampler, population, clipping, noiseMultiplier, targetEpsilon, delta,
                plannedRounds, minFitSites, serverOptimizer);
    }

    /** The sampling rate q the plan assumes: the sampler's rate over {@code population} sites. */
    public double plannedSamplingRate() {
        return sampler.samplingRate(population);
    }
}
