package org.fedmed.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.robust.AggregationRule;

/**
 * The strategy a config chooses, whole: its {@link StrategyKind} (the {@code strategy} key), its server
 * optimizer's settings ({@code server_lr} and the {@code server_optimizer} section), and the FedProx proximal
 * weight every site's fit carries ({@code prox_mu}: 0.01 by default for {@code fedprox}, which needs it above 0; 0,
 * that is none, for the others, which may set it too, e.g. FedAdam with a proximal term), and how the server
 * combines a round's updates (the {@code aggregation} section: the weighted mean, or a robust rule; a norm bound
 * {@code norm_bound} that scales a larger update down to it, 0 when there is none; and {@code max_update_norm}, above
 * which an update is refused by the round's intake, in simulation and deployment alike, infinite when there is
 * none). A setting the kind does not
 * use is refused when it is written, naming the key and the strategies that use it, so a config never carries a
 * knob that silently does nothing.
 */
public record StrategySettings(StrategyKind kind, ServerOptimizerSettings serverOptimizer, double proxMu,
                               AggregationRule rule, double normBound, double maxUpdateNorm) {

    public StrategySettings {
        Choices.require(maxUpdateNorm > 0, "aggregation.max_update_norm",
                "must be a positive number (leave it out for none), got " + maxUpdateNorm);
        Objects.requireNonNull(rule, "rule");
        Choices.require(normBound >= 0 && Double.isFinite(normBound), "aggregation.norm_bound",
                "must be a positive finite number (leave it out for none), got " + normBound);
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
        return of(StrategyKind.FEDAVG, null, null, null, null);
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
    static StrategySettings of(StrategyKind kind, Double serverLr, Section section, Double proxMu,
                               Aggregation aggregation) {
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
                or(proxMu, kind == StrategyKind.FEDPROX ? 0.01 : 0.0),
                rule(aggregation == null ? Aggregation.EMPTY : aggregation),
                aggregation == null || aggregation.normBound() == null ? 0 : positive(aggregation.normBound()),
                aggregation == null || aggregation.maxUpdateNorm() == null ? Double.POSITIVE_INFINITY
                        : finitePositive(aggregation.maxUpdateNorm()));
    }

    private static double finitePositive(double bound) {
        Choices.require(bound > 0 && Double.isFinite(bound), "aggregation.max_update_norm", "must be a positive finite"
                + " number (leave it out for none), got " + bound);
        return bound;
    }

    private static double positive(double bound) {
        Choices.require(bound > 0, "aggregation.norm_bound", "must be a positive finite number (leave it out for"
                + " none), got " + bound);
        return bound;
    }

    /** The rule {@code aggregation.rule} names, with the fields it takes; a field another rule takes is refused. */
    private static AggregationRule rule(Aggregation a) {
        String name = a.rule() == null ? "mean" : a.rule().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        Choices.require(AggregationRule.CONFIG_NAMES.contains(name), "aggregation.rule", "unknown value '" + a.rule()
                + "' (allowed: " + AggregationRule.CONFIG_NAMES + ")");
        Choices.require(a.trim() == null || name.equals("trimmed_mean"), "aggregation.trim",
                "is only used by rule 'trimmed_mean', not '" + name + "'");
        Choices.require(a.byzantine() == null || name.endsWith("krum"), "aggregation.byzantine",
                "is only used by rules 'krum' and 'multi_krum', not '" + name + "'");
        Choices.require(a.selected() == null || name.equals("multi_krum"), "aggregation.selected",
                "is only used by rule 'multi_krum', not '" + name + "'");
        return switch (name) {
            case "median" -> new AggregationRule.Median();
            case "trimmed_mean" -> new AggregationRule.TrimmedMean(or(a.trim(), 0.1));
            case "krum" -> new AggregationRule.Krum(a.byzantine() == null ? 1 : a.byzantine());
            case "multi_krum" -> {
                Choices.require(a.selected() != null, "aggregation.selected", "is required by rule 'multi_krum'"
                        + " (how many updates Krum chooses and averages)");
                yield new AggregationRule.MultiKrum(a.byzantine() == null ? 1 : a.byzantine(), a.selected());
            }
            default -> new AggregationRule.Mean();
        };
    }

    /** The aggregation section as a config writes it, or null for the plain weighted mean without a bound. */
    Aggregation aggregation() {
        Double bound = normBound > 0 ? normBound : null;
        Double max = Double.isInfinite(maxUpdateNorm) ? null : maxUpdateNorm;
        return switch (rule) {
            case AggregationRule.Mean m -> bound == null && max == null ? null
                    : new Aggregation(null, null, null, null, bound, max);
            case AggregationRule.Median m -> new Aggregation("median", null, null, null, bound, max);
            case AggregationRule.TrimmedMean t -> new Aggregation("trimmed_mean", t.beta(), null, null, bound, max);
            case AggregationRule.Krum k -> new Aggregation("krum", null, k.byzantine(), null, bound, max);
            case AggregationRule.MultiKrum k -> new Aggregation("multi_krum", null, k.byzantine(), k.selected(), bound,
                    max);
        };
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

    /** The {@code aggregation} section as written: every key optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Aggregation(String rule, Double trim, Integer byzantine, Integer selected, Double normBound,
                       Double maxUpdateNorm) {
        static final Aggregation EMPTY = new Aggregation(null, null, null, null, null, null);
    }

    /** The {@code server_optimizer} section as written: every key optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Section(Double momentum, Double beta1, Double beta2, Double tau) {
        static final Section EMPTY = new Section(null, null, null, null);
    }
}
