package org.fedmed.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedmed.secagg.graph.SecAggPlusSizing;
import org.fedmed.secagg.graph.ThreatModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedmed privacy secagg}: the SecAgg+ degree and threshold that {@link SecAggPlusSizing} chooses for a
 * threat model, their per-site cost against classic SecAgg, and the guarantee they give.
 */
@Command(name = "secagg", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"SecAgg+ degree k and threshold t for N sites, of which a fraction G may collude with the"
                + " server and a fraction D may drop out (Bell et al., CCS 2020, on a random Harary graph).",
                "Prints k, t, the per-site cost relative to classic SecAgg and the failure bounds. G and D default to"
                + " what a secure_aggregation section assumes when it leaves them out."})
final class PrivacySecAggCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--sites", paramLabel = "N", required = true, description = "Sites in the round, >= 3.")
    int sites;
    // the defaults of SecAggSettings.DEFAULT_CORRUPT_FRACTION and DEFAULT_DROPOUT_FRACTION (a test keeps them equal)
    @Option(names = "--corrupt", paramLabel = "G", defaultValue = "0.05",
            description = "Fraction of sites that may collude with the server, in [0, 1). Default: ${DEFAULT-VALUE}.")
    double corrupt;
    @Option(names = "--dropout", paramLabel = "D", defaultValue = "0.1",
            description = "Fraction of sites that may drop out during the round, in [0, 1). Default: ${DEFAULT-VALUE}.")
    double dropout;
    @Option(names = "--security", paramLabel = "S", defaultValue = "40",
            description = "Security bits: privacy fails with probability at most 2^-S. Default: ${DEFAULT-VALUE}.")
    double security;
    @Option(names = "--correctness", paramLabel = "E", defaultValue = "20",
            description = "Correctness bits: the round aborts with probability at most 2^-E. Default: ${DEFAULT-VALUE}.")
    double correctness;
    @Option(names = "--server", paramLabel = "MODEL", defaultValue = "semi_malicious",
            description = "semi_malicious (may lie about dropouts) or honest_but_curious. Default: ${DEFAULT-VALUE}.")
    String server;

    @Override
    public Integer call() {
        ThreatModel.ServerModel model = switch (server.toLowerCase(Locale.ROOT)) {
            case "semi_malicious" -> ThreatModel.ServerModel.SEMI_MALICIOUS;
            case "honest_but_curious" -> ThreatModel.ServerModel.HONEST_BUT_CURIOUS;
            default -> throw new IllegalArgumentException("--server must be semi_malicious or honest_but_curious, got '"
                    + server + "'");
        };
        ThreatModel threat;
        try {
            threat = new ThreatModel(corrupt, dropout, model, security, correctness);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage().replace("corrupt_fraction", "corrupt")
                    .replace("dropout_fraction", "dropout").replace("security_bits", "security")
                    .replace("correctness_bits", "correctness"), e);
        }
        SecAggPlusSizing.Sizing s = SecAggPlusSizing.choose(sites, threat);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "degree k = %d, threshold t = %d (%d sites, %s server)%n", s.degree(), s.threshold(),
                sites, server.toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "  per-site cost: %d of %d neighbours, %.1f%% of classic SecAgg%n", s.degree(),
                sites - 1, 100 * s.costRelativeToClassic());
        out.printf(Locale.ROOT, "  security: with up to %.0f%% corrupt sites the server learns only the sum of the"
                + " honest survivors, except with probability %s (target 2^-%s)%n", 100 * corrupt,
                bound(s.log2SecurityFailure()), fmt(security));
        out.printf(Locale.ROOT, "  correctness: with up to %.0f%% dropouts the round recovers the sum, except with"
                + " probability %s (target 2^-%s); a site's secrets survive %d dropped neighbours%n",
                100 * dropout, bound(s.log2AbortChance()), fmt(correctness), s.tolerableNeighbourDropouts());
        out.printf(Locale.ROOT, "  config: secure_aggregation: {corrupt_fraction: %s, dropout_fraction: %s,"
                + " security_bits: %s, correctness_bits: %s%s}%n", corrupt, dropout, fmt(security), fmt(correctness),
                model == ThreatModel.ServerModel.SEMI_MALICIOUS ? "" : ", server: honest_but_curious");
        out.flush();
        return 0;
    }

    /** "<= 2^-41.3", or "0" where the assumed counts make the event impossible. */
    private static String bound(double log2) {
        return log2 == Double.NEGATIVE_INFINITY ? "0 (impossible with these counts)"
                : String.format(Locale.ROOT, "<= 2^%.1f", log2);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
