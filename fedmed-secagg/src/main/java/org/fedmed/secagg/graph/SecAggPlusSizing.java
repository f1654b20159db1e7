package org.fedmed.secagg.graph;

import java.util.Locale;

/**
 * The smallest SecAgg+ degree k and a threshold t that meet a {@link ThreatModel} for n sites, or the guarantee
 * that a given (k, t) gives. The analysis is that of Bell, Bonawitz, Gascón, Lepoint and Raykova (CCS 2020) for
 * the graph this module uses, a Harary graph H(k, n) with randomly relabelled sites ({@link NeighbourGraph}),
 * in the form of Google's SecAgg+ parameter finder; the bounds are computed here with our own code.
 *
 * <p>Write C = floor(gamma n) corrupt sites, D = floor(delta n) dropouts, B = C + D and S = ceil((1 - delta) n)
 * survivors. A (k, t) is accepted when all three hold:
 * <ol>
 *   <li><b>Honest survivors stay connected</b> (security: the server learns only the sum of all honest
 *       survivors, never a part of it). Removing nodes disconnects a Harary graph only if they include k/2
 *       consecutive ring positions in two disjoint places. There are n (n - k - 1) / 2 such pairs of runs, and a
 *       fixed set of k positions is all bad with probability C(B, k) / C(n, k), so by the union bound
 *       <br>{@code P[disconnected] <= n (n - k - 1) / 2 * B! (n - k)! / (n! (B - k)!)  <  2^-(sigma + 1)}
 *       <br>(0 when k > B).</li>
 *   <li><b>Corrupt neighbours cannot rebuild a secret</b> (security). A site's k neighbours are a random
 *       k-subset, so its corrupt neighbours c follow (conservatively) the hypergeometric law Hyp(n, C, k).
 *       With t1 the smallest x such that {@code P[Hyp(n, C, k) > x] <= 2^-(sigma + 1) / n}, the union bound
 *       over sites gives {@code c <= t1} for every site except with probability 2^-(sigma + 1). The threshold
 *       is then {@code t = t1 + 1} against an honest-but-curious server, and {@code t = ceil((k + t1 + 1) / 2)}
 *       (so that {@code 2t > k + c}) against a semi-malicious one; in both cases at least 2.</li>
 *   <li><b>Enough neighbours survive</b> (correctness: no abort). The surviving neighbours follow Hyp(n, S, k);
 *       with t2 the largest x such that {@code P[Hyp(n, S, k) < x] <= 2^-eta / n}, every site keeps at least
 *       t2 surviving neighbours except with probability 2^-eta. Accepted when {@code t <= t2}.</li>
 * </ol>
 * The two security events share sigma, so the total is {@code 2^-(sigma+1) + 2^-(sigma+1) = 2^-sigma}. The
 * search takes the smallest even k in [2, n - 2] that passes, then the complete graph k = n - 1 (classic SecAgg,
 * connected as long as one honest site survives), and fails when none does.
 *
 * <p><b>Against the paper.</b> The paper states its theorem for an Erdős–Rényi graph G(n, k / (n - 1)) and bounds
 * degrees and neighbourhoods with binomial tails; its own implementation (and this class) use the random
 * Harary graph, whose degree is exactly k and whose neighbourhoods are hypergeometric. The values are checked
 * in {@code SecAggPlusSizingTest} against those Google's implementation publishes for sigma = 40, eta = 20:
 * the degree exactly, the threshold within one, except one tiny cohort where that implementation raises the
 * threshold to 2 after its survivor check (see the test).
 */
public final class SecAggPlusSizing {

    private static final double LN2 = Math.log(2);
    /** Keeps floor(gamma n) from rounding 0.3 * 100 down to 29. */
    private static final double SMALL = 1e-12;

    private SecAggPlusSizing() {
    }

    /**
     * The chosen parameters and the guarantee they give.
     *
     * @param numSites           n
     * @param degree             k, neighbours per site
     * @param threshold          t, shares needed to rebuild a site's secrets
     * @param log2SecurityFailure log2 of the bound on the chance security fails (at most -sigma when chosen)
     * @param log2AbortChance    log2 of the bound on the chance the round aborts (at most -eta when chosen)
     */
    public record Sizing(int numSites, int degree, int threshold, double log2SecurityFailure, double log2AbortChance) {

        /** Per-site cost relative to classic SecAgg: k / (n - 1) (key agreements, shares and mask expansions). */
        public double costRelativeToClassic() {
            return degree / (double) (numSites - 1);
        }

        /** Most neighbours of one site that may drop while its secrets can still be rebuilt: k - t. */
        public int tolerableNeighbourDropouts() {
            return degree - threshold;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n=%d k=%d t=%d security 2^%.1f abort 2^%.1f", numSites, degree,
                    threshold, log2SecurityFailure, log2AbortChance);
        }
    }

    /**
     * The smallest degree (and its threshold) that meets {@code model} for {@code numSites} sites.
     *
     * @throws IllegalArgumentException naming the fractions when no degree up to n - 1 meets them
     */
    public static Sizing choose(int numSites, ThreatModel model) {
        checkSites(numSites);
        for (int k = 2; k <= numSites - 2; k += 2) {
            Sizing s = tryDegree(numSites, k, model);
            if (s != null) {
                return s;
            }
        }
        Sizing s = tryDegree(numSites, numSites - 1, model);
        if (s != null) {
            return s;
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "secure_aggregation: no degree up to n - 1 = %d meets corrupt_fraction=%s, dropout_fraction=%s, "
                        + "security_bits=%s, correctness_bits=%s with %d sites (too few sites for the dropout and "
                        + "corruption assumed; lower them or the bits)", numSites - 1, model.corruptFraction(),
                model.dropoutFraction(), model.securityBits(), model.correctnessBits(), numSites));
    }

    /**
     * The guarantee of a given degree and threshold under {@code model}; refuses, naming the key, a pair that does
     * not meet it.
     */
    public static Sizing check(int numSites, int degree, int threshold, ThreatModel model) {
        checkSites(numSites);
        if (degree < 2 || degree > numSites - 1 || (degree != numSites - 1 && degree % 2 != 0)) {
            throw new IllegalArgumentException("secure_aggregation.degree must be n - 1 = " + (numSites - 1)
                    + " or an even number in [2, " + (numSites - 2) + "], got " + degree);
        }
        if (threshold < 2 || threshold > degree) {
            throw new IllegalArgumentException("secure_aggregation.threshold must be in [2, degree = " + degree
                    + "], got " + threshold);
        }
        Bounds b = bounds(numSites, degree, model);
        double log2Security = log2Sum(b.log2Disconnect, b.log2CorruptTail(threshold, model));
        double log2Abort = b.log2SurvivorTail(threshold);
        if (log2Security > -model.securityBits()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "secure_aggregation.threshold=%d with degree=%d does not give %s security bits against "
                            + "corrupt_fraction=%s for %d sites: the failure bound is 2^%.1f (raise the degree or the "
                            + "threshold, or omit both to have them chosen)", threshold, degree, model.securityBits(),
                    model.corruptFraction(), numSites, log2Security));
        }
        if (log2Abort > -model.correctnessBits()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "secure_aggregation.threshold=%d with degree=%d does not give %s correctness bits at "
                            + "dropout_fraction=%s for %d sites: the abort bound is 2^%.1f (raise the degree or lower "
                            + "the threshold, or omit both to have them chosen)", threshold, degree,
                    model.correctnessBits(), model.dropoutFraction(), numSites, log2Abort));
        }
        return new Sizing(numSites, degree, threshold, log2Security, log2Abort);
    }

    private static Sizing tryDegree(int n, int k, ThreatModel model) {
        Bounds b = bounds(n, k, model);
        double sigmaPerEvent = model.securityBits() + 1;
        if (b.log2Disconnect >= -sigmaPerEvent) {
            return null;
        }
        double perSite = -sigmaPerEvent - log2(n);
        int t1 = 0;
        while (t1 < k && b.corruptUpper[t1 + 1] > perSite) {
            t1++;
        }
        int t = switch (model.server()) {
            case HONEST_BUT_CURIOUS -> t1 + 1;
            case SEMI_MALICIOUS -> (k + t1 + 2) / 2;
        };
        t = Math.max(t, 2);
        if (t > k) {
            return null;
        }
        double log2Abort = b.log2SurvivorTail(t);
        if (log2Abort > -model.correctnessBits() - 0.0) {
            return null;
        }
        return new Sizing(n, k, t, log2Sum(b.log2Disconnect, b.log2CorruptTail(t, model)), log2Abort);
    }

    /** The tails for one degree: corruptUpper[x] = log2 P[c >= x] and survivorLower[x] = log2 P[s < x], times n. */
    private record Bounds(int n, int k, double log2Disconnect, double[] corruptUpper, double[] survivorLower) {

        /** log2 of n * P[c >= t] (no client has t corrupt neighbours, semi-honest) or n * P[c >= 2t - k]. */
        double log2CorruptTail(int t, ThreatModel model) {
            int x = switch (model.server()) {
                case HONEST_BUT_CURIOUS -> t;
                case SEMI_MALICIOUS -> 2 * t - k;
            };
            if (x <= 0) {
                return 0;
            }
            return x > k ? Double.NEGATIVE_INFINITY : corruptUpper[x] + log2(n);
        }

        /** log2 of n * P[fewer than t surviving neighbours]. */
        double log2SurvivorTail(int t) {
            return survivorLower[t] + log2(n);
        }
    }

    private static Bounds bounds(int n, int k, ThreatModel model) {
        int corrupt = (int) Math.floor((model.corruptFraction() + SMALL) * n);
        int dropped = (int) Math.floor((model.dropoutFraction() + SMALL) * n);
        int survivors = (int) Math.ceil((1 - model.dropoutFraction() - SMALL) * n);
        int bad = corrupt + dropped;
        double log2Disconnect;
        if (k == n - 1) {
            log2Disconnect = bad >= n ? 0 : Double.NEGATIVE_INFINITY;
        } else if (k > bad) {
            log2Disconnect = Double.NEGATIVE_INFINITY;
        } else {
            double ln = Math.log(n) + Math.log(n - k - 1) - Math.log(2) + LogFactorial.of(bad) + LogFactorial.of(n - k)
                    - LogFactorial.of(n) - LogFactorial.of(bad - k);
            log2Disconnect = Math.min(0, ln / LN2);
        }
        // upper[x] = log2 P[Hyp(n, corrupt, k) >= x]; lower[x] = log2 P[Hyp(n, survivors, k) < x]
        double[] pc = pmf(n, corrupt, k);
        double[] ps = pmf(n, survivors, k);
        double[] upper = new double[k + 2];
        double acc = 0;
        upper[k + 1] = Double.NEGATIVE_INFINITY;
        for (int x = k; x >= 0; x--) {
            acc += pc[x];
            upper[x] = acc > 0 ? Math.min(0, Math.log(acc) / LN2) : Double.NEGATIVE_INFINITY;
        }
        double[] lower = new double[k + 2];
        acc = 0;
        for (int x = 0; x <= k + 1; x++) {
            lower[x] = acc > 0 ? Math.min(0, Math.log(acc) / LN2) : Double.NEGATIVE_INFINITY;
            if (x <= k) {
                acc += ps[x];
            }
        }
        return new Bounds(n, k, log2Disconnect, upper, lower);
    }

    /** P[X = x] for x in 0..k, X hypergeometric: k drawn from n of which {@code marked} are marked. */
    private static double[] pmf(int n, int marked, int k) {
        double[] p = new double[k + 1];
        double lnAll = LogFactorial.choose(n, k);
        for (int x = 0; x <= k; x++) {
            if (x > marked || k - x > n - marked) {
                continue;
            }
            p[x] = Math.exp(LogFactorial.choose(marked, x) + LogFactorial.choose(n - marked, k - x) - lnAll);
        }
        return p;
    }

    private static double log2(double v) {
        return Math.log(v) / LN2;
    }

    private static double log2Sum(double a, double b) {
        double m = Math.max(a, b);
        if (m == Double.NEGATIVE_INFINITY) {
            return m;
        }
        return Math.min(0, m + log2(Math.pow(2, a - m) + Math.pow(2, b - m)));
    }

    private static void checkSites(int n) {
        if (n < 3) {
            throw new IllegalArgumentException("secure aggregation needs at least 3 sites, got " + n);
        }
    }

    /** ln(m!) exactly summed below 1024, by Stirling's series above (error below 1e-15 relative). */
    static final class LogFactorial {
        private static final double[] TABLE = new double[1024];

        static {
            for (int i = 2; i < TABLE.length; i++) {
                TABLE[i] = TABLE[i - 1] + Math.log(i);
            }
        }

        private LogFactorial() {
        }

        static double of(int m) {
            if (m < TABLE.length) {
                return TABLE[m];
            }
            double x = m;
            return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
        }

        static double choose(int a, int b) {
            return of(a) - of(b) - of(a - b);
        }
    }
}
