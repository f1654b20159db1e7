package org.fedmed.plan;

import java.util.Locale;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteWeighting;

/**
 * The strategies a config's {@code strategy} key names, each as the parts it is made of: how sites' updates are
 * weighted, which server optimizer steps the global model, and its default server learning rate. The FedAvg
 * family's members differ only in these parts, so every one of them runs through the same aggregation pipeline,
 * in simulation and in deployment alike.
 */
public enum StrategyKind {
    /** FedAvg (McMahan et al. 2017): mean weighted by sample count, server learning rate 1. */
    FEDAVG(SiteWeighting.SAMPLE_COUNT, ServerOptimizerSettings.Kind.SGD, 1.0),
    /** The uniform mean: every reporting site counts the same. */
    UNIFORM(SiteWeighting.UNIFORM, ServerOptimizerSettings.Kind.SGD, 1.0),
    /** Sample count times the site's data-quality score. */
    QUALITY(SiteWeighting.QUALITY, ServerOptimizerSettings.Kind.SGD, 1.0),
    /** FedAvgM (Hsu et al. 2019): FedAvg with server momentum. */
    FEDAVGM(SiteWeighting.SAMPLE_COUNT, ServerOptimizerSettings.Kind.MOMENTUM, 1.0),
    /** FedAdam (Reddi et al. 2021). */
    FEDADAM(SiteWeighting.SAMPLE_COUNT, ServerOptimizerSettings.Kind.ADAM, 0.01),
    /** FedYogi (Reddi et al. 2021). */
    FEDYOGI(SiteWeighting.SAMPLE_COUNT, ServerOptimizerSettings.Kind.YOGI, 0.01),
    /** FedAdagrad (Reddi et al. 2021). */
    FEDADAGRAD(SiteWeighting.SAMPLE_COUNT, ServerOptimizerSettings.Kind.ADAGRAD, 0.01),
    /** FedProx (Li et al. 2020): FedAvg whose sites add the proximal term mu/2 ||w - w_global||^2 ({@code prox_mu}). */
    FEDPROX(SiteWeighting.SAMPLE_COUNT, ServerOptimizerSettings.Kind.SGD, 1.0),
    /** Cyclic training (FLamby's Cyclic): one site per round, in passes shuffled afresh; the model travels on. */
    CYCLIC(SiteWeighting.SAMPLE_COUNT, ServerOptimizerSettings.Kind.SGD, 1.0),
    /**
     * SCAFFOLD (Karimireddy et al. 2020, option II): FedAvg with server and site control variates that correct each
     * site's local steps; Delta y weighted by sample count as FLamby does, server SGD at {@code server_lr} (eta_g).
     */
    SCAFFOLD(SiteWeighting.SAMPLE_COUNT, ServerOptimizerSettings.Kind.SGD, 1.0);

    private final SiteWeighting weighting;
    private final ServerOptimizerSettings.Kind optimizer;
    private final double defaultServerLr;

    StrategyKind(SiteWeighting weighting, ServerOptimizerSettings.Kind optimizer, double defaultServerLr) {
        this.weighting = weighting;
        this.optimizer = optimizer;
        this.defaultServerLr = defaultServerLr;
    }

    /** The strategy's name in configs, reports and on the wire (a site's allow-list lists these). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public SiteWeighting weighting() {
        return weighting;
    }

    public ServerOptimizerSettings.Kind optimizer() {
        return optimizer;
    }

    /** The server learning rate when the config sets none (FLamby's 0.01 for the adaptive optimizers). */
    public double defaultServerLr() {
        return defaultServerLr;
    }
}
