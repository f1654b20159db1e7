package org.fedmed.secagg.graph;

/**
 * What a SecAgg+ round must withstand: the fraction of sites that may be corrupt (colluding with the server),
 * the fraction that may drop out during the round, what the server itself may do, and how small the failure
 * chances must be: security fails with probability at most 2^-securityBits, the round aborts for lack of shares
 * with probability at most 2^-correctnessBits (over the random relabelling of the graph).
 *
 * @param corruptFraction  gamma, in [0, 1): at most floor(gamma n) sites collude with the server
 * @param dropoutFraction  delta, in [0, 1): at most floor(delta n) sites drop before unmasking
 * @param server           what the server may do beyond reading what it is sent
 * @param securityBits     sigma, in [1, 128]
 * @param correctnessBits  eta, in [1, 128]
 */
public record ThreatModel(double corruptFraction, double dropoutFraction, ServerModel server, double securityBits,
                          double correctnessBits) {

    /** Statistical security parameter used when none is given: 40 bits (as Google's SecAgg+ server). */
    public static final double DEFAULT_SECURITY_BITS = 40;
    /** Correctness parameter used when none is given: 20 bits (as Google's SecAgg+ server). */
    public static final double DEFAULT_CORRECTNESS_BITS = 20;

    /** The server's power, which decides how high the threshold must be above the corrupt neighbours. */
    public enum ServerModel {
        /** Follows the protocol and reads what it receives: a threshold above the corrupt neighbours suffices. */
        HONEST_BUT_CURIOUS,
        /**
         * May tell different sites different dropout sets, to collect one site's self-mask shares from some of its
         * honest neighbours and its key shares from others: the threshold t must satisfy 2t > k + c, with c the
         * corrupt neighbours, so that the honest neighbours cannot be split into two groups that each reach t.
         */
        SEMI_MALICIOUS
    }

    public ThreatModel {
        if (!(corruptFraction >= 0 && corruptFraction < 1)) {
            throw new IllegalArgumentException("corrupt_fraction must be in [0, 1), got " + corruptFraction);
        }
        if (!(dropoutFraction >= 0 && dropoutFraction < 1)) {
            throw new IllegalArgumentException("dropout_fraction must be in [0, 1), got " + dropoutFraction);
        }
        if (server == null) {
            throw new IllegalArgumentException("server model is required");
        }
        if (!(securityBits >= 1 && securityBits <= 128)) {
            throw new IllegalArgumentException("security_bits must be in [1, 128], got " + securityBits);
        }
        if (!(correctnessBits >= 1 && correctnessBits <= 128)) {
            throw new IllegalArgumentException("correctness_bits must be in [1, 128], got " + correctnessBits);
        }
    }

    /** A semi-malicious server and the default security and correctness parameters. */
    public static ThreatModel of(double corruptFraction, double dropoutFraction) {
        return new ThreatModel(corruptFraction, dropoutFraction, ServerModel.SEMI_MALICIOUS, DEFAULT_SECURITY_BITS,
                DEFAULT_CORRECTNESS_BITS);
    }
}
