package org.fedmed.data.definition;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.csv.CsvRows;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.Levels;

/**
 * Streams every row of a definition's files, one at a time, each with the site it belongs to, whether it is a
 * training row, a test row, or not yet split, and (for a survival label) whether the event happened. Rows are read
 * with {@link CsvRows}, so each must fit the definition's schema; beyond that a site column value outside the
 * declared site ids, a split column value that is neither a train nor a test value, and an event value outside the
 * declared ones are {@link DataFormatException}s naming the file, line and column. Memory does not grow with the
 * number of rows.
 */
public final class DefinitionRows {

    /** The site id every row of a partitioned file gets before it is partitioned. */
    public static final String UNPARTITIONED = "all";

    /** Which part of a site's rows a row is. */
    public enum Part {
        /** Not split yet: the split is a seeded fraction, drawn once all of the site's rows are read. */
        ALL,
        /** A training row. */
        TRAIN,
        /** A test row. */
        TEST
    }

    /** Receives each routed row; {@code row} is positioned on it and valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param event 1 when a survival label's event happened, 0 when censored, -1 for other labels
         */
        void accept(String site, Part part, CsvRows row, int event);
    }

    private DefinitionRows() {
    }

    /**
     * Streams the rows of every site, or only of {@code onlySite} when it is not null, from the files (keyed by the
     * path the definition gives them, as in {@code ResolvedDataset.files()}).
     */
    public static void stream(DatasetDefinition def, Map<String, Path> files, String onlySite, Sink sink) {
        switch (def.sites()) {
            case SiteLayout.FilePerSite f -> {
                boolean found = false;
                for (SiteFiles s : f.sites()) {
                    if (onlySite != null && !onlySite.equals(s.id())) {
                        continue;
                    }
                    found = true;
                    if (s.separateTest()) {
                        read(def, path(files, s.train()), s.id(), Part.TRAIN, null, sink);
                        read(def, path(files, s.test()), s.id(), Part.TEST, null, sink);
                    } else {
                        read(def, path(files, s.file()), s.id(), null, null, sink);
                    }
                }
                if (!found) {
                    throw new DataFormatException(def.source().message(List.of("sites"), true, "no site '" + onlySite
                            + "'; its sites: " + f.sites().stream().map(SiteFiles::id).toList()));
                }
            }
            case SiteLayout.SiteColumn c -> read(def, path(files, c.file()), null, null, onlySite, sink,
                    c.lookup() == null ? null : path(files, c.lookup().file()));
            case SiteLayout.Partitioned p -> read(def, path(files, p.file()), UNPARTITIONED, null, null, sink);
        }
    }

    /**
     * Streams the rows of one site's own file {@code csv} (a deployed site's {@code data.csv}): every row is
     * {@code site}'s, split as the definition says (a split column, or a fraction drawn later).
     *
     * @throws DataFormatException when the definition splits by separate train and test files
     */
    public static void streamOwnFile(DatasetDefinition def, Path csv, String site, Sink sink) {
        if (def.split() instanceof SplitRule.Files) {
            throw new DataFormatException(def.source().message(List.of("sites"), true, "the definition gives each site"
                    + " separate train and test files, so a site cannot read one file of its own; name the site"
                    + " (data.site) instead"));
        }
        read(def, csv, site, null, null, sink);
    }

    /**
     * The lookup file's rows by their key: per key the site column's value and, when {@code splitColumn} is not null,
     * the split column's.
     *
     * @throws DataFormatException naming the file, line and column, for a missing column or a key listed twice
     */
    private static Map<String, String[]> lookup(Path file, String key, String siteColumn, String splitColumn) {
        String source = file.getFileName().toString();
        Map<String, String[]> out = new java.util.HashMap<>();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8);
             org.apache.commons.csv.CSVParser parser = org.apache.commons.csv.CSVParser.parse(in,
                     org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                             .get())) {
            List<String> header = parser.getHeaderNames();
            for (String c : splitColumn == null ? List.of(key, siteColumn) : List.of(key, siteColumn, splitColumn)) {
                if (!header.contains(c)) {
                    throw DataFormatException.atLine(source, 1, "the lookup file has no column '" + c + "'; its"
                            + " columns: " + header);
                }
            }
            for (org.apache.commons.csv.CSVRecord r : parser) {
                String k = r.get(key).strip();
                String[] v = {r.get(siteColumn).strip(), splitColumn == null ? "" : r.get(splitColumn).strip()};
                if (out.put(k, v) != null) {
                    throw DataFormatException.atCell(source, parser.getCurrentLineNumber(), key, "key '" + k
                            + "' is listed twice; the lookup file gives each row one site");
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Path path(Map<String, Path> files, FileRef ref) {
        Path p = files.get(ref.path());
        if (p == null) {
            throw new IllegalArgumentException("file '" + ref.path() + "' was not resolved");
        }
        return p;
    }

    /**
     * Reads one file. {@code site} null: the site comes from the site column; {@code part} null: from the split
     * column, or ALL for a fraction split.
     */
    private static void read(DatasetDefinition def, Path file, String site, Part part, String onlySite, Sink sink) {
        read(def, file, site, part, onlySite, sink, null);
    }

    /** As above; {@code lookupFile} is the site column's lookup file, when it has one. */
    private static void read(DatasetDefinition def, Path file, String site, Part part, String onlySite, Sink sink,
                             Path lookupFile) {
        DatasetSchema schema = def.schema();
        List<String> keys = def.keyColumns();
        SiteLayout.SiteColumn siteColumn = site == null ? (SiteLayout.SiteColumn) def.sites() : null;
        int siteKey = siteColumn == null ? -1 : keys.indexOf(siteColumn.column());
        SplitRule.Column splitColumn = part == null && def.split() instanceof SplitRule.Column c ? c : null;
        SplitRule.Rows listed = part == null && def.split() instanceof SplitRule.Rows r ? r : null;
        Map<String, java.util.Set<Integer>> testRows = new java.util.HashMap<>();
        if (listed != null) {
            listed.testRows().forEach((s, rows) -> testRows.put(s, new java.util.HashSet<>(rows)));
        }
        Map<String, Integer> highest = new java.util.HashMap<>();
        int splitKey = splitColumn == null ? -1 : keys.indexOf(splitColumn.column());
        LabelRule.Survival survival = def.label() instanceof LabelRule.Survival s ? s : null;
        int eventKey = survival == null ? -1 : keys.indexOf(survival.event());
        SiteLayout.Lookup lookup = siteColumn == null ? null : siteColumn.lookup();
        List<String> wanted = new java.util.ArrayList<>();
        int[] map = new int[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            // with a lookup file, the site and split columns come from it, by the key column of this file
            boolean use = lookup == null ? k == siteKey || k == splitKey || k == eventKey : k == eventKey;
            map[k] = use ? wanted.size() : -1;
            if (use) {
                wanted.add(keys.get(k));
            }
        }
        int lookupKey = wanted.size();
        Map<String, String[]> joined = null;
        if (lookup != null) {
            wanted.add(lookup.key());
            joined = lookup(lookupFile, lookup.key(), siteColumn.column(),
                    splitColumn == null ? null : splitColumn.column());
        }
        int index = -1;
        try (CsvRows rows = CsvRows.open(file, schema, wanted)) {
            while (rows.next()) {
                index++;
                String rowSite = site;
                String[] looked = null;
                if (joined != null) {
                    looked = joined.get(rows.key(lookupKey));
                    if (looked == null) {
                        continue; // the lookup file assigns this row to no site
                    }
                }
                if (siteColumn != null) {
                    String value = looked != null ? looked[0] : rows.key(map[siteKey]);
                    if (value.isEmpty()) {
                        throw DataFormatException.atCell(rows.source(), rows.line(), siteColumn.column(),
                                "missing site; every row needs one");
                    }
                    rowSite = siteColumn.siteOf(value);
                    if (rowSite == null) {
                        throw DataFormatException.atCell(rows.source(), rows.line(), siteColumn.column(), "site '" + value
                                + "'" + (looked != null ? " (in " + lookupFile.getFileName() + " for "
                                + lookup.key() + " '" + rows.key(lookupKey) + "')" : "")
                                + " is not one of the declared sites " + (siteColumn.values().isEmpty()
                                ? siteColumn.ids() : siteColumn.values()));
                    }
                    if (onlySite != null && !onlySite.equals(rowSite)) {
                        continue;
                    }
                }
                Part rowPart = part != null ? part : Part.ALL;
                if (listed != null) {
                    java.util.Set<Integer> test = testRows.get(rowSite);
                    if (test == null) {
                        throw DataFormatException.atCell(rows.source(), rows.line(),
                                siteColumn != null ? siteColumn.column() : "site", "site '" + rowSite
                                + "' has no list under split.test_rows; every site needs its test rows listed");
                    }
                    rowPart = test.contains(index) ? Part.TEST : Part.TRAIN;
                    highest.put(rowSite, index);
                }
                if (splitColumn != null) {
                    String v = looked != null ? looked[1] : rows.key(map[splitKey]);
                    if (Levels.indexOf(splitColumn.train(), v) >= 0) {
                        rowPart = Part.TRAIN;
                    } else if (Levels.indexOf(splitColumn.test(), v) >= 0) {
                        rowPart = Part.TEST;
                    } else {
                        throw DataFormatException.atCell(rows.source(), rows.line(), splitColumn.column(), "value '" + v
                                + "' is neither a train value " + splitColumn.train() + " nor a test value "
                                + splitColumn.test());
                    }
                }
                int event = -1;
                if (survival != null) {
                    if (rows.label() < 0) {
                        throw DataFormatException.atCell(rows.source(), rows.line(), survival.time(), "time "
                                + rows.label() + " is negative; a survival time is >= 0");
                    }
                    String v = rows.key(map[eventKey]);
                    if (Levels.indexOf(survival.eventValues(), v) >= 0) {
                        event = 1;
                    } else if (Levels.indexOf(survival.censoredValues(), v) >= 0) {
                        event = 0;
                    } else {
                        throw DataFormatException.atCell(rows.source(), rows.line(), survival.event(), "value '" + v
                                + "' is neither an event value " + survival.eventValues() + " nor a censored value "
                                + survival.censoredValues());
                    }
                }
                sink.accept(rowSite, rowPart, rows, event);
            }
        }
        if (listed != null) {
            for (var e : listed.testRows().entrySet()) {
                Integer last = highest.get(e.getKey());
                if (last == null) {
                    continue;
                }
                int max = e.getValue().stream().mapToInt(Integer::intValue).max().orElse(-1);
                if (max > last) {
                    throw new DataFormatException(def.source().message(List.of("split", "test_rows", e.getKey()), false,
                            "lists row " + max + ", but " + file.getFileName() + " holds rows 0.." + last + " of site '"
                            + e.getKey() + "'"));
                }
            }
        }
    }
}
