package org.fedmed.ml;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The text form of a site's round marks (where its {@link BatchCursor} stood when each round it trained began), as
 * its training state keeps them. Marks are {@code <round>:<passes>:<position>} entries separated by {@code ;}; a run
 * of marks that each differ from the one before by the same step is one entry
 * {@code <round>:<passes>:<position>x<count>+<round step>:<passes step>:<position step>}, which stands for the first
 * mark and {@code count} more. A site that trains every round with the same work (epochs, or steps that fit its rows
 * evenly) therefore keeps a state of constant size however many rounds it has trained, where the plain form grew by
 * one entry a round. Every text the plain form wrote reads back as before. {@link #write} and {@link #read} are
 * inverse: reading what was written gives the same marks.
 */
final class RoundMarks {

    private RoundMarks() {
    }

    /** The marks in text, runs of equal steps folded; empty for no marks. */
    static String write(NavigableMap<Integer, BatchCursor.Mark> marks) {
        StringBuilder out = new StringBuilder();
        long[] start = null;
        long[] last = null;
        long[] step = null;
        int count = 0;
        for (Map.Entry<Integer, BatchCursor.Mark> e : marks.entrySet()) {
            long[] mark = {e.getKey(), e.getValue().passes(), e.getValue().position()};
            if (start == null) {
                start = mark;
            } else if (count == 0) {
                step = minus(mark, start);
                count = 1;
            } else if (java.util.Arrays.equals(minus(mark, last), step)) {
                count++;
            } else if (count == 1) {
                // a run of one step is two plain marks; the second may start the next run
                append(out, start, 0, null);
                start = last;
                step = minus(mark, last);
            } else {
                append(out, start, count, step);
                start = mark;
                count = 0;
            }
            last = mark;
        }
        if (start != null) {
            if (count == 1) {
                append(out, start, 0, null);
                append(out, last, 0, null);
            } else {
                append(out, start, count, step);
            }
        }
        return out.toString();
    }

    /**
     * The marks a text of {@link #write} (or of the plain form before it) holds.
     *
     * @throws IllegalArgumentException naming {@code name} and quoting the entry, if an entry is malformed, a run
     *                                  does not move forward by whole rounds, or rounds do not increase
     */
    static TreeMap<Integer, BatchCursor.Mark> read(String text, String name) {
        TreeMap<Integer, BatchCursor.Mark> marks = new TreeMap<>();
        if (text.isEmpty()) {
            return marks;
        }
        for (String entry : text.split(";", -1)) {
            long[] mark;
            long[] step = {0, 0, 0};
            long count = 0;
            try {
                int x = entry.indexOf('x');
                mark = triple(x < 0 ? entry : entry.substring(0, x));
                if (x >= 0) {
                    int plus = entry.indexOf('+', x);
                    count = Long.parseLong(entry.substring(x + 1, plus < 0 ? entry.length() : plus));
                    step = triple(plus < 0 ? "" : entry.substring(plus + 1));
                }
            } catch (RuntimeException e) {
                throw malformed(name, entry, "is not <round>:<passes>:<position>, optionally followed by"
                        + " x<count>+<round step>:<passes step>:<position step>", e);
            }
            if (count < 0 || (count > 0 && step[0] < 1)) {
                throw malformed(name, entry, "repeats a negative number of times or does not advance the round", null);
            }
            if (!inRange(mark) || !inRange(after(mark, count, step))) {
                throw malformed(name, entry, "reaches a round, pass or position out of range", null);
            }
            if (!marks.isEmpty() && mark[0] <= marks.lastKey()) {
                throw malformed(name, entry, "marks round " + mark[0] + " after round " + marks.lastKey(), null);
            }
            for (long i = 0; i <= count; i++) {
                long[] m = after(mark, i, step); // in range: the values move linearly between the two ends
                marks.put((int) m[0], new BatchCursor.Mark(m[1], (int) m[2]));
            }
        }
        return marks;
    }

    private static long[] triple(String text) {
        String[] f = text.split(":", -1);
        if (f.length != 3) {
            throw new IllegalArgumentException("expected three numbers separated by ':'");
        }
        return new long[]{Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])};
    }

    /** {@code mark} moved {@code times} by {@code step}; values that overflow a long come out negative. */
    private static long[] after(long[] mark, long times, long[] step) {
        long[] out = new long[3];
        for (int i = 0; i < 3; i++) {
            try {
                out[i] = Math.addExact(mark[i], Math.multiplyExact(times, step[i]));
            } catch (ArithmeticException overflow) {
                out[i] = -1;
            }
        }
        return out;
    }

    /** A round from 1 and a position that fit an int, and passes that are not negative. */
    private static boolean inRange(long[] mark) {
        return mark[0] >= 1 && mark[0] <= Integer.MAX_VALUE && mark[1] >= 0 && mark[2] >= 0
                && mark[2] <= Integer.MAX_VALUE;
    }

    private static long[] minus(long[] a, long[] b) {
        return new long[]{a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static void append(StringBuilder out, long[] mark, int count, long[] step) {
        if (!out.isEmpty()) {
            out.append(';');
        }
        out.append(mark[0]).append(':').append(mark[1]).append(':').append(mark[2]);
        if (count > 0) {
            out.append('x').append(count).append('+').append(step[0]).append(':').append(step[1]).append(':')
                    .append(step[2]);
        }
    }

    private static IllegalArgumentException malformed(String name, String entry, String why, Exception cause) {
        return new IllegalArgumentException("training state value '" + name + "': entry '" + entry + "' " + why,
                cause);
    }
}
