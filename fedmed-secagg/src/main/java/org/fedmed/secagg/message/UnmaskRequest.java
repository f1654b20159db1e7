package org.fedmed.secagg.message;

import java.util.Arrays;

/**
 * Round 3, server to one surviving client: which of its neighbours submitted a masked input (the server wants
 * the shares of their self-mask seeds) and which dropped after sharing keys (the server wants the shares of
 * their mask keys). Both lists are ascending and hold no repeats.
 */
public record UnmaskRequest(int recipient, int[] survivingNeighbours, int[] droppedNeighbours)
        implements SecAggMessage {
    public UnmaskRequest {
        Ids.check(recipient, "recipient");
        survivingNeighbours = sortedDistinct(survivingNeighbours, "surviving neighbours");
        droppedNeighbours = sortedDistinct(droppedNeighbours, "dropped neighbours");
    }

    @Override
    public int[] survivingNeighbours() {
        return survivingNeighbours.clone();
    }

    @Override
    public int[] droppedNeighbours() {
        return droppedNeighbours.clone();
    }

    private static int[] sortedDistinct(int[] ids, String field) {
        int[] out = ids.clone();
        Arrays.sort(out);
        for (int i = 0; i < out.length; i++) {
            Ids.check(out[i], field);
            if (i > 0 && out[i] == out[i - 1]) {
                throw new IllegalArgumentException(field + " list client " + out[i] + " twice");
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnmaskRequest r && recipient == r.recipient
                && Arrays.equals(survivingNeighbours, r.survivingNeighbours)
                && Arrays.equals(droppedNeighbours, r.droppedNeighbours);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * recipient + Arrays.hashCode(survivingNeighbours)) + Arrays.hashCode(droppedNeighbours);
    }

    @Override
    public String toString() {
        return "UnmaskRequest[recipient=" + recipient + ", surviving=" + Arrays.toString(survivingNeighbours)
                + ", dropped=" + Arrays.toString(droppedNeighbours) + "]";
    }
}
