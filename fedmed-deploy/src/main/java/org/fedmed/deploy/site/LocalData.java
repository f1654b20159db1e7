package org.fedmed.deploy.site;

import java.util.List;
import org.fedmed.data.federated.SiteData;

/**
 * A site's own prepared data, as {@link SiteDataLoader} loads it: the train and test rows, the encoded feature
 * names and number of classes a model for it is built with, and where the rows came from.
 *
 * @param site         the site's train and test rows and its data quality
 * @param featureNames the encoded model inputs, in column order
 * @param classes      number of classes, 0 for regression
 * @param source       the CSV file the rows were read from
 */
public record LocalData(SiteData site, List<String> featureNames, int classes, String source) {

    public LocalData {
        if (site == null) {
            throw new IllegalArgumentException("local data field 'site' is required");
        }
        featureNames = List.copyOf(featureNames);
        if (!site.train().featureNames().equals(featureNames) || site.train().classes() != classes) {
            throw new IllegalArgumentException("site '" + site.siteId() + "': its rows have columns or classes that "
                    + "differ from the local data's");
        }
    }

    /** The site's id. */
    public String siteId() {
        return site.siteId();
    }
}
