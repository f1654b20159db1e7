package org.fedmed.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A site's round marks (where its {@link BatchCursor} stood when each round it trained began), held and written
 * folded: a run of marks that each differ from the one before by the same step is one entry, in memory as in the
 * training state's text. A site that trains every round with the same work (epochs, or steps that fit its rows
 * evenly) therefore holds, saves and reads a constant amount however many rounds it has trained: adding a mark,
 * looking one up and {@link #write writing} them cost the number of runs, not of rounds.
 *
 * <p>The text: {@code <round>:<passes>:<position>} entries separated by {@code ;}; a run is
 * {@code <round>:<passes>:<position>x<count>+<round step>:<passes step>:<position step>}, which stands for the first
 * mark and {@code count} more. The plain one-entry-a-round form of earlier states reads as before, and reading what
 * {@link #write} wrote gives the same marks. Not thread-safe: the site's training lock guards it.
 */
final class RoundMarks {

    /** The marks {@code first + i * step} for i from 0 to {@code count}; a run of count 0 has no step. */
    private static final class Run {
        final long[] first;
        long count;
        long[] step;

        Run(long[] first, long count, long[] step) {
            this.first = first;
            this.count = count;
            this.step = step;
        }

        long[] end() {
            return count == 0 ? first : after(first, count, step);
        }
    }

    /** In increasing rounds; every run's first round is past the previous run's end. */
    private final List<Run> runs = new ArrayList<>();

    /** True if no round is marked. */
    boolean isEmpty() {
        return runs.isEmpty();
    }

    /** The mark of {@code round}, or null if it has none. */
    BatchCursor.Mark get(int round) {
        int lo = 0;
        int hi = runs.size() - 1;
        Run run = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (runs.get(mid).first[0] <= round) {
                run = runs.get(mid);
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (run == null) {
            return null;
        }
        long d = round - run.first[0];
        if (d != 0 && (run.count == 0 || d % run.step[0] != 0 || d / run.step[0] > run.count)) {
            return null;
        }
        long[] m = d == 0 ? run.first : after(run.first, d / run.step[0], run.step);
        return new BatchCursor.Mark(m[1], (int) m[2]);
    }

    /** Drops the marks of the rounds after {@code round}. */
    void dropAfter(int round) {
        while (!runs.isEmpty() && last().first[0] > round) {
            runs.removeLast();
        }
        if (!runs.isEmpty() && last().count > 0) {
            Run run = last();
            long keep = (round - run.first[0]) / run.step[0];
            if (keep < run.count) {
                run.count = keep;
                run.step = keep == 0 ? null : run.step;
            }
        }
    }

    /**
     * Marks {@code round}, which must come after every round marked.
     *
     * @throws IllegalArgumentException if it does not
     */
    void add(int round, BatchCursor.Mark mark) {
        long lastRound = runs.isEmpty() ? Long.MIN_VALUE : last().end()[0];
        if (round <= lastRound) {
            throw new IllegalArgumentException("round " + round + " is marked after round " + lastRound);
        }
        append(new long[]{round, mark.passes(), mark.position()});
    }

    /** The marks in text, runs of equal steps folded; empty for no marks. */
    String write() {
        StringBuilder out = new StringBuilder();
        for (Run run : runs) {
            if (run.count == 1) {
                // a run of one step is two plain marks
                entry(out, run.first, 0, null);
                entry(out, run.end(), 0, null);
            } else {
                entry(out, run.first, run.count, run.step);
            }
        }
        return out.toString();
    }

    /**
     * The marks a text of {@link #write} (or of the plain form before it) holds, read without expanding its runs.
     *
     * @throws IllegalArgumentException naming {@code name} and quoting the entry, if an entry is malformed, a run
     *                                  does not move forward by whole rounds, or rounds do not increase
     */
    static RoundMarks read(String text, String name) {
        RoundMarks marks = new RoundMarks();
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
            long lastRound = marks.isEmpty() ? Long.MIN_VALUE : marks.last().end()[0];
            if (mark[0] <= lastRound) {
                throw malformed(name, entry, "marks round " + mark[0] + " after round " + lastRound, null);
            }
            marks.appendRun(mark, count, step);
        }
        return marks;
    }

    private Run last() {
        return runs.getLast();
    }

    /** Adds a mark past the last one: it extends the last run if it keeps its step. */
    private void append(long[] mark) {
        if (runs.isEmpty()) {
            runs.add(new Run(mark, 0, null));
            return;
        }
        Run run = last();
        long[] end = run.end();
        long[] step = minus(mark, end);
        if (run.count == 0) {
            run.count = 1;
            run.step = step;
        } else if (Arrays.equals(step, run.step)) {
            run.count++;
        } else if (run.count == 1) {
            // the run's second mark may start the next run, as it would have had the marks come one by one
            run.count = 0;
            run.step = null;
            runs.add(new Run(end, 1, step));
        } else {
            runs.add(new Run(mark, 0, null));
        }
    }

    /** Adds {@code first} and {@code count} more marks {@code step} apart, as {@link #append} of each would. */
    private void appendRun(long[] first, long count, long[] step) {
        append(first);
        long i = 0;
        // at most two marks one by one, until the last run is one of this step; the rest only lengthen it
        while (i < count && !(last().count > 0 && Arrays.equals(last().step, step))) {
            i++;
            append(after(first, i, step));
        }
        last().count += count - i;
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

    private static void entry(StringBuilder out, long[] mark, long count, long[] step) {
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
