package org.fedmed.privacy.accounting;

/**
 * How a Renyi DP guarantee (alpha, rdp) becomes an (epsilon, delta) guarantee. Both are valid upper bounds; the
 * accountant takes the smallest epsilon over its orders.
 */
public enum RdpConversion {

    /**
     * The tighter conversion of Balle, Barthe, Gaboardi, Hsu and Sato (2020), Theorem 21, also in Canonne, Kamath
     * and Steinke (2020): {@code eps = rdp + log((alpha - 1) / alpha) - (log delta + log alpha) / (alpha - 1)}, and 0
     * when the KL bound {@code delta >= sqrt(1 - exp(-rdp))} already holds. TensorFlow Privacy has used it since
     * December 2020 and Opacus uses it; it is the default.
     */
    IMPROVED {
        @Override
        public double epsilon(double order, double rdp, double delta) {
            if (Double.isNaN(rdp) || rdp == Double.POSITIVE_INFINITY) {
                return Double.POSITIVE_INFINITY;
            }
            if (delta * delta + Math.expm1(-rdp) >= 0) {
                return 0;
            }
            return rdp + Math.log1p(-1 / order) - (Math.log(delta) + Math.log(order)) / (order - 1);
        }
    },

    /**
     * The original conversion of Mironov (2017), Proposition 3: {@code eps = rdp - log(delta) / (alpha - 1)}. Values
     * published before 2021 (the TensorFlow Privacy tutorials, for instance) were computed with it.
     */
    CLASSIC {
        @Override
        public double epsilon(double order, double rdp, double delta) {
            if (Double.isNaN(rdp) || rdp == Double.POSITIVE_INFINITY) {
                return Double.POSITIVE_INFINITY;
            }
            return rdp - Math.log(delta) / (order - 1);
        }
    };

    /** The epsilon that RDP {@code rdp} at {@code order} gives at {@code delta}; may be negative before clamping. */
    public abstract double epsilon(double order, double rdp, double delta);

    /**
     * The smallest epsilon over all orders at {@code delta}, clamped at 0, and the order that gives it.
     *
     * @throws IllegalArgumentException if the arrays differ in length, an order is <= 1, or delta is not in (0, 1)
     */
    public PrivacySpent best(double[] orders, double[] rdp, double delta) {
        if (orders.length != rdp.length) {
            throw new IllegalArgumentException(orders.length + " orders but " + rdp.length + " RDP values");
        }
        if (orders.length == 0) {
            throw new IllegalArgumentException("at least one Renyi order is needed");
        }
        PrivacySpent.checkDelta(delta);
        double bestEpsilon = Double.POSITIVE_INFINITY;
        double bestOrder = Double.NaN;
        for (int i = 0; i < orders.length; i++) {
            double eps = epsilon(SampledGaussianRdp.checkOrder(orders[i]), rdp[i], delta);
            if (eps < bestEpsilon) {
                bestEpsilon = eps;
                bestOrder = orders[i];
            }
        }
        return new PrivacySpent(Math.max(0, bestEpsilon), delta, bestOrder);
    }
}
