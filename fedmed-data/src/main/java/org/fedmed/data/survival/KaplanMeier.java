package org.fedmed.data.survival;

import java.util.Arrays;
import java.util.List;

/**
 * A survival curve (Kaplan-Meier, or the actuarial estimator) computed by the server from pooled per-bin counts ({@link PooledSurvivalCounts}) alone, with
 * Greenwood's variance and the confidence band lifelines' {@code KaplanMeierFitter} draws. For pooled bin i, with
 * {@code n_i} at risk at its start, {@code d_i} events and {@code c_i} censored rows in it:
 * <ul>
 *   <li>{@code survival[i] = prod_{l <= i} (1 - d_l / n_l)}: the probability of surviving past bin i. The events of a
 *       bin count as tied at its start and its censored rows as leaving after them, so this is exactly the
 *       Kaplan-Meier curve of the pooled rows with every time moved to the start of its bin (a row after the last
 *       edge censored at it), on [start of bin i, start of bin i+1); with one bin per distinct time it is the
 *       Kaplan-Meier curve itself;</li>
 *   <li>{@code variance[i] = survival[i]^2 * sum_{l <= i} d_l / (n_l (n_l - d_l))} (Greenwood; a bin where every row
 *       at risk has the event adds 0, as in lifelines);</li>
 *   <li>{@code lower[i], upper[i]}: the exponential Greenwood (log-log) band at the given confidence,
 *       {@code exp(-exp(log(-log S) -/+ z sqrt(G) / log S))}, G the Greenwood sum and z the normal quantile; [1, 1]
 *       where S is 1 and [0, 0] where it is 0, as lifelines fills them.</li>
 * </ul>
 * With {@link SurvivalEstimator#ACTUARIAL}, {@code n_l} is replaced by the effective number at risk
 * {@code n_l - c_l / 2} in the product, the Greenwood sum and the band. Arrays are copied in and out.
 *
 * @param estimator  how rows censored within a bin count
 * @param bins       the pooled bins: bin i is {@code [bins.edge(i), bins.edge(i + 1))}
 * @param confidence the confidence level of the band, in (0, 1)
 * @param sites      the sites whose counts it pools
 * @param withheld   the sites left out because they released nothing
 */
public record KaplanMeier(SurvivalEstimator estimator, TimeBins bins, long[] atRisk, long[] events,
                          long[] censored, double[] survival, double[] variance, double[] lower, double[] upper,
                          double confidence, List<String> sites, List<String> withheld) {

    public KaplanMeier {
        atRisk = atRisk.clone();
        events = events.clone();
        censored = censored.clone();
        survival = survival.clone();
        variance = variance.clone();
        lower = lower.clone();
        upper = upper.clone();
        sites = List.copyOf(sites);
        withheld = List.copyOf(withheld);
    }

    /** The Kaplan-Meier curve of the sites' releases pooled, with a 95% band. */
    public static KaplanMeier of(List<? extends SurvivalRelease> releases) {
        return of(PooledSurvivalCounts.pool(releases), SurvivalEstimator.KAPLAN_MEIER, 0.95);
    }

    /**
     * The curve of pooled counts by {@code estimator}, with a band at {@code confidence}.
     *
     * @throws IllegalArgumentException if the confidence is not in (0, 1)
     */
    public static KaplanMeier of(PooledSurvivalCounts pooled, SurvivalEstimator estimator, double confidence) {
        if (estimator == null) {
            throw new IllegalArgumentException("a survival curve needs an estimator (kaplan_meier or actuarial)");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("a Kaplan-Meier band needs a confidence in (0, 1), got " + confidence);
        }
        double z = Distributions.normalQuantile(1 - (1 - confidence) / 2);
        int n = pooled.count();
        long[] r = pooled.atRisk();
        long[] d = pooled.events();
        long[] c = pooled.censored();
        boolean actuarial = estimator == SurvivalEstimator.ACTUARIAL;
        double[] s = new double[n];
        double[] v = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        double surv = 1;
        double greenwood = 0;
        for (int i = 0; i < n; i++) {
            double atRisk = actuarial ? r[i] - c[i] / 2.0 : r[i];
            if (atRisk > 0) {
                surv *= 1 - d[i] / atRisk;
                if (atRisk > d[i]) {
                    greenwood += d[i] / (atRisk * (atRisk - d[i]));
                }
            }
            s[i] = surv;
            v[i] = surv * surv * greenwood;
            if (surv == 1 || surv == 0) {
                lo[i] = surv;
                hi[i] = surv;
            } else {
                double log = Math.log(surv);
                double spread = z * Math.sqrt(greenwood) / log;
                lo[i] = Math.exp(-Math.exp(Math.log(-log) - spread));
                hi[i] = Math.exp(-Math.exp(Math.log(-log) + spread));
            }
        }
        return new KaplanMeier(estimator, pooled.pooledBins(), r, d, c, s, v, lo, hi, confidence,
                pooled.sites(), pooled.withheld());
    }

    /** Number of bins. */
    public int count() {
        return survival.length;
    }

    @Override
    public long[] atRisk() {
        return atRisk.clone();
    }

    @Override
    public long[] events() {
        return events.clone();
    }

    @Override
    public long[] censored() {
        return censored.clone();
    }

    @Override
    public double[] survival() {
        return survival.clone();
    }

    @Override
    public double[] variance() {
        return variance.clone();
    }

    @Override
    public double[] lower() {
        return lower.clone();
    }

    @Override
    public double[] upper() {
        return upper.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KaplanMeier k && estimator == k.estimator && bins.equals(k.bins) && Arrays.equals(atRisk, k.atRisk)
                && Arrays.equals(events, k.events) && Arrays.equals(censored, k.censored)
                && Arrays.equals(survival, k.survival) && Arrays.equals(variance, k.variance)
                && Arrays.equals(lower, k.lower) && Arrays.equals(upper, k.upper) && confidence == k.confidence
                && sites.equals(k.sites) && withheld.equals(k.withheld);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(survival) * 31 + bins.hashCode();
    }

    @Override
    public String toString() {
        return "KaplanMeier[sites " + sites + ", edges " + Arrays.toString(bins.edges()) + ", survival "
                + Arrays.toString(survival) + "]";
    }
}
