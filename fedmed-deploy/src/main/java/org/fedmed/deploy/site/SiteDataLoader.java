package org.fedmed.deploy.site;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.data.csv.CsvLoader;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.registry.ChecksumMismatchException;
import org.fedmed.data.registry.DataFile;
import org.fedmed.data.registry.DatasetEntry;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.Sha256;
import org.fedmed.data.registry.SiteFile;

/**
 * Loads a site's own data exactly as the simulation prepares that site: the CSV is read with the registered
 * dataset's schema and split (stratified, with the seed derived from the split seed and the site id) into
 * {@link SiteRows}, which are preprocessed once the federation's merged statistics arrive ({@link SiteRows#prepare}),
 * or alone ({@link SiteRows#prepareAlone}, with the site's own statistics as the only ones merged). Only this site's
 * file is read; no other site's data is needed. Errors name the site and the file.
 */
public final class SiteDataLoader {

    private SiteDataLoader() {
    }

    /**
     * Loads the data of site {@code siteId}: the config's CSV, or else the dataset's natural-site file of that site,
     * looked up in the registry's search roots and checked against its registered SHA-256.
     *
     * @throws IllegalArgumentException naming the site and the file: unknown dataset, no file for this site,
     *                                  a missing or unreadable file, columns that do not fit the schema, or too
     *                                  few usable rows
     */
    public static LocalData load(DataSettings settings, String siteId, DatasetRegistry registry) {
        if (siteId == null || siteId.isBlank()) {
            throw new IllegalArgumentException("site id must not be blank");
        }
        return rows(settings, siteId, registry).prepareAlone();
    }

    /** Loads site {@code siteId}'s rows from {@code csv}, read with {@code entry}'s schema, and prepares them alone. */
    public static LocalData load(DatasetEntry entry, String siteId, Path csv, DataSettings settings) {
        return rows(entry, siteId, csv, settings).prepareAlone();
    }

    /**
     * Loads site {@code siteId}'s split rows, not yet preprocessed: the config's CSV, or else the dataset's
     * natural-site file of that site (see {@link #load(DataSettings, String, DatasetRegistry)}).
     */
    public static SiteRows rows(DataSettings settings, String siteId, DatasetRegistry registry) {
        if (siteId == null || siteId.isBlank()) {
            throw new IllegalArgumentException("site id must not be blank");
        }
        DatasetEntry entry = registry.entry(settings.dataset());
        Path csv = settings.csvFile().orElseGet(() -> naturalSiteFile(entry, siteId, registry));
        return rows(entry, siteId, csv, settings);
    }

    /** Loads site {@code siteId}'s split rows from {@code csv}, read with {@code entry}'s schema. */
    public static SiteRows rows(DatasetEntry entry, String siteId, Path csv, DataSettings settings) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("site '" + siteId + "': data file " + csv + " does not exist");
        }
        RawTable table;
        try {
            table = CsvLoader.load(csv, entry.schema());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new IllegalArgumentException("site '" + siteId + "': cannot read data file " + csv + " as dataset '"
                    + entry.name() + "': " + e.getMessage(), e);
        }
        FederatedDatasets.SplitSites split;
        try {
            split = FederatedDatasets.split(List.of(siteId), List.of(table), settings.options());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("site '" + siteId + "', data file " + csv + ": " + e.getMessage(), e);
        }
        RawTable train = split.trains().getFirst();
        RawTable test = split.tests().getFirst();
        long smallest = Math.min(train.rows(), test.rows());
        if (smallest < settings.minRows()) {
            throw new IllegalArgumentException("site '" + siteId + "', data file " + csv + ": " + train.rows()
                    + " training and " + test.rows() + " test rows; every number a site sends must rest on at"
                    + " least data.min_rows " + settings.minRows() + " rows, so this site cannot take part. Add rows,"
                    + " or lower data.test_fraction if only the test split is too small");
        }
        if (smallest < settings.minCell()) {
            throw new IllegalArgumentException("site '" + siteId + "', data file " + csv + ": " + train.rows()
                    + " training and " + test.rows() + " test rows; the site's data.k " + settings.minCell()
                    + " forbids releasing any count below it, and its example counts are released with every task,"
                    + " so this site cannot take part. Add rows, or lower data.k");
        }
        return new SiteRows(siteId, entry, csv, settings, train, test, split.quality()[0],
                Map.of(csv.getFileName().toString(), Sha256.of(csv)));
    }

    /**
     * The natural-site file of {@code siteId} in {@code entry}, from the first of the registry's search roots that
     * holds it, verified against its registered SHA-256.
     */
    static Path naturalSiteFile(DatasetEntry entry, String siteId, DatasetRegistry registry) {
        if (entry.partitioned()) {
            throw new IllegalArgumentException("site '" + siteId + "': dataset '" + entry.name() + "' has no natural "
                    + "sites; set data.csv to this site's own file");
        }
        String fileName = entry.naturalSites().stream().filter(s -> s.siteId().equals(siteId)).map(SiteFile::file)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("site '" + siteId + "' is not a natural "
                        + "site of dataset '" + entry.name() + "' (its sites: "
                        + entry.naturalSites().stream().map(SiteFile::siteId).toList()
                        + "); set data.csv to this site's own file"));
        List<Path> searched = new ArrayList<>();
        for (Path root : registry.searchRoots()) {
            Path candidate = root.resolve(entry.name()).resolve(fileName);
            searched.add(candidate);
            if (Files.isRegularFile(candidate)) {
                String expected = entry.files().stream().filter(f -> f.name().equals(fileName)).map(DataFile::sha256)
                        .findFirst().orElseThrow();
                String actual = Sha256.of(candidate);
                if (!actual.equals(expected)) {
                    throw new ChecksumMismatchException(entry.name(), candidate, expected, actual);
                }
                return candidate;
            }
        }
        throw new IllegalArgumentException("site '" + siteId + "': data file '" + fileName + "' of dataset '"
                + entry.name() + "' not found; looked in " + searched + ". Set " + DatasetRegistry.ENV
                + " to a folder holding " + entry.name() + "/" + fileName + ", or set data.csv");
    }
}
