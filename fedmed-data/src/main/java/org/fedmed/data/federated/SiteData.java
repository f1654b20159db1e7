package org.fedmed.data.federated;

import org.fedmed.core.LabeledData;

/**
 * One site's preprocessed data: training rows, held-out rows (test, or validation when carved for tuning),
 * and the site's data quality, the share of present feature cells in its raw rows, in [0, 1]. Train and
 * held-out rows have the same columns and classes.
 */
public record SiteData(String siteId, LabeledData train, LabeledData test, double quality) {

    public SiteData {
        if (siteId == null || siteId.isBlank()) {
            throw new IllegalArgumentException("site data field 'siteId' must not be blank");
        }
        if (train == null || test == null) {
            throw new IllegalArgumentException("site '" + siteId + "': fields 'train' and 'test' are required");
        }
        if (!train.featureNames().equals(test.featureNames()) || train.classes() != test.classes()) {
            throw new IllegalArgumentException("site '" + siteId + "': fields 'train' and 'test' have different columns or classes");
        }
        if (!(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("site '" + siteId + "': field 'quality' must lie in [0, 1], got " + quality);
        }
    }
}
