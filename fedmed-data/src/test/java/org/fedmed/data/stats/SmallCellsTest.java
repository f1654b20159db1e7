package org.fedmed.data.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmallCellsTest {

    private static final long S = SmallCells.SUPPRESSED;

    @Test
    void aCellOfKMinusOneIsSuppressedAndOneOfKIsReleased() {
        assertArrayEquals(new long[] {S, S}, SmallCells.suppressLine(new long[] {4, 40}, 5),
                "4 < k = 5 is suppressed, and 40 with it, since the line's total minus 40 would give 4 back");
        assertArrayEquals(new long[] {5, 40}, SmallCells.suppressLine(new long[] {5, 40}, 5));
        assertArrayEquals(new long[] {0, 40}, SmallCells.suppressLine(new long[] {0, 40}, 5), "zero names no one");
    }

    @Test
    void theSmallestOtherCellIsSuppressedSoTheHiddenSumIsAtLeastK() {
        assertArrayEquals(new long[] {S, 30, S, 0}, SmallCells.suppressLine(new long[] {2, 30, 9, 0}, 5),
                "hidden 2 + 9 = 11 >= 5; 30 and 0 stay");
        assertArrayEquals(new long[] {S, S, S, S}, SmallCells.suppressLine(new long[] {1, 2, 1, 50}, 5),
                "1 + 2 + 1 = 4 < 5, so 50 goes too");
    }

    @Test
    void tablesAreSuppressedUntilEveryRowAndColumnHidesZeroOrAtLeastK() {
        long[][] t = SmallCells.suppress(new long[][] {{3, 20, 30}, {25, 40, 35}, {50, 60, 70}}, 5);
        assertEquals(S, t[0][0]);
        for (int r = 0; r < 3; r++) {
            assertHidden(new long[] {t[r][0], t[r][1], t[r][2]},
                    new long[][] {{3, 20, 30}, {25, 40, 35}, {50, 60, 70}}[r], 5);
        }
        long[][] truth = {{3, 20, 30}, {25, 40, 35}, {50, 60, 70}};
        for (int c = 0; c < 3; c++) {
            assertHidden(new long[] {t[0][c], t[1][c], t[2][c]}, new long[] {truth[0][c], truth[1][c], truth[2][c]}, 5);
        }
    }

    @Test
    void aPooledCellIsSuppressedWhenAnySitesCellIs() {
        assertEquals(S, SmallCells.pool(40, S, 12), "else pooled - 40 - 12 would give the suppressed cell back");
        assertEquals(52, SmallCells.pool(40, 0, 12));
    }

    /** The released total minus the released cells (the hidden sum) is 0 or at least k. */
    static void assertHidden(long[] released, long[] truth, long k) {
        long hidden = 0;
        for (int i = 0; i < released.length; i++) {
            if (released[i] == S) {
                hidden += truth[i];
            } else {
                assertEquals(truth[i], released[i]);
            }
        }
        assertEquals(true, hidden == 0 || hidden >= k, "hidden sum " + hidden + " of " + java.util.Arrays.toString(truth));
    }
}
