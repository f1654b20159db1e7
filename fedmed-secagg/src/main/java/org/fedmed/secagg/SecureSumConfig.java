package org.fedmed.secagg;

import org.fedmed.secagg.graph.SecAggPlusSizing;
import org.fedmed.secagg.graph.ThreatModel;
import org.fedmed.secagg.quant.RingQuantizer;

/**
 * How the sites' updates are summed securely: which protocol (classic SecAgg or SecAgg+), the ring, the clip
 * bound and rounding of the fixed-point encoding, how updates are weighted, and optionally the neighbourhood
 * degree and threshold, and optionally the threat model they are sized for.
 *
 * <p><b>How SecAgg+ is sized.</b> With a threat model and no degree, the degree and threshold are the smallest
 * that meet it ({@link SecAggPlusSizing#choose}); with a threat model and an explicit degree and threshold, the
 * pair is checked against it and refused, naming the key, when it falls short ({@link SecAggPlusSizing#check}).
 * Without a threat model, the fixed rule of {@link SecAggParameters#secAggPlus} applies (4 ceil(log2 n)
 * neighbours, majority threshold) unless a degree or threshold is given, exactly as before threat models existed.
 *
 * @param topology  {@link Topology#CLASSIC} (everyone masks with everyone) or {@link Topology#SEC_AGG_PLUS}
 * @param ringBits  k: sums are computed modulo 2^k, 8..62; each masked value takes ceil(k / 8) bytes on the wire
 * @param clipBound R: each delta value is clipped to [-R, R] before encoding
 * @param rounding  nearest (deterministic) or stochastic (unbiased, seeded) rounding to fixed point
 * @param weighting uniform sum of deltas, or each delta times its site's sample count
 * @param degree    SecAgg+ neighbours per site, even; 0 for the default; ignored for classic
 * @param threshold shares needed to rebuild a site's secrets; 0 for a majority of its neighbourhood (or, with a
 *                  threat model, the one chosen for it)
 * @param threatModel what SecAgg+ is sized for; null for the fixed rule
 */
public record SecureSumConfig(Topology topology, int ringBits, double clipBound, RingQuantizer.Rounding rounding,
                              Weighting weighting, int degree, int threshold, ThreatModel threatModel) {

    /** Which masking graph. */
    public enum Topology {
        /** Every site masks with every other (Bonawitz et al. 2017): per-site cost linear in the cohort size. */
        CLASSIC,
        /** Each site masks with O(log n) neighbours (Bell et al. 2020): per-site cost logarithmic. */
        SEC_AGG_PLUS
    }

    /** What each site's delta is multiplied by before summing. */
    public enum Weighting {
        /** 1: the plain sum of deltas. */
        UNIFORM,
        /**
         * The site's sample count. The ring must then hold the total sample count times the clip range, so a wide
         * ring (48 bits or more) keeps the fixed-point resolution fine.
         */
        SAMPLE_COUNT
    }

    public SecureSumConfig {
        if (topology == null || rounding == null || weighting == null) {
            throw new IllegalArgumentException("secure sum: topology, rounding and weighting are required");
        }
        if (ringBits < SecAggParameters.MIN_RING_BITS || ringBits > SecAggParameters.MAX_RING_BITS) {
            throw new IllegalArgumentException("secure sum: ring_bits must be in [" + SecAggParameters.MIN_RING_BITS
                    + ", " + SecAggParameters.MAX_RING_BITS + "], got " + ringBits);
        }
        if (!(clipBound > 0) || !Double.isFinite(clipBound)) {
            throw new IllegalArgumentException("secure sum: clip_bound must be a positive finite number, got " + clipBound);
        }
        if (degree < 0 || threshold < 0) {
            throw new IllegalArgumentException("secure sum: degree and threshold must be >= 0 (0 = default), got "
                    + degree + " and " + threshold);
        }
        if (threatModel != null && (degree > 0) != (threshold > 0)) {
            throw new IllegalArgumentException("secure_aggregation: with a threat model give both degree and threshold"
                    + " or neither (to have them chosen), got degree=" + degree + " and threshold=" + threshold);
        }
    }

    /** Without a threat model: the fixed SecAgg+ rule, or the given degree and threshold. */
    public SecureSumConfig(Topology topology, int ringBits, double clipBound, RingQuantizer.Rounding rounding,
                           Weighting weighting, int degree, int threshold) {
        this(topology, ringBits, clipBound, rounding, weighting, degree, threshold, null);
    }

    /** SecAgg+, Z_{2^32}, deltas clipped to [-1, 1], nearest rounding, uniform weights, default degree and threshold. */
    public static SecureSumConfig defaults() {
        return new SecureSumConfig(Topology.SEC_AGG_PLUS, 32, 1.0, RingQuantizer.Rounding.NEAREST, Weighting.UNIFORM,
                0, 0);
    }

    /** The protocol parameters for a cohort of {@code numClients} sites summing vectors of {@code vectorLength}. */
    public SecAggParameters parametersFor(int numClients, int vectorLength) {
        if (topology == Topology.SEC_AGG_PLUS && threatModel != null) {
            SecAggPlusSizing.Sizing s = degree > 0
                    ? SecAggPlusSizing.check(numClients, degree, threshold, threatModel)
                    : SecAggPlusSizing.choose(numClients, threatModel);
            return new SecAggParameters(numClients, vectorLength, ringBits, s.degree(), s.threshold());
        }
        int d = switch (topology) {
            case CLASSIC -> numClients - 1;
            case SEC_AGG_PLUS -> degree > 0 ? Math.min(degree, numClients - 1)
                    : SecAggParameters.defaultSecAggPlusDegree(numClients);
        };
        int t = threshold > 0 ? threshold : SecAggParameters.majorityThreshold(d);
        return new SecAggParameters(numClients, vectorLength, ringBits, d, t);
    }
}
