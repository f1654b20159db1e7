package org.fedmed.data.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.DefinitionReader;
import org.fedmed.data.definition.FileBase;
import org.fedmed.data.definition.FileRef;

/**
 * The datasets fedmed knows, the definitions users write, and where their files are on this machine. A file
 * {@code f} of a built-in dataset {@code d} is looked up as {@code <root>/<d>/<f>} in each search root in order,
 * the first hit winning; {@link #fromEnvironment()} searches {@code $FEDMED_DATA} and then {@code ~/.cache/fedmed}.
 * A file of a user's definition is the path it gives, relative to the definition file's folder. Resolving a
 * dataset finds every file, verifies each SHA-256 the definition gives, and records the SHA-256 of every file.
 * Nothing is ever downloaded.
 */
public final class DatasetRegistry {

    /** Environment variable naming the folder that holds one sub-folder per dataset. */
    public static final String ENV = "FEDMED_DATA";

    private final List<Path> roots;
    private final List<DatasetDefinition> entries;

    /** A registry of {@code entries} searching {@code roots} in order. */
    public DatasetRegistry(List<Path> roots, List<DatasetDefinition> entries) {
        this.roots = List.copyOf(roots);
        this.entries = List.copyOf(entries);
        for (int i = 0; i < this.entries.size(); i++) {
            for (int j = 0; j < i; j++) {
                DatasetDefinition a = this.entries.get(i);
                DatasetDefinition b = this.entries.get(j);
                if (b.answersTo(a.name()) || a.aliases().stream().anyMatch(b::answersTo)) {
                    throw new IllegalArgumentException("datasets '" + a.name() + "' and '" + b.name() + "' share a name or alias");
                }
            }
        }
    }

    /** The built-in datasets ({@link BuiltInDatasets#all()}) searching {@code roots} in order. */
    public DatasetRegistry(List<Path> roots) {
        this(roots, BuiltInDatasets.all());
    }

    /** The built-in datasets, searching {@code $FEDMED_DATA} (when set) and then {@code ~/.cache/fedmed}. */
    public static DatasetRegistry fromEnvironment() {
        return new DatasetRegistry(defaultRoots(System.getenv(ENV), System.getProperty("user.home")));
    }

    /** The search roots {@link #fromEnvironment()} uses for the given variable value and home folder. */
    public static List<Path> defaultRoots(String fedmedData, String userHome) {
        List<Path> roots = new ArrayList<>();
        if (fedmedData != null && !fedmedData.isBlank()) {
            roots.add(Path.of(fedmedData));
        }
        if (userHome != null && !userHome.isBlank()) {
            roots.add(Path.of(userHome, ".cache", "fedmed"));
        }
        return roots;
    }

    /** True when {@code value} names a definition file rather than a dataset: it ends in .yaml/.yml or holds a path separator. */
    public static boolean isDefinitionPath(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        return v.endsWith(".yaml") || v.endsWith(".yml") || v.contains("/") || v.contains("\\");
    }

    /** The folders searched, in order. */
    public List<Path> searchRoots() {
        return roots;
    }

    /** All registered datasets. */
    public List<DatasetDefinition> entries() {
        return entries;
    }

    /** The registered dataset with this name or alias (case-insensitive); unknown names fail listing the known ones. */
    public DatasetDefinition entry(String nameOrAlias) {
        return entries.stream().filter(e -> e.answersTo(nameOrAlias)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown dataset '" + nameOrAlias + "'; known datasets: "
                        + entries.stream().map(DatasetDefinition::name).toList()
                        + ", or give the path of a dataset definition (.yaml)"));
    }

    /**
     * The definition {@code nameOrPath} names: the file it names when it is a definition path
     * ({@link #isDefinitionPath}; relative to the working folder), else the registered dataset of that name.
     */
    public DatasetDefinition definition(String nameOrPath) {
        return definition(nameOrPath, Path.of(""));
    }

    /** As {@link #definition(String)}, a relative definition path read from {@code folder}. */
    public DatasetDefinition definition(String nameOrPath, Path folder) {
        return isDefinitionPath(nameOrPath) ? DefinitionReader.read(folder.resolve(nameOrPath.strip())) : entry(nameOrPath);
    }

    /**
     * Finds and verifies every file of the dataset {@code nameOrPath} names (see {@link #definition}).
     *
     * @throws DatasetNotFoundException   if a file is not there
     * @throws ChecksumMismatchException  if a file's SHA-256 differs from the one the definition gives
     */
    public ResolvedDataset resolve(String nameOrPath) {
        return resolve(definition(nameOrPath));
    }

    /** Finds every file of {@code definition}, verifies the checksums it gives, and records every file's SHA-256. */
    public ResolvedDataset resolve(DatasetDefinition definition) {
        Map<String, Path> found = locate(definition);
        List<String> missing = definition.files().stream().map(FileRef::path).filter(f -> !found.containsKey(f)).distinct().toList();
        if (!missing.isEmpty()) {
            throw new DatasetNotFoundException(notFoundMessage(definition, missing));
        }
        Map<String, String> checksums = new LinkedHashMap<>();
        for (FileRef f : definition.files()) {
            Path p = found.get(f.path());
            String actual = checksums.containsKey(f.path()) ? checksums.get(f.path()) : Sha256.of(p);
            if (f.sha256() != null && !actual.equals(f.sha256())) {
                throw new ChecksumMismatchException(definition.name(), p, f.sha256(), actual);
            }
            checksums.put(f.path(), actual);
        }
        return new ResolvedDataset(definition, found, checksums);
    }

    /** Where {@code ref} of {@code definition} is, when it is there. */
    public Optional<Path> locate(DatasetDefinition definition, FileRef ref) {
        return Optional.ofNullable(locate(definition).get(ref.path()));
    }

    /** Every registered dataset with whether it is present, missing or corrupt here (checksums are verified). */
    public List<DatasetStatus> list() {
        List<DatasetStatus> out = new ArrayList<>();
        for (DatasetDefinition entry : entries) {
            Map<String, Path> found = locate(entry);
            List<String> missing = entry.files().stream().map(FileRef::path).filter(f -> !found.containsKey(f)).toList();
            if (!missing.isEmpty()) {
                out.add(new DatasetStatus(entry, Availability.MISSING, "missing " + missing + "; searched "
                        + folders(entry)));
                continue;
            }
            Optional<String> bad = entry.files().stream()
                    .filter(f -> f.sha256() != null && !Sha256.of(found.get(f.path())).equals(f.sha256()))
                    .map(f -> found.get(f.path()).toString()).findFirst();
            out.add(bad.map(p -> new DatasetStatus(entry, Availability.CHECKSUM_MISMATCH, "checksum mismatch: " + p))
                    .orElseGet(() -> new DatasetStatus(entry, Availability.PRESENT,
                            found.get(entry.files().getFirst().path()).getParent().toString())));
        }
        return out;
    }

    private Map<String, Path> locate(DatasetDefinition definition) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (FileRef f : definition.files()) {
            switch (definition.base()) {
                case FileBase.Folder folder -> {
                    Path candidate = folder.folder().resolve(f.path()).normalize();
                    if (Files.isRegularFile(candidate)) {
                        found.put(f.path(), candidate);
                    }
                }
                case FileBase.DataRoots dataRoots -> {
                    for (Path root : roots) {
                        Path candidate = root.resolve(dataRoots.folder()).resolve(f.path());
                        if (Files.isRegularFile(candidate)) {
                            found.put(f.path(), candidate);
                            break;
                        }
                    }
                }
            }
        }
        return found;
    }

    private List<Path> folders(DatasetDefinition entry) {
        return switch (entry.base()) {
            case FileBase.Folder folder -> List.of(folder.folder());
            case FileBase.DataRoots dataRoots -> roots.stream().map(r -> r.resolve(dataRoots.folder()).toAbsolutePath()).toList();
        };
    }

    private String notFoundMessage(DatasetDefinition entry, List<String> missing) {
        if (entry.base() instanceof FileBase.Folder folder) {
            FileRef first = entry.files().stream().filter(f -> f.path().equals(missing.getFirst())).findFirst().orElseThrow();
            return entry.source().message(first.key(), false, "file '" + first.path() + "' not found at "
                    + folder.folder().resolve(first.path()).normalize() + " (relative paths are read from the"
                    + " definition's folder)" + (missing.size() > 1 ? "; also missing: " + missing.subList(1, missing.size()) : ""));
        }
        return "dataset '" + entry.name() + "' not found: missing " + missing + ". Looked in "
                + (roots.isEmpty() ? "no folder (no search roots configured)" : folders(entry)) + ". "
                + "Get it from " + entry.url() + " (licence: " + entry.licence() + "; cite: " + entry.citation() + "), then "
                + "either set " + ENV + " to a folder containing " + entry.name() + "/ with the files, "
                + "or place the files in ~/.cache/fedmed/" + entry.name() + "/. Expected files: "
                + entry.files().stream().map(FileRef::path).toList() + ".";
    }
}
