package org.fedmed.data.federated;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.LabeledData;

/** Sanity checks on one site's data whose errors name the site. */
final class SiteChecks {

    private SiteChecks() {
    }

    static void requireRows(String siteId, int rows, String when) {
        if (rows == 0) {
            throw new IllegalArgumentException("site '" + siteId + "' has no rows " + when);
        }
    }

    static void requireClasses(String siteId, LabeledData train, String when) {
        if (train.classes() == 0) {
            return;
        }
        requireClasses(siteId, train.classCounts(), when);
    }

    static void requireClasses(String siteId, int[] classCounts, String when) {
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < classCounts.length; c++) {
            if (classCounts[c] > 0) {
                present.add(c);
            }
        }
        if (present.size() < 2) {
            throw new IllegalArgumentException("site '" + siteId + "': training data has only one class " + present
                    + " " + when + "; a classifier needs at least two classes at every site (class counts "
                    + java.util.Arrays.toString(classCounts) + "); use another seed, a larger alpha or fewer sites");
        }
    }
}
