package org.fedmed.data.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedmed.data.schema.DatasetSchema;

/**
 * What the registry knows of one dataset: its name and aliases, the files with their SHA-256, provenance
 * (licence, citation, canonical public URL), the schema its CSVs are read with, and how it becomes sites:
 * either natural sites, one file each ({@code naturalSites} non-empty), or one file that is partitioned
 * across simulated sites ({@code naturalSites} empty, exactly one file).
 */
public record DatasetEntry(String name, List<String> aliases, String description, List<DataFile> files, String licence,
                           String citation, String url, DatasetSchema schema, List<SiteFile> naturalSites) {

    public DatasetEntry {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("dataset field 'name' must not be blank");
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        naturalSites = naturalSites == null ? List.of() : List.copyOf(naturalSites);
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "': field 'files' must list at least one file");
        }
        files = List.copyOf(files);
        for (String field : new String[] {description, licence, citation, url}) {
            if (field == null || field.isBlank()) {
                throw new IllegalArgumentException("dataset '" + name + "': fields 'description', 'licence', 'citation' and 'url' are required");
            }
        }
        if (schema == null) {
            throw new IllegalArgumentException("dataset '" + name + "': field 'schema' is required");
        }
        Set<String> fileNames = new HashSet<>();
        for (DataFile f : files) {
            if (!fileNames.add(f.name())) {
                throw new IllegalArgumentException("dataset '" + name + "': field 'files' lists '" + f.name() + "' twice");
            }
        }
        if (naturalSites.isEmpty() && files.size() != 1) {
            throw new IllegalArgumentException("dataset '" + name + "': a partitioned dataset needs exactly one file, has " + files.size());
        }
        Set<String> ids = new HashSet<>();
        for (SiteFile s : naturalSites) {
            if (!ids.add(s.siteId())) {
                throw new IllegalArgumentException("dataset '" + name + "': field 'naturalSites' repeats site '" + s.siteId() + "'");
            }
            if (!fileNames.contains(s.file())) {
                throw new IllegalArgumentException("dataset '" + name + "': site '" + s.siteId() + "' uses file '" + s.file()
                        + "', which is not in 'files'");
            }
        }
    }

    /** True when the dataset is one file split across simulated sites. */
    public boolean partitioned() {
        return naturalSites.isEmpty();
    }

    /** True when {@code nameOrAlias} names this dataset (case-insensitive). */
    public boolean answersTo(String nameOrAlias) {
        return name.equalsIgnoreCase(nameOrAlias) || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(nameOrAlias));
    }
}
