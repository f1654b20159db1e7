package org.fedmed.server.store;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.fedmed.core.engine.RoundRecord;

/**
 * Rounds 1..{@code upTo} of a stored run, read a page at a time ({@link RunStore#roundsUpTo}). An iterator yields
 * round 1, 2, ... {@code upTo} in order, or throws {@link IllegalStateException} naming the first round the store
 * lacks; it holds at most one page.
 */
final class RoundPages implements Iterable<RoundRecord> {

    private final RunStore store;
    private final long runId;
    private final int upTo;
    private final int pageSize;

    RoundPages(RunStore store, long runId, int upTo, int pageSize) {
        if (upTo < 0 || pageSize < 1) {
            throw new IllegalArgumentException("run " + runId + ": rounds up to " + upTo + " in pages of " + pageSize
                    + " (up to >= 0, pages >= 1)");
        }
        this.store = store;
        this.runId = runId;
        this.upTo = upTo;
        this.pageSize = pageSize;
    }

    @Override
    public Iterator<RoundRecord> iterator() {
        return new Iterator<>() {
            private int last; // the last round handed out
            private Iterator<RoundRecord> page = List.<RoundRecord>of().iterator();

            @Override
            public boolean hasNext() {
                return last < upTo;
            }

            @Override
            public RoundRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("rounds 1.." + upTo + " of run " + runId + " are all read");
                }
                if (!page.hasNext()) {
                    page = store.roundsBetween(runId, last, (int) Math.min(upTo, (long) last + pageSize)).iterator();
                }
                RoundRecord r = page.hasNext() ? page.next() : null;
                if (r == null || r.round() != last + 1) {
                    throw new IllegalStateException("run " + runId + ": round " + (last + 1) + " of 1.." + upTo
                            + " is not recorded in " + store.database());
                }
                last = r.round();
                return r;
            }
        };
    }
}
