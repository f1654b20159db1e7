package org.fedmed.core.engine;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/**
 * What a {@link FoldingSitePool} reports for one site that trained: everything the round engine records about a
 * fit result except the update itself, which went into the round's partial fold where the site trained.
 *
 * @param siteId       the site
 * @param numExamples  the examples it claims to have trained on
 * @param trainMetrics its training metrics
 * @param refusal      why its update was not folded (the words the engine records for a rejected site), or empty
 *                     when it was folded
 */
public record FoldedFit(String siteId, long numExamples, Map<String, Double> trainMetrics, String refusal)
        implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public FoldedFit {
        if (siteId == null || siteId.isBlank()) {
            throw new IllegalArgumentException("a folded fit names its site, got '" + siteId + "'");
        }
        if (refusal == null) {
            throw new IllegalArgumentException("site '" + siteId + "': refusal must be empty (folded) or a reason, got null");
        }
        trainMetrics = Map.copyOf(trainMetrics);
    }

    /** Whether the site's update is in the round's fold. */
    public boolean folded() {
        return refusal.isEmpty();
    }
}
