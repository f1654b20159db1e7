package org.fedmed.secagg.graph;

import java.util.Arrays;
import java.util.Random;
import org.fedmed.secagg.SecAggParameters;

/**
 * Who masks with whom: the SecAgg+ communication graph over clients 1..n. Clients are placed on a ring in a
 * random order drawn from a public seed, and each is joined to the {@code degree / 2} nearest on either side
 * (a Harary graph H(degree, n) with random labels), so every client has exactly {@code degree} neighbours and
 * the relation is symmetric. With {@code degree = n - 1} it is the complete graph of classic SecAgg.
 *
 * <p>Every party computes the same graph from the seed alone, so a client knows its neighbours before any
 * key is exchanged and the server cannot choose them after seeing keys. The order is drawn with
 * {@link java.util.Random}, whose algorithm the Java specification fixes, so it agrees across JVMs. A client
 * needs O(n) time and memory to find its own neighbours; the server O(n * degree) to list them all.
 */
public final class NeighbourGraph {

    private final int numClients;
    private final int degree;
    private final int half;
    private final boolean complete;
    private final int[] idAt;
    private final int[] positionOf;

    /**
     * @param numClients clients, numbered 1..numClients
     * @param degree     neighbours per client: numClients - 1, or an even number below it
     * @param seed       the public seed that fixes the random order
     */
    public NeighbourGraph(int numClients, int degree, long seed) {
        if (numClients < 2) {
            throw new IllegalArgumentException("a neighbour graph needs at least 2 clients, got " + numClients);
        }
        if (degree < 1 || degree > numClients - 1 || (degree != numClients - 1 && degree % 2 != 0)) {
            throw new IllegalArgumentException("degree must be num_clients - 1 = " + (numClients - 1)
                    + " or an even number in [2, " + (numClients - 2) + "], got " + degree);
        }
        this.numClients = numClients;
        this.degree = degree;
        this.half = degree / 2;
        this.complete = degree == numClients - 1;
        this.idAt = new int[numClients];
        this.positionOf = new int[numClients + 1];
        for (int p = 0; p < numClients; p++) {
            idAt[p] = p + 1;
        }
        Random random = new Random(seed);
        for (int p = numClients - 1; p > 0; p--) {
            int q = random.nextInt(p + 1);
            int tmp = idAt[p];
            idAt[p] = idAt[q];
            idAt[q] = tmp;
        }
        for (int p = 0; p < numClients; p++) {
            positionOf[idAt[p]] = p;
        }
    }

    /** The graph the parameters ask for, drawn from {@code seed}. */
    public static NeighbourGraph of(SecAggParameters parameters, long seed) {
        return new NeighbourGraph(parameters.numClients(), parameters.degree(), seed);
    }

    public int numClients() {
        return numClients;
    }

    public int degree() {
        return degree;
    }

    /** The neighbours of client {@code id}, ascending; never contains {@code id}. */
    public int[] neighbours(int id) {
        checkId(id);
        int[] out = new int[degree];
        if (complete) {
            int k = 0;
            for (int v = 1; v <= numClients; v++) {
                if (v != id) {
                    out[k++] = v;
                }
            }
            return out;
        }
        int p = positionOf[id];
        for (int k = 1; k <= half; k++) {
            out[2 * k - 2] = idAt[(p + k) % numClients];
            out[2 * k - 1] = idAt[(p - k + numClients) % numClients];
        }
        Arrays.sort(out);
        return out;
    }

    /** Whether u and v mask with each other. */
    public boolean areNeighbours(int u, int v) {
        checkId(u);
        checkId(v);
        if (u == v) {
            return false;
        }
        if (complete) {
            return true;
        }
        int d = Math.abs(positionOf[u] - positionOf[v]);
        return Math.min(d, numClients - d) <= half;
    }

    private void checkId(int id) {
        if (id < 1 || id > numClients) {
            throw new IllegalArgumentException("client id must be in [1, " + numClients + "], got " + id);
        }
    }
}
