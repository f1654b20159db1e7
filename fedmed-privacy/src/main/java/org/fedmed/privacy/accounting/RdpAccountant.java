package org.fedmed.privacy.accounting;

import java.util.ArrayList;
import java.util.List;

/**
 * Tracks the privacy spent by a sequence of sampled Gaussian mechanisms (DP-SGD steps, DP-FedAvg rounds) with
 * Renyi differential privacy: each step adds its RDP at every order, so steps with different sampling rates and
 * noise multipliers compose by summing RDP vectors, and the spent (epsilon, delta) is read off at the best order.
 *
 * <p>By default the orders are those of Opacus and of the TensorFlow Privacy tutorials, {@code 1 + x/10} for
 * x = 1..99 and then 12..63, so that figures are comparable with theirs. Guarantees are under add-or-remove-one
 * adjacency of the sampled unit (an example for DP-SGD, a site for DP-FedAvg), and assume Poisson sampling at
 * rate q; see {@link SampledGaussianRdp}. Methods are thread-safe.
 */
public final class RdpAccountant {

    private static final double[] DEFAULT_ORDERS = buildDefaultOrders();
    private static final double MAX_NOISE_MULTIPLIER = 1e6;

    private final double[] orders;
    private final double[] rdp;
    private final List<SampledGaussianSteps> history = new ArrayList<>();
    private long steps;
    private double cachedQ = Double.NaN;
    private double cachedZ = Double.NaN;
    private double[] cachedPerStep;

    /** An accountant over the default orders, with nothing spent. */
    public RdpAccountant() {
        this(DEFAULT_ORDERS);
    }

    /**
     * An accountant over the given Renyi orders, with nothing spent.
     *
     * @throws IllegalArgumentException if there are no orders or one is <= 1
     */
    public RdpAccountant(double[] orders) {
        if (orders.length == 0) {
            throw new IllegalArgumentException("at least one Renyi order is needed");
        }
        for (double a : orders) {
            SampledGaussianRdp.checkOrder(a);
        }
        this.orders = orders.clone();
        this.rdp = new double[orders.length];
    }

    /**
     * An accountant that continues a recorded account: over {@code orders}, with {@code rdp} accumulated at each
     * and {@code history} composed (as {@link #history()} lists it), exactly as the accountant that recorded them.
     *
     * @throws IllegalArgumentException if the orders are invalid, the RDP vector does not have one finite value
     *                                  >= 0 per order, or the history is null
     */
    public static RdpAccountant restored(double[] orders, double[] rdp, List<SampledGaussianSteps> history) {
        RdpAccountant a = new RdpAccountant(orders);
        if (rdp.length != orders.length) {
            throw new IllegalArgumentException("a recorded account needs one RDP value per order: " + orders.length
                    + " orders, " + rdp.length + " values");
        }
        for (int i = 0; i < rdp.length; i++) {
            if (!(rdp[i] >= 0) || !Double.isFinite(rdp[i])) {
                throw new IllegalArgumentException("recorded RDP at order " + orders[i] + " must be a finite number"
                        + " >= 0, got " + rdp[i]);
            }
        }
        System.arraycopy(rdp, 0, a.rdp, 0, rdp.length);
        for (SampledGaussianSteps h : history) {
            a.history.add(h);
            a.steps += h.steps();
        }
        return a;
    }

    /** The default orders: 1.1, 1.2, ..., 10.9, then 12, 13, ..., 63 (as Opacus and TensorFlow Privacy). */
    public static double[] defaultOrders() {
        return DEFAULT_ORDERS.clone();
    }

    private static double[] buildDefaultOrders() {
        double[] o = new double[99 + 52];
        for (int x = 1; x <= 99; x++) {
            o[x - 1] = 1 + x / 10.0;
        }
        for (int a = 12; a <= 63; a++) {
            o[99 + a - 12] = a;
        }
        return o;
    }

    /**
     * Composes {@code steps} steps of the sampled Gaussian mechanism with sampling rate {@code q} and noise
     * multiplier {@code z} (noise standard deviation over L2 sensitivity). Zero steps change nothing.
     *
     * @return this accountant
     * @throws IllegalArgumentException if q is outside [0, 1], z is negative or not finite, or steps is negative
     */
    public synchronized RdpAccountant step(double q, double z, long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        double[] perStep = perStep(q, z);
        if (steps == 0) {
            return this;
        }
        for (int i = 0; i < rdp.length; i++) {
            rdp[i] += steps * perStep[i];
        }
        this.steps += steps;
        SampledGaussianSteps last = history.isEmpty() ? null : history.getLast();
        if (last != null && last.samplingRate() == q && last.noiseMultiplier() == z) {
            history.set(history.size() - 1, new SampledGaussianSteps(q, z, last.steps() + steps));
        } else {
            history.add(new SampledGaussianSteps(q, z, steps));
        }
        return this;
    }

    /** One step's RDP vector at (q, z), remembered for the last (q, z) seen since steps usually repeat. */
    private double[] perStep(double q, double z) {
        if (q != cachedQ || z != cachedZ) {
            cachedPerStep = SampledGaussianRdp.rdp(q, z, orders);
            cachedQ = q;
            cachedZ = z;
        }
        return cachedPerStep;
    }

    /** The privacy spent so far at {@code delta}, with the {@link RdpConversion#IMPROVED improved} conversion. */
    public PrivacySpent epsilon(double delta) {
        return epsilon(delta, RdpConversion.IMPROVED);
    }

    /** The privacy spent so far at {@code delta}, with the given conversion. */
    public synchronized PrivacySpent epsilon(double delta, RdpConversion conversion) {
        return conversion.best(orders, rdp, delta);
    }

    /** What {@link #epsilon(double)} would report after {@code moreSteps} more steps at (q, z); nothing is spent. */
    public synchronized PrivacySpent epsilonAfter(double q, double z, long moreSteps, double delta) {
        return copy().step(q, z, moreSteps).epsilon(delta);
    }

    /** The Renyi orders, in the order given. */
    public double[] orders() {
        return orders.clone();
    }

    /** The accumulated RDP at each order. */
    public synchronized double[] rdp() {
        return rdp.clone();
    }

    /** Total number of steps composed so far. */
    public synchronized long steps() {
        return steps;
    }

    /** The mechanisms composed so far, consecutive identical steps merged, in order. */
    public synchronized List<SampledGaussianSteps> history() {
        return List.copyOf(history);
    }

    /** An independent accountant with the same orders and spending. */
    public synchronized RdpAccountant copy() {
        RdpAccountant c = new RdpAccountant(orders);
        System.arraycopy(rdp, 0, c.rdp, 0, rdp.length);
        c.steps = steps;
        c.history.addAll(history);
        c.cachedQ = cachedQ;
        c.cachedZ = cachedZ;
        c.cachedPerStep = cachedPerStep;
        return c;
    }

    /**
     * The smallest noise multiplier z with which {@code steps} steps at sampling rate {@code q} stay within
     * (targetEpsilon, delta), over the default orders with the improved conversion. Found by bisection to a
     * relative precision of 1e-7; the returned z always meets the target.
     *
     * @throws IllegalArgumentException if an argument is out of range, or no z up to 1e6 meets the target
     */
    public static double noiseForTarget(double targetEpsilon, double delta, double q, long steps) {
        return noiseForTarget(targetEpsilon, delta, q, steps, DEFAULT_ORDERS, RdpConversion.IMPROVED);
    }

    /** As {@link #noiseForTarget(double, double, double, long)}, over the given orders and conversion. */
    public static double noiseForTarget(double targetEpsilon, double delta, double q, long steps, double[] orders,
                                        RdpConversion conversion) {
        if (!(targetEpsilon > 0) || !Double.isFinite(targetEpsilon)) {
            throw new IllegalArgumentException("target epsilon must be a positive finite number, got " + targetEpsilon);
        }
        PrivacySpent.checkDelta(delta);
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate q must be in (0, 1], got " + q);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        double lo = 0;
        double hi = 1;
        while (epsilonOf(q, hi, steps, delta, orders, conversion) > targetEpsilon) {
            lo = hi;
            hi *= 2;
            if (hi > MAX_NOISE_MULTIPLIER) {
                throw new IllegalArgumentException("no noise multiplier up to " + MAX_NOISE_MULTIPLIER + " keeps " + steps
                        + " steps at sampling rate " + q + " within epsilon " + targetEpsilon + " at delta " + delta);
            }
        }
        while (hi - lo > 1e-7 * hi) {
            double mid = 0.5 * (lo + hi);
            if (epsilonOf(q, mid, steps, delta, orders, conversion) > targetEpsilon) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /**
     * The largest number of steps at (q, z) that stays within (targetEpsilon, delta), over the default orders with
     * the improved conversion; {@link Long#MAX_VALUE} if every number does (q = 0), 0 if not even one does.
     */
    public static long maxSteps(double targetEpsilon, double delta, double q, double z) {
        if (!(targetEpsilon >= 0)) {
            throw new IllegalArgumentException("target epsilon must be >= 0, got " + targetEpsilon);
        }
        PrivacySpent.checkDelta(delta);
        double[] perStep = SampledGaussianRdp.rdp(q, z, DEFAULT_ORDERS);
        if (scaledEpsilon(perStep, 1, delta) > targetEpsilon) {
            return 0;
        }
        long lo = 1;
        long hi = 2;
        while (scaledEpsilon(perStep, hi, delta) <= targetEpsilon) {
            lo = hi;
            if (hi > Long.MAX_VALUE / 4) {
                return Long.MAX_VALUE;
            }
            hi *= 2;
        }
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (scaledEpsilon(perStep, mid, delta) <= targetEpsilon) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double scaledEpsilon(double[] perStep, long steps, double delta) {
        double[] total = new double[perStep.length];
        for (int i = 0; i < total.length; i++) {
            total[i] = steps * perStep[i];
        }
        return RdpConversion.IMPROVED.best(DEFAULT_ORDERS, total, delta).epsilon();
    }

    private static double epsilonOf(double q, double z, long steps, double delta, double[] orders,
                                    RdpConversion conversion) {
        return new RdpAccountant(orders).step(q, z, steps).epsilon(delta, conversion).epsilon();
    }
}
