package org.fedmed.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedmed.privacy.accounting.PrivacySpent;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.fedmed.privacy.accounting.RdpConversion;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedmed privacy}: the (epsilon, delta) that T steps of the sampled Gaussian mechanism spend, or the noise
 * multiplier that keeps them within a target epsilon, from the Renyi DP accountant.
 */
@Command(name = "privacy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Privacy accounting for DP-SGD and DP-FedAvg (Renyi DP of the sampled Gaussian mechanism).",
                "With --noise, prints the epsilon that --steps steps at --sample-rate spend at --delta.",
                "With --target-epsilon, prints the smallest noise multiplier that stays within it.",
                "For DP-SGD q = batch size / examples and T = epochs * examples / batch size;",
                "for DP-FedAvg q = sites per round / sites and T = rounds.",
                "Subcommand secagg sizes SecAgg+ (degree, threshold) for a threat model."},
        subcommands = {PrivacySecAggCommand.class})
final class PrivacyCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode;

    /** Exactly one of the two questions. */
    static final class Mode {
        @Option(names = "--noise", paramLabel = "Z", required = true,
                description = "Noise multiplier z (noise stddev / clip norm): print the epsilon spent.")
        Double noise;
        @Option(names = "--target-epsilon", paramLabel = "E", required = true,
                description = "Target epsilon: print the noise multiplier needed to stay within it.")
        Double targetEpsilon;
    }

    @Option(names = "--sample-rate", paramLabel = "Q",
            description = "Sampling rate q in (0, 1]: the chance an example (or site) is in a step. Required.")
    Double sampleRate;
    @Option(names = "--steps", paramLabel = "T", description = "Number of steps (or rounds), >= 1. Required.")
    Long steps;
    @Option(names = "--delta", paramLabel = "D", description = "Delta in (0, 1), below 1 / dataset size. Required.")
    Double delta;
    @Option(names = "--conversion", paramLabel = "KIND", defaultValue = "improved",
            description = "RDP to (epsilon, delta) conversion: improved (Balle et al. 2020, as Opacus and TF Privacy "
                    + "today) or classic (Mironov 2017, as results published before 2021). Default: ${DEFAULT-VALUE}.")
    String conversion;

    @Override
    public Integer call() {
        if (mode == null || sampleRate == null || steps == null || delta == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "privacy needs --noise or "
                    + "--target-epsilon, and --sample-rate, --steps and --delta (or the subcommand secagg)");
        }
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("--sample-rate must be in (0, 1], got " + sampleRate);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("--delta must be in (0, 1), got " + delta);
        }
        RdpConversion kind = switch (conversion.toLowerCase(Locale.ROOT)) {
            case "improved" -> RdpConversion.IMPROVED;
            case "classic" -> RdpConversion.CLASSIC;
            default -> throw new IllegalArgumentException("--conversion must be improved or classic, got '"
                    + conversion + "'");
        };
        PrintWriter out = spec.commandLine().getOut();
        double z;
        if (mode.noise != null) {
            z = mode.noise;
            if (!(z >= 0) || !Double.isFinite(z)) {
                throw new IllegalArgumentException("--noise must be a finite number >= 0, got " + z);
            }
        } else {
            double target = mode.targetEpsilon;
            if (!(target > 0) || !Double.isFinite(target)) {
                throw new IllegalArgumentException("--target-epsilon must be a positive finite number, got " + target);
            }
            try {
                z = RdpAccountant.noiseForTarget(target, delta, sampleRate, steps, RdpAccountant.defaultOrders(), kind);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--target-epsilon " + target + " cannot be reached: " + e.getMessage(), e);
            }
        }
        double[] orders = RdpAccountant.defaultOrders();
        PrivacySpent spent = new RdpAccountant(orders).step(sampleRate, z, steps).epsilon(delta, kind);
        if (mode.noise != null) {
            out.printf(Locale.ROOT, "epsilon = %.4f at delta = %s (best Renyi order %s)%n", spent.epsilon(), delta,
                    spent.order());
        } else {
            out.printf(Locale.ROOT, "noise multiplier = %.4f (epsilon = %.4f at delta = %s, best Renyi order %s)%n", z,
                    spent.epsilon(), delta, spent.order());
        }
        out.printf(Locale.ROOT, "  sampled Gaussian mechanism: q = %s, z = %.4f, %d steps; %s conversion%n", sampleRate,
                z, steps, kind.name().toLowerCase(Locale.ROOT));
        if (spent.order() == orders[0] || spent.order() == orders[orders.length - 1]) {
            out.printf(Locale.ROOT, "  note: the best order lies at the edge of the orders searched (%s .. %s), so the "
                    + "bound may be loose%n", orders[0], orders[orders.length - 1]);
        }
        out.flush();
        return 0;
    }
}
