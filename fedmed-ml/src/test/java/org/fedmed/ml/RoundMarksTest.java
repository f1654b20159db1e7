package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A site's round marks: runs of equal steps fold into one entry as the marks arrive, so a long run of equal rounds
 * is held and written as one; every mark added, rewound to or dropped reads as a plain map of rounds would; what
 * was written reads back as the same marks, runs unexpanded, the plain one-entry-a-round form of earlier states
 * still reads, and a malformed entry is refused naming the value and quoting the entry.
 */
class RoundMarksTest {

    private static RoundMarks marks(long[]... rpp) {
        RoundMarks out = new RoundMarks();
        for (long[] m : rpp) {
            out.add((int) m[0], new BatchCursor.Mark(m[1], (int) m[2]));
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

    /** Every round from 0 to two past the model's last has the model's mark in {@code marks}, or none in both. */
    private static void assertSameMarks(TreeMap<Integer, BatchCursor.Mark> model, RoundMarks marks, String what) {
        int last = model.isEmpty() ? 3 : model.lastKey() + 2;
        for (int r = 0; r <= last; r++) {
            assertEquals(model.get(r), marks.get(r), what + ", round " + r);
        }
        assertEquals(model.isEmpty(), marks.isEmpty(), what);
    }

    @Test
    void aHundredThousandRoundsOfOnePassEachAreTwoEntries() {
        RoundMarks m = marks(new long[]{1, 0, 0});
        for (int r = 2; r <= 100_000; r++) {
            m.add(r, new BatchCursor.Mark(r - 1, 40));
        }
        assertEquals("1:0:0;2:1:40x99998+1:1:0", m.write());
        assertEquals(new BatchCursor.Mark(76_540, 40), m.get(76_541));
        assertEquals(new BatchCursor.Mark(0, 0), m.get(1));
        assertNull(m.get(100_001));
        assertNull(m.get(0));
    }

    @Test
    void shortAndBrokenRunsAreWrittenAsTheyAre() {
        assertEquals("", new RoundMarks().write());
        assertEquals("3:2:7", marks(new long[]{3, 2, 7}).write());
        assertEquals("1:0:0;2:1:40", marks(new long[]{1, 0, 0}, new long[]{2, 1, 40}).write());
        assertEquals("1:0:0;2:1:40;3:2:40",
                marks(new long[]{1, 0, 0}, new long[]{2, 1, 40}, new long[]{3, 2, 40}).write());
        // a site left out of round 6, then one step of two rounds
        assertEquals("1:0:0x4+1:0:8;7:0:48", marks(new long[]{1, 0, 0}, new long[]{2, 0, 8},
                new long[]{3, 0, 16}, new long[]{4, 0, 24}, new long[]{5, 0, 32}, new long[]{7, 0, 48}).write());
        // a pass that wraps breaks the run; the next run starts at the mark after the break
        assertEquals("1:1:0x2+1:0:24;4:2:16;5:2:40", marks(new long[]{1, 1, 0},
                new long[]{2, 1, 24}, new long[]{3, 1, 48}, new long[]{4, 2, 16}, new long[]{5, 2, 40}).write());
    }

    @Test
    void droppingLaterRoundsCutsARunWhereTheRoundIs() {
        RoundMarks m = marks(new long[]{1, 0, 0}, new long[]{3, 0, 8}, new long[]{5, 0, 16}, new long[]{7, 0, 24},
                new long[]{8, 1, 0});
        assertEquals("1:0:0x3+2:0:8;8:1:0", m.write());
        m.dropAfter(6);
        assertEquals("1:0:0x2+2:0:8", m.write());
        m.dropAfter(2);
        assertEquals("1:0:0", m.write());
        m.add(2, new BatchCursor.Mark(0, 4));
        m.add(3, new BatchCursor.Mark(0, 8));
        assertEquals("1:0:0x2+1:0:4", m.write());
        m.dropAfter(0);
        assertTrue(m.isEmpty());
        assertEquals("", m.write());
    }

    @Test
    void aMarkMustComeAfterEveryRoundMarked() {
        RoundMarks m = marks(new long[]{1, 0, 0}, new long[]{2, 0, 5}, new long[]{3, 0, 10});
        var e = assertThrows(IllegalArgumentException.class, () -> m.add(3, new BatchCursor.Mark(0, 15)));
        assertEquals("round 3 is marked after round 3", e.getMessage());
        assertEquals("1:0:0x2+1:0:5", m.write());
    }

    /**
     * Seeded random sites: rounds they train, rounds they skip, a pass that wraps, and servers resumed from an
     * earlier round (the site rewinds to that round's mark and drops the later ones, as its training does), against
     * a plain map of rounds; after each step, the marks, and what their text and the plain form read back as.
     */
    @Test
    void marksAddedRewoundAndDroppedReadAsAPlainMapWouldAndReadBackTheSame() {
        SplittableRandom rng = new SplittableRandom(20261207L);
        for (int trial = 0; trial < 300; trial++) {
            TreeMap<Integer, BatchCursor.Mark> model = new TreeMap<>();
            RoundMarks marks = new RoundMarks();
            int round = 1 + rng.nextInt(3);
            long passes = 0;
            int position = 0;
            int rows = 10 + rng.nextInt(60);
            int work = 1 + rng.nextInt(rows * 2);
            int length = rng.nextInt(80);
            for (int i = 0; i < length; i++) {
                if (!model.isEmpty() && rng.nextInt(10) == 0) {
                    // a resumed server: back to a round this site trained, or one it skipped
                    round = 1 + rng.nextInt(model.lastKey());
                    BatchCursor.Mark at = model.get(round);
                    if (at != null) {
                        passes = at.passes();
                        position = at.position();
                    }
                }
                BatchCursor.Mark start = model.get(round);
                model.tailMap(round, false).clear();
                marks.dropAfter(round);
                if (start == null) {
                    BatchCursor.Mark mark = new BatchCursor.Mark(passes, position);
                    model.put(round, mark);
                    marks.add(round, mark);
                }
                round += rng.nextInt(4) == 0 ? 2 + rng.nextInt(3) : 1;
                long at = passes * rows + position + (rng.nextInt(5) == 0 ? rng.nextInt(rows) : work);
                passes = at / rows;
                position = (int) (at % rows);
                String what = "trial " + trial + ", step " + i;
                assertSameMarks(model, marks, what);
                String written = marks.write();
                assertSameMarks(model, RoundMarks.read(written, "v"), what + ": " + written);
                assertSameMarks(model, RoundMarks.read(plain(model), "v"), what + ": " + plain(model));
                assertTrue(written.length() <= plain(model).length(), written + " is longer than " + plain(model));
            }
        }
    }

    @Test
    void aRunOfABillionMarksReadsWithoutExpanding() {
        RoundMarks m = RoundMarks.read("1:0:7x1073741823+2:1:0", "v");
        assertEquals(new BatchCursor.Mark(1_073_741_823L, 7), m.get(Integer.MAX_VALUE));
        assertEquals(new BatchCursor.Mark(500, 7), m.get(1001));
        assertNull(m.get(1000));
        assertEquals("1:0:7x1073741823+2:1:0", m.write());
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
