package org.fedmed.deploy.site;

import java.util.List;
import java.util.Map;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.Histogram;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.prep.Preprocessing;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.data.definition.DatasetDefinition;

/**
 * A site's own rows, read and split as the simulation splits that site, before preprocessing: what the site
 * summarizes in the statistics exchange (its training rows only) and what it encodes once it has the merged
 * statistics. Preprocessing runs through {@link Preprocessing#fromMerged}, the entry point the simulation uses too.
 *
 * @param source    the file(s) the rows were read from, for messages
 * @param checksums the SHA-256 of the files read, by name
 */
public record SiteRows(String siteId, DatasetDefinition definition, String source, DataSettings settings,
                       RawTable train, RawTable test, double quality, Map<String, String> checksums) {

    public SiteRows {
        if (siteId == null || definition == null || source == null || settings == null || train == null
                || test == null) {
            throw new IllegalArgumentException("site rows fields 'siteId', 'definition', 'source', 'settings', 'train'"
                    + " and 'test' are required");
        }
        checksums = Map.copyOf(checksums);
    }

    /** The preprocessing options the site's config asks for. */
    public PreprocessOptions preprocessing() {
        return settings.options().preprocessing();
    }

    /**
     * The rows encoded with the preprocessing built from the federation's merged statistics: moments, histograms
     * (empty unless needed) and moments of the clipped values (empty unless clipping at federated quantiles).
     */
    public LocalData prepare(List<ColumnMoments> global, List<Histogram> histograms, List<ColumnMoments> clipped) {
        Preprocessor p = Preprocessing.fromMerged(definition.schema(), preprocessing(), global, histograms, clipped, train);
        return local(p);
    }

    /** Moments of this site's training values clipped at the bounds read from the merged {@code histograms}. */
    public List<ColumnMoments> clippedMoments(List<Histogram> histograms) {
        return org.fedmed.data.prep.FederatedStatistics.clippedMoments(train,
                Preprocessing.clipBounds(definition.schema(), preprocessing(), histograms));
    }

    /** The rows encoded as the simulation encodes this site when it is the federation's only site. */
    public LocalData prepareAlone() {
        return local(Preprocessing.fit(List.of(train), preprocessing()).getFirst());
    }

    private LocalData local(Preprocessor p) {
        FederatedDataset built = FederatedDatasets.encode(definition.name(), List.of(siteId),
                new FederatedDatasets.SplitSites(List.of(train), List.of(test), new double[] {quality}), List.of(p),
                checksums);
        return new LocalData(built.site(siteId), built.featureNames(), built.classes(), source);
    }
}
