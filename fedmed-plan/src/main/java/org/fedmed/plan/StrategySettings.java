package org.fedmed.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteWeighting;

/**
 * The strategy a config chooses, whole: its {@link StrategyKind} (the {@code strategy} key), its server
 * optimizer's settings ({@code server_lr} and the {@code server_optimizer} section), and the FedProx proximal
 * weight every site's fit carries ({@code prox_mu}: 0.01 by default for {@code fedprox}, which needs it above 0; 0,
 * that is none, for the others, which may set it too, e.g. FedAdam with a proximal term). A setting the kind does not
 * use is refused when it is written, naming the key and the strategies that use it, so a config never carries a
 * knob that silently does nothing.
 */
public record StrategySettings(StrategyKind kind, ServerOptimizerSettings serverOptimizer, double proxMu) {

    public StrategySettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(serverOptimizer, "serverOptimizer");
        Choices.require(proxMu >= 0 && Double.isFinite(proxMu), LocalTerm.Proximal.KEY,
                "must be a finite number >= 0, got " + proxMu);
        Choices.require(kind != StrategyKind.FEDPROX || proxMu > 0, LocalTerm.Proximal.KEY,
                "must be > 0 for strategy 'fedprox' (0 is plain FedAvg: use strategy 'fedavg'), got " + proxMu);
        Choices.require(serverOptimizer.kind() == kind.optimizer(), "strategy", "'" + kind.key() + "' steps with the "
                + kind.optimizer().key() + " server optimizer, not " + serverOptimizer.kind().key());
    }

    /** Plain FedAvg at server learning rate 1. */
    public static StrategySettings fedAvg() {
        return of(StrategyKind.FEDAVG, null, null, null);
    }

    /** How sites' updates are weighted. */
    public SiteWeighting weighting() {
        return kind.weighting();
    }

    /** The strategy's name in configs, reports and on the wire. */
    public String name() {
        return kind.key();
    }

    /**
     * The settings of {@code kind} with the server learning rate and optimizer section as written ({@code null} for
     * absent), every default applied: momentum 0.9 (FedAvgM), beta1 0.9, beta2 0.99, tau 1e-3 (Reddi et al. 2021).
     */
    static StrategySettings of(StrategyKind kind, Double serverLr, Section section, Double proxMu) {
        Section s = section == null ? Section.EMPTY : section;
        ServerOptimizerSettings.Kind opt = kind.optimizer();
        refuseUnless(s.momentum() == null || opt == ServerOptimizerSettings.Kind.MOMENTUM, "momentum", kind, "fedavgm");
        refuseUnless(s.beta1() == null || opt.adaptive(), "beta1", kind, "fedadam, fedyogi, fedadagrad");
        refuseUnless(s.beta2() == null || opt == ServerOptimizerSettings.Kind.ADAM
                || opt == ServerOptimizerSettings.Kind.YOGI, "beta2", kind, "fedadam, fedyogi");
        refuseUnless(s.tau() == null || opt.adaptive(), "tau", kind, "fedadam, fedyogi, fedadagrad");
        return new StrategySettings(kind, new ServerOptimizerSettings(opt,
                serverLr == null ? kind.defaultServerLr() : serverLr, or(s.momentum(), 0.9), or(s.beta1(), 0.9),
                or(s.beta2(), 0.99), or(s.tau(), 1e-3)),
                or(proxMu, kind == StrategyKind.FEDPROX ? 0.01 : 0.0));
    }

    /** The local terms every site's fit carries: FedProx's proximal term when {@code prox_mu} is above 0. */
    public List<LocalTerm> localTerms() {
        return proxMu > 0 ? List.of(new LocalTerm.Proximal(proxMu)) : List.of();
    }

    /** The optimizer section as a config writes it: only the keys this strategy uses. */
    Section section() {
        ServerOptimizerSettings o = serverOptimizer;
        return switch (o.kind()) {
            case SGD -> null;
            case MOMENTUM -> new Section(o.momentum(), null, null, null);
            case ADAM, YOGI -> new Section(null, o.beta1(), o.beta2(), o.tau());
            case ADAGRAD -> new Section(null, o.beta1(), null, o.tau());
        };
    }

    private static void refuseUnless(boolean ok, String key, StrategyKind kind, String users) {
        Choices.require(ok, "server_optimizer." + key, "is not used by strategy '" + kind.key() + "' (only by "
                + users + ")");
    }

    private static double or(Double v, double fallback) {
        return v == null ? fallback : v;
    }

    /** The {@code server_optimizer} section as written: every key optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Section(Double momentum, Double beta1, Double beta2, Double tau) {
        static final Section EMPTY = new Section(null, null, null, null);
    }
}
