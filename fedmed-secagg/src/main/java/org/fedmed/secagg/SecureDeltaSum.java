package org.fedmed.secagg;

import java.util.List;
import org.fedmed.core.ModelParameters;

/**
 * The securely summed deltas of a cohort of sites, in the global model's layout: all the coordinator learns of
 * the sites' updates.
 *
 * @param sum           sum over the included sites of weight * clip(delta)
 * @param totalWeight   sum of the included sites' weights (their count for uniform weighting)
 * @param includedSites sites whose deltas are in the sum, by site id
 * @param droppedSites  sites of the cohort whose deltas are not
 * @param errorBound    largest per-value fixed-point error of {@code sum} (before its rounding to float)
 */
public record SecureDeltaSum(ModelParameters sum, long totalWeight, List<String> includedSites,
                             List<String> droppedSites, double errorBound) {

    public SecureDeltaSum {
        if (sum == null) {
            throw new IllegalArgumentException("sum is required");
        }
        if (totalWeight < 1) {
            throw new IllegalArgumentException("total weight must be >= 1, got " + totalWeight);
        }
        includedSites = List.copyOf(includedSites);
        droppedSites = List.copyOf(droppedSites);
    }

    /** {@code sum / totalWeight}: the (weighted) mean delta of the included sites. */
    public ModelParameters mean() {
        float[] s = sum.flat();
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) ((double) s[i] / totalWeight);
        }
        return ModelParameters.ofFlat(sum.layout(), out);
    }
}
