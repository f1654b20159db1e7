package org.fedmed.secagg;

/**
 * The outcome of a secure sum of float vectors: the weighted sum of the included clients' clipped vectors,
 * decoded from fixed point, with the bound on the decoding error and what the round cost.
 *
 * @param weightedSum the sum of w_u * clip(x_u) over the included clients; owned by this record
 * @param totalWeight the sum of w_u over the included clients
 * @param included    ids of the clients whose vectors are in the sum, ascending
 * @param dropped     ids of the other clients, ascending
 * @param errorBound  the largest per-coordinate quantization error of {@code weightedSum} before its rounding to float
 * @param costs       per-party CPU and traffic
 */
public record VectorSumResult(float[] weightedSum, long totalWeight, int[] included, int[] dropped,
                              double errorBound, RoundCosts costs) {
    public VectorSumResult {
        if (weightedSum == null || included == null || dropped == null || costs == null) {
            throw new IllegalArgumentException("sum, included, dropped and costs are required");
        }
        included = included.clone();
        dropped = dropped.clone();
    }

    @Override
    public int[] included() {
        return included.clone();
    }

    @Override
    public int[] dropped() {
        return dropped.clone();
    }
}
