package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The text form of a site's round marks: runs of equal steps fold into one entry, whatever was written reads back
 * as the same marks, the plain one-entry-a-round form of earlier states still reads, and a malformed entry is
 * refused naming the value and quoting the entry.
 */
class RoundMarksTest {

    private static TreeMap<Integer, BatchCursor.Mark> marks(long[]... rpp) {
        TreeMap<Integer, BatchCursor.Mark> out = new TreeMap<>();
        for (long[] m : rpp) {
            out.put((int) m[0], new BatchCursor.Mark(m[1], (int) m[2]));
        }
        return out;
    }

    /** The plain form, one {@code round:passes:position} a round, as states were written before runs folded. */
    private static String plain(TreeMap<Integer, BatchCursor.Mark> marks) {
        StringBuilder out = new StringBuilder();
        marks.forEach((r, m) -> out.append(out.isEmpty() ? "" : ";").append(r).append(':').append(m.passes())
                .append(':').append(m.position()));
        return out.toString();
    }

    @Test
    void fourThousandRoundsOfOnePassEachAreTwoEntries() {
        TreeMap<Integer, BatchCursor.Mark> m = marks(new long[]{1, 0, 0});
        for (int r = 2; r <= 4000; r++) {
            m.put(r, new BatchCursor.Mark(r - 1, 40));
        }
        assertEquals("1:0:0;2:1:40x3998+1:1:0", RoundMarks.write(m));
    }

    @Test
    void shortAndBrokenRunsAreWrittenAsTheyAre() {
        assertEquals("", RoundMarks.write(new TreeMap<>()));
        assertEquals("3:2:7", RoundMarks.write(marks(new long[]{3, 2, 7})));
        assertEquals("1:0:0;2:1:40", RoundMarks.write(marks(new long[]{1, 0, 0}, new long[]{2, 1, 40})));
        assertEquals("1:0:0;2:1:40;3:2:40",
                RoundMarks.write(marks(new long[]{1, 0, 0}, new long[]{2, 1, 40}, new long[]{3, 2, 40})));
        // a site left out of round 6, then one step of two rounds
        assertEquals("1:0:0x4+1:0:8;7:0:48", RoundMarks.write(marks(new long[]{1, 0, 0}, new long[]{2, 0, 8},
                new long[]{3, 0, 16}, new long[]{4, 0, 24}, new long[]{5, 0, 32}, new long[]{7, 0, 48})));
        // a pass that wraps breaks the run; the next run starts at the mark after the break
        assertEquals("1:1:0x2+1:0:24;4:2:16;5:2:40", RoundMarks.write(marks(new long[]{1, 1, 0},
                new long[]{2, 1, 24}, new long[]{3, 1, 48}, new long[]{4, 2, 16}, new long[]{5, 2, 40})));
    }

    @Test
    void whatIsWrittenReadsBackAsTheSameMarksAndThePlainFormReadsToo() {
        SplittableRandom rng = new SplittableRandom(20261207L);
        for (int trial = 0; trial < 300; trial++) {
            TreeMap<Integer, BatchCursor.Mark> m = new TreeMap<>();
            int round = 1 + rng.nextInt(3);
            long passes = 0;
            int position = 0;
            int rows = 10 + rng.nextInt(60);
            int work = 1 + rng.nextInt(rows * 2);
            int length = rng.nextInt(80);
            for (int i = 0; i < length; i++) {
                m.put(round, new BatchCursor.Mark(passes, position));
                round += rng.nextInt(4) == 0 ? 2 + rng.nextInt(3) : 1;
                long at = passes * rows + position + (rng.nextInt(5) == 0 ? rng.nextInt(rows) : work);
                passes = at / rows;
                position = (int) (at % rows);
            }
            String written = RoundMarks.write(m);
            assertEquals(m, RoundMarks.read(written, "v"), written);
            assertEquals(m, RoundMarks.read(plain(m), "v"), plain(m));
            assertTrue(written.length() <= plain(m).length(), written + " is longer than " + plain(m));
        }
    }

    @Test
    void aMalformedEntryIsRefusedNamingTheValueAndTheEntry() {
        String[][] cases = {
                {"1:0", "'1:0' is not <round>:<passes>:<position>"},
                {"1:0:0;x", "'x' is not"},
                {"1:0:0x2", "'1:0:0x2' is not"},
                {"1:0:0x2+1:a:0", "'1:0:0x2+1:a:0' is not"},
                {"1:0:0x2+0:1:0", "'1:0:0x2+0:1:0' repeats a negative number of times or does not advance"},
                {"1:0:0x-1+1:1:0", "repeats a negative number"},
                {"1:0:8x3+1:0:-4", "'1:0:8x3+1:0:-4' reaches a round, pass or position out of range"},
                {"1:0:0x2147483647+1:0:0", "out of range"},
                {"0:0:0", "'0:0:0' reaches a round"},
                {"1:0:0x3+1:0:1;3:0:9", "'3:0:9' marks round 3 after round 4"},
                {"2:0:0;2:1:0", "marks round 2 after round 2"},
        };
        for (String[] c : cases) {
            var e = assertThrows(IllegalArgumentException.class, () -> RoundMarks.read(c[0], "training.round_starts"),
                    c[0]);
            assertTrue(e.getMessage().startsWith("training state value 'training.round_starts': entry "),
                    e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
