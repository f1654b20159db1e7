package org.fedmed.data.federated;

import java.util.Optional;
import org.fedmed.core.LabeledData;
import org.fedmed.data.prep.Preprocessor;

/**
 * One site's preprocessed data: training rows, held-out rows (test, or validation when carved for tuning),
 * the site's data quality, the share of present feature cells in its raw rows, in [0, 1], and the preprocessor
 * that encoded them, when known (so a model trained on them can be applied to a new raw row). Train and held-out
 * rows have the same columns and classes.
 */
public record SiteData(String siteId, LabeledData train, LabeledData test, double quality,
                       Optional<Preprocessor> preprocessor) {

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
        if (preprocessor == null) {
            throw new IllegalArgumentException("site '" + siteId + "': field 'preprocessor' must be given (Optional.empty() when unknown)");
        }
    }

    /**
     * What a user should know about this site's data before trusting its results, one line each naming the site:
     * today, that its training rows hold a single class (it still takes part).
     */
    public java.util.List<String> warnings() {
        return SiteChecks.oneClassWarning(siteId, train).stream().toList();
    }

    /** Site data whose preprocessor is not known. */
    public SiteData(String siteId, LabeledData train, LabeledData test, double quality) {
        this(siteId, train, test, quality, Optional.empty());
    }
}
