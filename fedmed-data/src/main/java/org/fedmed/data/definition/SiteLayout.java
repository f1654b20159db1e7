package org.fedmed.data.definition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
     */
    record SiteColumn(FileRef file, String column, List<String> ids) implements SiteLayout {
        public SiteColumn {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("sites.column must name the site column");
            }
            ids = ids == null ? List.of() : List.copyOf(ids);
            if (new HashSet<>(ids).size() != ids.size()) {
                throw new IllegalArgumentException("sites.ids repeats a site: " + ids);
            }
        }

        public List<FileRef> files() {
            return List.of(file);
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
