package org.fedmed.ml.survival;

import java.util.List;

/**
 * The admissible pairs behind Harrell's C-index over some rows, split by how the model ranks them: an admissible
 * pair is an observed event i and a row j known to have outlived it (a later time, or the same time and censored);
 * it is concordant when the model gives i the higher risk, tied when it gives both the same risk, and discordant
 * otherwise. These three counts are what a site releases for the C-index: aggregates, never rows.
 *
 * <p>Counts over disjoint sets of rows add up ({@link #plus}, {@link #sum}); the C-index of a sum is that of the pairs
 * within each set. Summed over sites it is therefore the C-index over pairs within sites (a C-index stratified by
 * site), not the C-index of the union of the sites' rows, which also compares rows of different sites and cannot be
 * computed from these counts.
 *
 * @param concordant admissible pairs ranked the right way
 * @param discordant admissible pairs ranked the wrong way
 * @param tied       admissible pairs whose risks are equal
 */
public record ConcordanceCounts(long concordant, long discordant, long tied) {

    /** No pair. */
    public static final ConcordanceCounts NONE = new ConcordanceCounts(0, 0, 0);

    public ConcordanceCounts {
        if (concordant < 0 || discordant < 0 || tied < 0) {
            throw new IllegalArgumentException("concordance counts must be >= 0, got concordant " + concordant
                    + ", discordant " + discordant + ", tied " + tied);
        }
    }

    /** All admissible pairs. */
    public long pairs() {
        return concordant + discordant + tied;
    }

    /**
     * Harrell's C-index, {@code (concordant + tied / 2) / pairs}, as lifelines' {@code concordance_index} gives it;
     * NaN when there is no admissible pair (where lifelines raises {@code ZeroDivisionError}).
     */
    public double cIndex() {
        long pairs = pairs();
        return pairs == 0 ? Double.NaN : (concordant + tied / 2.0) / pairs;
    }

    /** The counts of two disjoint sets of rows together. */
    public ConcordanceCounts plus(ConcordanceCounts other) {
        return new ConcordanceCounts(Math.addExact(concordant, other.concordant),
                Math.addExact(discordant, other.discordant), Math.addExact(tied, other.tied));
    }

    /** The counts of disjoint sets of rows (sites) together: pairs within each set, none across. */
    public static ConcordanceCounts sum(List<ConcordanceCounts> parts) {
        ConcordanceCounts total = NONE;
        for (ConcordanceCounts p : parts) {
            total = total.plus(p);
        }
        return total;
    }
}
