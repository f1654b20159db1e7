package org.fedmed.data.definition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.fedmed.data.partition.PartitionerKind;

/**
 * How a definition's rows become sites: one file (or a train and a test file) per site, one file whose site column
 * says where each row belongs, or one file split across simulated sites by a partitioner. Site ids are unique.
 */
public sealed interface SiteLayout {

    /** Every file the layout names, in order. */
    List<FileRef> files();

    /** One file per site, or a training and a test file per site. */
    record FilePerSite(List<SiteFiles> sites) implements SiteLayout {
        public FilePerSite {
            sites = List.copyOf(sites);
            if (sites.isEmpty()) {
                throw new IllegalArgumentException("sites must list at least one site");
            }
            var ids = new HashSet<String>();
            for (SiteFiles s : sites) {
                if (!ids.add(s.id())) {
                    throw new IllegalArgumentException("site id '" + s.id() + "' repeats");
                }
            }
        }

        public List<FileRef> files() {
            List<FileRef> out = new ArrayList<>();
            for (SiteFiles s : sites) {
                if (s.separateTest()) {
                    out.add(s.train());
                    out.add(s.test());
                } else {
                    out.add(s.file());
                }
            }
            return out;
        }

        /** True when every site has separate train and test files, false when none has; mixed is refused. */
        public boolean separateTest() {
            return sites.getFirst().separateTest();
        }
    }

    /**
     * One file whose {@code column} names each row's site. With {@code ids} given, those are the sites, in that order,
     * and a row naming another site does not fit; otherwise the sites are the values found, in order of first row.
     * With {@code values} given, a site stands for the listed values of the column (several values may name one
     * site), and {@code ids} are its keys in order. With {@code lookup} given, the site column and a split column are
     * not in {@code file} but in the lookup file, read for each row by the value of the key column both files hold;
     * a row whose key the lookup file does not list belongs to no site and is not read (a published split that
     * leaves some rows out).
     */
    record SiteColumn(FileRef file, String column, List<String> ids, Map<String, List<String>> values,
                      Lookup lookup) implements SiteLayout {
        public SiteColumn {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("sites.column must name the site column");
            }
            ids = ids == null ? List.of() : List.copyOf(ids);
            Map<String, List<String>> copy = new java.util.LinkedHashMap<>();
            if (values != null) {
                Map<String, String> owner = new java.util.HashMap<>();
                values.forEach((id, vs) -> {
                    if (vs == null || vs.isEmpty()) {
                        throw new IllegalArgumentException("sites.ids." + id + " must list at least one value of '"
                                + column + "'");
                    }
                    for (String v : vs) {
                        String other = owner.putIfAbsent(v, id);
                        if (other != null) {
                            throw new IllegalArgumentException("sites.ids: value '" + v + "' of '" + column
                                    + "' is listed for both '" + other + "' and '" + id + "'");
                        }
                    }
                    copy.put(id, List.copyOf(vs));
                });
                if (ids.isEmpty()) {
                    ids = List.copyOf(copy.keySet());
                }
            }
            values = java.util.Collections.unmodifiableMap(copy);
            if (new HashSet<>(ids).size() != ids.size()) {
                throw new IllegalArgumentException("sites.ids repeats a site: " + ids);
            }
            if (!values.isEmpty() && !ids.equals(List.copyOf(values.keySet()))) {
                throw new IllegalArgumentException("sites.ids " + ids + " and the sites of sites.ids' values "
                        + values.keySet() + " differ");
            }
        }

        /** A site column whose values are the site ids, read from {@code file} itself. */
        public SiteColumn(FileRef file, String column, List<String> ids) {
            this(file, column, ids, null, null);
        }

        /** The site a value of the column names, or null when it names none of the declared ones. */
        public String siteOf(String value) {
            if (values.isEmpty()) {
                return ids.isEmpty() || ids.contains(value) ? value : null;
            }
            for (Map.Entry<String, List<String>> e : values.entrySet()) {
                if (org.fedmed.data.schema.Levels.indexOf(e.getValue(), value) >= 0) {
                    return e.getKey();
                }
            }
            return null;
        }

        public List<FileRef> files() {
            return lookup == null ? List.of(file) : List.of(file, lookup.file());
        }
    }

    /**
     * A second file that gives, for each value of {@code key} (a column of the data file too), the row's site column
     * and split column: how a published benchmark ships its assignment of patients to sites and splits apart from
     * the data.
     */
    record Lookup(FileRef file, String key) {
        public Lookup {
            if (file == null) {
                throw new IllegalArgumentException("sites.lookup.file is required");
            }
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("sites.lookup.key must name the column both files hold");
            }
        }
    }

    /**
     * One file split across simulated sites. With {@code partition} null the simulation's own partition settings
     * ({@code sites}, {@code partition}, {@code alpha}) apply.
     */
    record Partitioned(FileRef file, Partition partition) implements SiteLayout {
        public List<FileRef> files() {
            return List.of(file);
        }
    }

    /** Partition settings a definition fixes: the partitioner, the number of sites and the concentration. */
    record Partition(PartitionerKind kind, int sites, double alpha) {
        public Partition {
            if (kind == null) {
                throw new IllegalArgumentException("partition kind is required");
            }
            if (sites < 1) {
                throw new IllegalArgumentException("partition sites must be >= 1, got " + sites);
            }
            if (!(alpha > 0) || !Double.isFinite(alpha)) {
                throw new IllegalArgumentException("partition alpha must be finite and > 0, got " + alpha);
            }
        }
    }
}
