package org.fedmed.secagg.graph;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NeighbourGraphTest {

    @Test
    void everyClientHasExactlyDegreeNeighboursAndTheRelationIsSymmetric() {
        NeighbourGraph g = new NeighbourGraph(50, 12, 99);
        for (int u = 1; u <= 50; u++) {
            int[] nb = g.neighbours(u);
            assertEquals(12, nb.length);
            assertEquals(12, Arrays.stream(nb).distinct().count());
            for (int v : nb) {
                assertNotEquals(u, v);
                assertTrue(g.areNeighbours(v, u));
                assertTrue(Arrays.binarySearch(g.neighbours(v), u) >= 0, u + " missing from neighbours of " + v);
            }
            int count = 0;
            for (int v = 1; v <= 50; v++) {
                count += g.areNeighbours(u, v) ? 1 : 0;
            }
            assertEquals(12, count);
        }
    }

    @Test
    void sameSeedGivesSameGraphAndOtherSeedsDiffer() {
        NeighbourGraph a = new NeighbourGraph(40, 8, 1);
        NeighbourGraph b = new NeighbourGraph(40, 8, 1);
        NeighbourGraph c = new NeighbourGraph(40, 8, 2);
        int differing = 0;
        for (int u = 1; u <= 40; u++) {
            assertArrayEquals(a.neighbours(u), b.neighbours(u));
            differing += Arrays.equals(a.neighbours(u), c.neighbours(u)) ? 0 : 1;
        }
        assertTrue(differing > 30, differing + " clients have other neighbours under another seed");
    }

    @Test
    void degreeNMinusOneIsTheCompleteGraph() {
        NeighbourGraph g = new NeighbourGraph(9, 8, 5);
        assertArrayEquals(new int[] {1, 2, 3, 5, 6, 7, 8, 9}, g.neighbours(4));
    }

    @Test
    void oddDegreeBelowNMinusOneIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NeighbourGraph(20, 7, 1));
        assertTrue(e.getMessage().contains("even"), e.getMessage());
    }
}
