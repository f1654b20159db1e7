package org.fedmed.data.partition;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClassesPerSitePartitionerTest {

    /** 10 classes of 101 rows each, in label order. */
    static int[] labels() {
        int[] y = new int[1010];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / 101;
        }
        return y;
    }

    @Test
    void everySiteHoldsExactlyKClassesAndEachClassIsSplitEvenlyAmongItsHolders() {
        int[] y = labels();
        Partition p = new ClassesPerSitePartitioner(2).partition(y, 10, 10, 7);
        int[][] counts = p.classCounts(y, 10);
        int[] holders = new int[10];
        for (int s = 0; s < 10; s++) {
            int held = 0;
            for (int c = 0; c < 10; c++) {
                if (counts[s][c] > 0) {
                    held++;
                    holders[c]++;
                }
            }
            assertEquals(2, held, "site " + s + " counts " + Arrays.toString(counts[s]));
            // NIID-Bench: site i's first class is i mod classes
            assertTrue(counts[s][s] > 0, "site " + s + " lacks class " + s);
        }
        for (int c = 0; c < 10; c++) {
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int s = 0; s < 10; s++) {
                if (counts[s][c] > 0) {
                    min = Math.min(min, counts[s][c]);
                    max = Math.max(max, counts[s][c]);
                }
            }
            assertTrue(max - min <= 1, "class " + c + " parts " + min + ".." + max);
            int cls = c;
            assertEquals(101, Arrays.stream(counts).mapToInt(r -> r[cls]).sum());
        }
    }

    @Test
    void fewerSitesThanClassesStillPlaceEveryRow() {
        int[] y = labels();
        Partition p = new ClassesPerSitePartitioner(4).partition(y, 10, 3, 1);
        assertEquals(1010, Arrays.stream(p.sizes()).sum());
        int[][] counts = p.classCounts(y, 10);
        for (int[] site : counts) {
            assertEquals(4, Arrays.stream(site).filter(n -> n > 0).count(), Arrays.toString(site));
        }
    }

    @Test
    void theSameSeedGivesTheSamePartitionAndAnotherSeedAnother() {
        int[] y = labels();
        var k = new ClassesPerSitePartitioner(3);
        assertArrayEquals(k.partition(y, 10, 6, 5).sites(), k.partition(y, 10, 6, 5).sites());
        assertFalse(Arrays.deepEquals(k.partition(y, 10, 6, 5).sites(), k.partition(y, 10, 6, 6).sites()));
    }

    @Test
    void tooFewSitesToCoverTheClassesIsRefusedWithTheNumbers() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ClassesPerSitePartitioner(2).partition(labels(), 10, 4, 1));
        assertEquals("partition 'classes_per_site' 2 over 4 sites covers at most 8 of the 10 classes; every class"
                + " needs a site (sites * classes_per_site >= classes)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClassesPerSitePartitioner(0));
        assertThrows(IllegalArgumentException.class,
                () -> new ClassesPerSitePartitioner(11).partition(labels(), 10, 4, 1));
    }
}
