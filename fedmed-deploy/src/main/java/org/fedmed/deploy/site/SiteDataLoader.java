package org.fedmed.deploy.site;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.DefinitionReader;
import org.fedmed.data.definition.FileBase;
import org.fedmed.data.definition.FileRef;
import org.fedmed.data.definition.SiteFiles;
import org.fedmed.data.definition.SiteLayout;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.registry.ChecksumMismatchException;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.ResolvedDataset;
import org.fedmed.data.registry.Sha256;

/**
 * Loads a site's own data exactly as the simulation prepares that site: the rows are read with the dataset definition (a registered dataset's, or the file
 * {@code data.definition} names, read at start with no rebuild), split as the definition says (stratified by a
 * fraction with the seed derived from the split seed and the site's id in the definition, a split column, or
 * separate files) into {@link SiteRows}, which are preprocessed once the federation's merged statistics arrive
 * ({@link SiteRows#prepare}) or alone ({@link SiteRows#prepareAlone}). Only this site's rows are read; no other
 * site's data is needed. A file that does not fit the definition stops the site with its file, line and
 * column. Errors name the site and the file.
 */
public final class SiteDataLoader {

    private SiteDataLoader() {
    }

    /**
     * Loads the data of site {@code siteId}: the config's CSV, or else this site's file(s) of the dataset (a built-in
     * dataset's natural-site file looked up in the registry's search roots, or the files the definition names for
     * {@code data.site}, by default the site's id), each checked against the SHA-256 the definition gives; and
     * prepares them alone ({@link SiteRows#prepareAlone}).
     *
     * @throws IllegalArgumentException naming the site and the file: unknown dataset, no file for this site,
     *                                  a missing or unreadable file, columns that do not fit the definition, or too
     *                                  few usable rows
     */
    public static LocalData load(DataSettings settings, String siteId, DatasetRegistry registry) {
        return rows(settings, siteId, registry).prepareAlone();
    }

    /** Loads site {@code siteId}'s rows from its own {@code csv}, read with {@code definition}, prepared alone. */
    public static LocalData load(DatasetDefinition definition, String siteId, Path csv, DataSettings settings) {
        return rows(definition, siteId, csv, settings).prepareAlone();
    }

    /**
     * Site {@code siteId}'s rows read and split as {@link #load(DataSettings, String, DatasetRegistry)} reads and
     * splits them, not yet preprocessed.
     */
    public static SiteRows rows(DataSettings settings, String siteId, DatasetRegistry registry) {
        if (siteId == null || siteId.isBlank()) {
            throw new IllegalArgumentException("site id must not be blank");
        }
        DatasetDefinition def;
        try {
            def = settings.definitionFile().map(DefinitionReader::read)
                    .orElseGet(() -> registry.entry(settings.dataset()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("site '" + siteId + "': key '" + (settings.definitionFile().isPresent()
                    ? "data.definition" : "data.dataset") + "' in its site config: " + e.getMessage(), e);
        }
        if (settings.csvFile().isPresent()) {
            return rows(def, siteId, settings.csvFile().get(), settings);
        }
        String member = settings.site() != null ? settings.site() : siteId;
        ResolvedDataset files = siteFiles(def, siteId, member, registry);
        FederatedDatasets.SplitFederation split;
        try {
            split = FederatedDatasets.splitSite(def, files, null, member, settings.options());
        } catch (DataFormatException | UncheckedIOException e) {
            throw new IllegalArgumentException("site '" + siteId + "': data file does not fit dataset '" + def.name()
                    + "': " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("site '" + siteId + "', data files " + files.files().values() + ": "
                    + e.getMessage(), e);
        }
        return siteRows(def, split, siteId, member, files.files().values().stream().map(Path::toString)
                .reduce((a, b) -> a + ", " + b).orElse(""), settings);
    }

    /** Site {@code siteId}'s rows from its own {@code csv}, read with {@code definition} and split, not preprocessed. */
    public static SiteRows rows(DatasetDefinition definition, String siteId, Path csv, DataSettings settings) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("site '" + siteId + "': data file " + csv + " does not exist (key"
                    + " 'data.csv' in its site config)");
        }
        String member = settings.site() != null ? settings.site() : siteId;
        FederatedDatasets.SplitFederation split;
        try {
            split = FederatedDatasets.splitSite(definition, null, csv, member, settings.options());
        } catch (DataFormatException | UncheckedIOException e) {
            throw new IllegalArgumentException("site '" + siteId + "': cannot read data file " + csv + " as dataset '"
                    + definition.name() + "': " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("site '" + siteId + "', data file " + csv + ": " + e.getMessage(), e);
        }
        return siteRows(definition, split, siteId, member, csv.toString(), settings);
    }

    private static SiteRows siteRows(DatasetDefinition def, FederatedDatasets.SplitFederation split, String siteId,
                                     String member, String source, DataSettings settings) {
        int at = split.siteIds().indexOf(member);
        if (at < 0) {
            throw new IllegalArgumentException("site '" + siteId + "': dataset '" + def.name() + "' has no site '"
                    + member + "' in " + source + " (its sites there: " + split.siteIds() + ")");
        }
        var train = split.split().trains().get(at);
        var test = split.split().tests().get(at);
        long smallest = Math.min(train.rows(), test.rows());
        if (smallest < settings.minRows()) {
            throw new IllegalArgumentException("site '" + siteId + "', data file " + source + ": " + train.rows()
                    + " training and " + test.rows() + " test rows; every number a site sends must rest on at"
                    + " least data.min_rows " + settings.minRows() + " rows, so this site cannot take part. Add rows,"
                    + " or lower data.test_fraction if only the test split is too small");
        }
        if (smallest < settings.minCell()) {
            throw new IllegalArgumentException("site '" + siteId + "', data file " + source + ": " + train.rows()
                    + " training and " + test.rows() + " test rows; the site's data.k " + settings.minCell()
                    + " forbids releasing any count below it, and its example counts are released with every task,"
                    + " so this site cannot take part. Add rows, or lower data.k");
        }
        return new SiteRows(siteId, def, source, settings, train, test, split.split().quality()[at], split.checksums());
    }

    /**
     * The files of site {@code member} in {@code def}, found (for a built-in dataset: in the first of the registry's
     * search roots that holds them) and verified against the SHA-256 the definition gives.
     */
    static ResolvedDataset siteFiles(DatasetDefinition def, String siteId, String member, DatasetRegistry registry) {
        List<FileRef> refs = switch (def.sites()) {
            case SiteLayout.Partitioned p -> throw new IllegalArgumentException("site '" + siteId + "': dataset '"
                    + def.name() + "' has no natural sites; set data.csv to this site's own file");
            case SiteLayout.SiteColumn c -> c.files(); // the data file, and its lookup file when it has one
            case SiteLayout.FilePerSite f -> {
                SiteFiles s = f.sites().stream().filter(x -> x.id().equals(member)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("site '" + member + "' is not a natural site of"
                                + " dataset '" + def.name() + "' (its sites: " + f.sites().stream().map(SiteFiles::id).toList()
                                + "); set data.csv to this site's own file" + (def.base() instanceof FileBase.Folder
                                ? ", or data.site to its id in the definition" : "")));
                yield s.separateTest() ? List.of(s.train(), s.test()) : List.of(s.file());
            }
        };
        Map<String, Path> found = new LinkedHashMap<>();
        Map<String, String> checksums = new LinkedHashMap<>();
        for (FileRef ref : refs) {
            Path p = locate(def, ref, siteId, registry);
            String actual = Sha256.of(p);
            if (ref.sha256() != null && !actual.equals(ref.sha256())) {
                throw new ChecksumMismatchException(def.name(), p, ref.sha256(), actual);
            }
            found.put(ref.path(), p);
            checksums.put(ref.path(), actual);
        }
        return new ResolvedDataset(def, found, checksums);
    }

    private static Path locate(DatasetDefinition def, FileRef ref, String siteId, DatasetRegistry registry) {
        List<Path> searched = new ArrayList<>();
        switch (def.base()) {
            case FileBase.Folder folder -> searched.add(folder.folder().resolve(ref.path()).normalize());
            case FileBase.DataRoots dataRoots -> registry.searchRoots()
                    .forEach(root -> searched.add(root.resolve(dataRoots.folder()).resolve(ref.path())));
        }
        for (Path candidate : searched) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("site '" + siteId + "': data file '" + ref.path() + "' of dataset '"
                + def.name() + "' not found; looked in " + searched + ". "
                + switch (def.base()) {
                    case FileBase.Folder folder -> "Paths in a definition are read from its folder; fix the path";
                    case FileBase.DataRoots dataRoots -> "Set " + DatasetRegistry.ENV + " to a folder holding "
                            + dataRoots.folder() + "/" + ref.path();
                } + ", or set data.csv");
    }
}
