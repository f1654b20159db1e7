package org.fedmed.secagg;

import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.secagg.quant.RingQuantizer;

/**
 * A secure weighted sum of float vectors, in process: each client quantizes its vector to Z_{2^k}
 * ({@link RingQuantizer}), the protocol sums the quantized vectors ({@link SecureAggregationRound}), and the
 * server decodes the sum. Quantizing is charged to each client and decoding to the server.
 */
public final class SecureVectorSum {

    private final SecAggParameters parameters;
    private final RingQuantizer quantizer;
    private final RandomnessSource randomness;

    /**
     * @param parameters the protocol parameters; their ring must match the quantizer's
     * @param quantizer  the fixed-point encoding; its max total weight bounds the weights that may be summed
     * @param randomness where clients draw their secrets
     */
    public SecureVectorSum(SecAggParameters parameters, RingQuantizer quantizer, RandomnessSource randomness) {
        if (parameters.ringBits() != quantizer.ringBits()) {
            throw new IllegalArgumentException("protocol ring is Z_2^" + parameters.ringBits() + " but the quantizer"
                    + " encodes into Z_2^" + quantizer.ringBits());
        }
        this.parameters = parameters;
        this.quantizer = quantizer;
        this.randomness = randomness;
    }

    /**
     * Sums {@code weights[i] * vectors.get(i)} over the clients that submit.
     *
     * @param vectors   client i + 1's vector at index i, each of the parameters' vector length
     * @param weights   client i + 1's integer weight (>= 1) at index i; their total must not exceed the quantizer's
     * @param dropouts  which clients drop where
     * @param sessionId a name unique to this round
     * @param seed      seeds the public neighbour graph and the clients' stochastic rounding
     */
    public VectorSumResult sum(List<float[]> vectors, long[] weights, DropoutSchedule dropouts, String sessionId,
                               long seed) {
        int n = parameters.numClients();
        if (vectors.size() != n || weights.length != n) {
            throw new IllegalArgumentException("expected " + n + " vectors and weights, got " + vectors.size() + " and "
                    + weights.length);
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (vectors.get(i).length != parameters.vectorLength()) {
                throw new IllegalArgumentException("vector of client " + (i + 1) + " has " + vectors.get(i).length
                        + " values, expected " + parameters.vectorLength());
            }
            if (weights[i] < 1) {
                throw new IllegalArgumentException("weight of client " + (i + 1) + " must be >= 1, got " + weights[i]);
            }
            total += weights[i];
        }
        if (total > quantizer.maxTotalWeight()) {
            throw new IllegalArgumentException("total weight " + total + " exceeds the quantizer's maximum "
                    + quantizer.maxTotalWeight() + ": the ring sum could wrap");
        }
        SplittableRandom roots = new SplittableRandom(seed);
        long graphSeed = roots.nextLong();
        long roundingSeed = roots.nextLong();
        SecureAggregationRound round = new SecureAggregationRound(parameters, sessionId, graphSeed, randomness);
        RoundOutcome outcome = round.run(
                id -> quantizer.quantize(vectors.get(id - 1), weights[id - 1],
                        new SplittableRandom(roundingSeed ^ (0x9E3779B97F4A7C15L * id))),
                dropouts);
        CostMeter decode = new CostMeter();
        float[] sum = decode.charge(() -> quantizer.dequantize(outcome.result().sum()));
        long includedWeight = 0;
        for (int id : outcome.result().included()) {
            includedWeight += weights[id - 1];
        }
        return new VectorSumResult(sum, includedWeight, outcome.result().included(), outcome.result().dropped(),
                quantizer.sumErrorBound(includedWeight), outcome.costs().withServerExtra(decode.cost()));
    }
}
