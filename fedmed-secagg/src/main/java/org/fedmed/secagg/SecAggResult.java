package org.fedmed.secagg;

import java.util.Arrays;

/**
 * What a secure-aggregation round reveals, and all it reveals: the sum in Z_{2^k} of the inputs of the clients
 * that submitted a masked input, and which clients those were.
 *
 * @param sum      the sum modulo 2^k, each element in [0, 2^k); the array is owned by this record
 * @param included ids of the clients whose inputs are in the sum, ascending
 * @param dropped  ids of the other invited clients, ascending
 */
public record SecAggResult(long[] sum, int[] included, int[] dropped) {

    public SecAggResult {
        if (sum == null || included == null || dropped == null) {
            throw new IllegalArgumentException("sum, included and dropped are required");
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

    @Override
    public boolean equals(Object o) {
        return o instanceof SecAggResult r && Arrays.equals(sum, r.sum) && Arrays.equals(included, r.included)
                && Arrays.equals(dropped, r.dropped);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(sum) + Arrays.hashCode(included)) + Arrays.hashCode(dropped);
    }

    @Override
    public String toString() {
        return "SecAggResult[" + sum.length + " elements, included=" + Arrays.toString(included) + ", dropped="
                + Arrays.toString(dropped) + "]";
    }
}
