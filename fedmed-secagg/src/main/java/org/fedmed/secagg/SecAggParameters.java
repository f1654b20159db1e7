package org.fedmed.secagg;

/**
 * The public parameters of one secure-aggregation round, fixed before round 0 and known to every party:
 * how many clients take part (they are numbered 1..{@code numClients}), the length of the vectors summed,
 * the ring Z_{2^ringBits} the sum is computed in, each client's number of neighbours in the masking graph,
 * and the Shamir threshold within a neighbourhood.
 *
 * <p><b>Classic SecAgg and SecAgg+.</b> With {@code degree = numClients - 1} every pair of clients shares a
 * pairwise mask and every client secret-shares its keys with all others: this is the protocol of Bonawitz et
 * al. (CCS 2017), whose per-client cost grows linearly and whose server cost grows quadratically in n (when
 * clients drop). With a smaller even degree each client masks with, and shares with, only its neighbours in a
 * randomly relabelled Harary graph (see {@link org.fedmed.secagg.graph.NeighbourGraph}): this is SecAgg+ (Bell
 * et al., CCS 2020), whose per-client cost grows with the degree and whose server cost grows about n log n.
 *
 * <p><b>Threshold.</b> A client's secrets (its mask key and its self-mask seed) are split among its neighbours
 * so that any {@code threshold} of them can rebuild them and fewer learn nothing. The threshold therefore
 * bounds two things: how many neighbours must still answer in the unmasking round (dropout tolerance: at most
 * {@code degree - threshold} of a client's neighbours may drop), and how many neighbours must collude with the
 * server to unmask a client (privacy: {@code threshold} of them). The default is a strict majority of the
 * neighbourhood, {@code degree / 2 + 1}: then no server can collect the self-mask shares of a client from one
 * group of its honest neighbours and its mask-key shares from another group, since two disjoint groups of
 * size {@code threshold} do not fit in one neighbourhood. That is what makes each client's refusal to reveal
 * both kinds of share for the same client effective across clients, without the signed consistency round of
 * the malicious-server variant of the protocol.
 *
 * <p><b>Default degree.</b> {@link #secAggPlus} uses {@code degree = min(n - 1, 4 * ceil(log2 n))}, following
 * the paper's guidance that a degree of c * log n keeps the graph of surviving honest clients connected with
 * overwhelming probability; we take c = 4 (in bits). With the majority threshold a client's secrets survive as
 * long as fewer than half of its neighbours drop. If each client drops independently with probability p, the
 * union bound n * P[Binomial(degree, p) >= degree / 2] on the chance that some client's secrets cannot be
 * rebuilt is below 3e-4 at p = 10% for every n from 20 to 10,000, a few percent at p = 20%, and above 1 (the
 * round is likely to abort) at p = 30%. Federations that expect more dropouts should raise the degree (it costs
 * one mask expansion per neighbour per client) or, against an honest-but-curious server only, lower the
 * threshold. {@link org.fedmed.secagg.graph.SecAggPlusSizing} chooses both from the corrupt and dropout fractions
 * instead; {@link SecureSumConfig} uses it when a threat model is configured.
 *
 * @param numClients   clients invited to the round, numbered 1..numClients; at least 3
 * @param vectorLength number of ring elements each client sums; at least 1
 * @param ringBits     k, the sum is computed modulo 2^k; 8..62
 * @param degree       neighbours per client: numClients - 1 (classic) or an even number in [2, numClients - 2]
 * @param threshold    shares needed to rebuild a secret, in [2, degree]
 */
public record SecAggParameters(int numClients, int vectorLength, int ringBits, int degree, int threshold) {

    /** The fewest clients a round runs with: with two, each would learn the other's input from the sum. */
    public static final int MIN_CLIENTS = 3;
    /** Smallest ring supported: 8 bits. */
    public static final int MIN_RING_BITS = 8;
    /** Largest ring supported: 62 bits, so a signed sum and its sign fit a long with room to spare. */
    public static final int MAX_RING_BITS = 62;

    public SecAggParameters {
        if (numClients < MIN_CLIENTS) {
            throw new IllegalArgumentException("secure aggregation needs at least " + MIN_CLIENTS
                    + " clients, got num_clients=" + numClients);
        }
        if (vectorLength < 1) {
            throw new IllegalArgumentException("vector_length must be >= 1, got " + vectorLength);
        }
        if (ringBits < MIN_RING_BITS || ringBits > MAX_RING_BITS) {
            throw new IllegalArgumentException("ring_bits must be in [" + MIN_RING_BITS + ", " + MAX_RING_BITS + "], got "
                    + ringBits);
        }
        if (degree < 2 || degree > numClients - 1) {
            throw new IllegalArgumentException("degree must be in [2, num_clients - 1 = " + (numClients - 1) + "], got "
                    + degree);
        }
        if (degree != numClients - 1 && degree % 2 != 0) {
            throw new IllegalArgumentException("degree must be even (a Harary graph) or num_clients - 1 = "
                    + (numClients - 1) + " (classic SecAgg), got " + degree);
        }
        if (threshold < 2 || threshold > degree) {
            throw new IllegalArgumentException("threshold must be in [2, degree = " + degree + "], got " + threshold);
        }
    }

    /** Classic SecAgg: every client is every other's neighbour; majority threshold. */
    public static SecAggParameters classic(int numClients, int vectorLength, int ringBits) {
        int degree = numClients - 1;
        return new SecAggParameters(numClients, vectorLength, ringBits, degree, majorityThreshold(degree));
    }

    /** SecAgg+ with the default degree {@link #defaultSecAggPlusDegree} and a majority threshold. */
    public static SecAggParameters secAggPlus(int numClients, int vectorLength, int ringBits) {
        int degree = defaultSecAggPlusDegree(numClients);
        return new SecAggParameters(numClients, vectorLength, ringBits, degree, majorityThreshold(degree));
    }

    /** {@code min(n - 1, 4 * ceil(log2 n))}: the SecAgg+ degree used when none is configured. */
    public static int defaultSecAggPlusDegree(int numClients) {
        if (numClients < MIN_CLIENTS) {
            throw new IllegalArgumentException("secure aggregation needs at least " + MIN_CLIENTS + " clients, got "
                    + numClients);
        }
        int log2Ceil = 32 - Integer.numberOfLeadingZeros(numClients - 1);
        return Math.min(numClients - 1, 4 * log2Ceil);
    }

    /** The smallest strict majority of a neighbourhood: {@code degree / 2 + 1}. */
    public static int majorityThreshold(int degree) {
        return degree / 2 + 1;
    }

    /** Whether every client is every other's neighbour (classic SecAgg). */
    public boolean isComplete() {
        return degree == numClients - 1;
    }

    /** 2^ringBits - 1: the mask that reduces a long modulo 2^ringBits. */
    public long ringMask() {
        return (1L << ringBits) - 1;
    }
}
