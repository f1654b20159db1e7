package org.fedmed.data.federated;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.data.csv.CsvRows;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.DefinitionRows;
import org.fedmed.data.definition.SiteFiles;
import org.fedmed.data.definition.SiteLayout;
import org.fedmed.data.definition.SplitRule;
import org.fedmed.data.schema.DatasetSchema;

/**
 * The raw rows of a definition's sites, read into memory: per site either all its rows (to be split by a seeded
 * fraction) or its training and test rows as the definition splits them. Sites come in the definition's order (for a
 * site column: the declared ids, else the order of each site's first row).
 *
 * @param id    the site id
 * @param all   every row, when the split is a fraction; null otherwise
 * @param train the training rows, when the definition splits them; null otherwise
 * @param test  the test rows, when the definition splits them; null otherwise
 */
record SiteTables(String id, RawTable all, RawTable train, RawTable test) {

    /** True when the definition itself says which rows are for testing. */
    boolean presplit() {
        return all == null;
    }

    /** Reads the sites' rows (only {@code onlySite}'s when not null) from the resolved files. */
    static List<SiteTables> read(DatasetDefinition def, Map<String, Path> files, String onlySite) {
        Collector c = new Collector(def);
        switch (def.sites()) {
            case SiteLayout.FilePerSite f -> f.sites().stream().map(SiteFiles::id)
                    .filter(id -> onlySite == null || onlySite.equals(id)).forEach(c::site);
            case SiteLayout.SiteColumn s -> s.ids().stream().filter(id -> onlySite == null || onlySite.equals(id))
                    .forEach(c::site);
            case SiteLayout.Partitioned p -> c.site(DefinitionRows.UNPARTITIONED);
        }
        DefinitionRows.stream(def, files, onlySite, c);
        if (onlySite != null) {
            c.site(onlySite);
        }
        return c.tables();
    }

    /** Reads one site's own file, every row being {@code site}'s. */
    static SiteTables readOwnFile(DatasetDefinition def, Path csv, String site) {
        Collector c = new Collector(def);
        c.site(site);
        DefinitionRows.streamOwnFile(def, csv, site, c);
        return c.tables().getFirst();
    }

    /** Rows gathered per site and part. */
    private static final class Collector implements DefinitionRows.Sink {
        private final DatasetSchema schema;
        private final boolean presplit;
        private final boolean survival;
        private final Map<String, Parts> sites = new LinkedHashMap<>();

        Collector(DatasetDefinition def) {
            this.schema = def.schema();
            this.presplit = !(def.split() instanceof SplitRule.Fraction);
            this.survival = def.label() instanceof org.fedmed.data.definition.LabelRule.Survival;
        }

        Parts site(String id) {
            return sites.computeIfAbsent(id, k -> new Parts());
        }

        @Override
        public void accept(String site, DefinitionRows.Part part, CsvRows row, int event) {
            Parts p = site(site);
            if (p.source == null) {
                p.source = row.source();
            } else if (!p.source.equals(row.source()) && !p.source.contains(row.source())) {
                p.source = p.source + "+" + row.source();
            }
            (switch (part) {
                case ALL, TRAIN -> p.train;
                case TEST -> p.test;
            }).add(row.values(), row.label(), event == 1);
        }

        List<SiteTables> tables() {
            List<SiteTables> out = new ArrayList<>();
            for (Map.Entry<String, Parts> e : sites.entrySet()) {
                Parts p = e.getValue();
                String source = p.source == null ? e.getKey() : p.source;
                if (presplit) {
                    out.add(new SiteTables(e.getKey(), null, p.train.table(source + "#train", schema, survival),
                            p.test.table(source + "#test", schema, survival)));
                } else {
                    out.add(new SiteTables(e.getKey(), p.train.table(source, schema, survival), null, null));
                }
            }
            return out;
        }
    }

    private static final class Parts {
        String source;
        final Rows train = new Rows();
        final Rows test = new Rows();
    }

    private static final class Rows {
        final List<double[]> values = new ArrayList<>();
        double[] labels = new double[16];
        boolean[] events = new boolean[16];

        void add(double[] row, double label, boolean event) {
            if (values.size() == labels.length) {
                labels = Arrays.copyOf(labels, labels.length * 2);
                events = Arrays.copyOf(events, events.length * 2);
            }
            labels[values.size()] = label;
            events[values.size()] = event;
            values.add(row);
        }

        RawTable table(String source, DatasetSchema schema, boolean survival) {
            return new RawTable(source, schema, values.toArray(new double[0][]), Arrays.copyOf(labels, values.size()),
                    survival ? Arrays.copyOf(events, values.size()) : null);
        }
    }
}
