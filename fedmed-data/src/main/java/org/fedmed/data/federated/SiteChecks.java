package org.fedmed.data.federated;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.fedmed.core.LabeledData;

/** Sanity checks on one site's data whose errors and warnings name the site. */
final class SiteChecks {

    private SiteChecks() {
    }

    static void requireRows(String siteId, int rows, String when) {
        if (rows == 0) {
            throw new IllegalArgumentException("site '" + siteId + "' has no rows " + when);
        }
    }

    /**
     * A warning when a classification site's training rows hold fewer than two classes: such a site still takes
     * part (its updates carry what it knows about that class), but it cannot learn the boundary alone.
     */
    static Optional<String> oneClassWarning(String siteId, LabeledData train) {
        if (train.classes() == 0) {
            return Optional.empty();
        }
        int[] counts = train.classCounts();
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                present.add(c);
            }
        }
        if (present.size() >= 2) {
            return Optional.empty();
        }
        return Optional.of("site '" + siteId + "': training rows hold only class " + present + " (class counts "
                + Arrays.toString(counts) + "); it takes part in federated training, its local-only model predicts"
                + " that class, and metrics that need both classes are left out for it");
    }
}
