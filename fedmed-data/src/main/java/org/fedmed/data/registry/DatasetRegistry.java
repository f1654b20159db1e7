package org.fedmed.data.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The datasets fedmed knows, and where their files are on this machine. A file {@code f} of dataset
 * {@code d} is looked up as {@code <root>/<d>/<f>} in each search root in order, the first hit winning.
 * {@link #fromEnvironment()} searches {@code $FEDMED_DATA} and then {@code ~/.cache/fedmed}. Resolving a
 * dataset verifies every file's SHA-256. Nothing is ever downloaded.
 */
public final class DatasetRegistry {

    /** Environment variable naming the folder that holds one sub-folder per dataset. */
    public static final String ENV = "FEDMED_DATA";

    private final List<Path> roots;
    private final List<DatasetEntry> entries;

    /** A registry of {@code entries} searching {@code roots} in order. */
    public DatasetRegistry(List<Path> roots, List<DatasetEntry> entries) {
        this.roots = List.copyOf(roots);
        this.entries = List.copyOf(entries);
        for (int i = 0; i < this.entries.size(); i++) {
            for (int j = 0; j < i; j++) {
                DatasetEntry a = this.entries.get(i);
                DatasetEntry b = this.entries.get(j);
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

    /** The folders searched, in order. */
    public List<Path> searchRoots() {
        return roots;
    }

    /** All registered datasets. */
    public List<DatasetEntry> entries() {
        return entries;
    }

    /** The dataset with this name or alias (case-insensitive); unknown names fail listing the known ones. */
    public DatasetEntry entry(String nameOrAlias) {
        return entries.stream().filter(e -> e.answersTo(nameOrAlias)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown dataset '" + nameOrAlias + "'; known datasets: "
                        + entries.stream().map(DatasetEntry::name).toList()));
    }

    /**
     * Finds and verifies every file of the dataset.
     *
     * @throws DatasetNotFoundException   if a file is in no search root
     * @throws ChecksumMismatchException  if a file's SHA-256 differs from the registered one
     */
    public ResolvedDataset resolve(String nameOrAlias) {
        DatasetEntry entry = entry(nameOrAlias);
        Map<String, Path> found = locate(entry);
        List<String> missing = entry.files().stream().map(DataFile::name).filter(f -> !found.containsKey(f)).toList();
        if (!missing.isEmpty()) {
            throw new DatasetNotFoundException(notFoundMessage(entry, missing));
        }
        Map<String, String> checksums = new LinkedHashMap<>();
        for (DataFile f : entry.files()) {
            Path p = found.get(f.name());
            String actual = Sha256.of(p);
            if (!actual.equals(f.sha256())) {
                throw new ChecksumMismatchException(entry.name(), p, f.sha256(), actual);
            }
            checksums.put(f.name(), actual);
        }
        return new ResolvedDataset(entry, found, checksums);
    }

    /** Every dataset with whether it is present, missing or corrupt here (checksums are verified). */
    public List<DatasetStatus> list() {
        List<DatasetStatus> out = new ArrayList<>();
        for (DatasetEntry entry : entries) {
            Map<String, Path> found = locate(entry);
            List<String> missing = entry.files().stream().map(DataFile::name).filter(f -> !found.containsKey(f)).toList();
            if (!missing.isEmpty()) {
                out.add(new DatasetStatus(entry, Availability.MISSING, "missing " + missing + "; searched "
                        + folders(entry)));
                continue;
            }
            Optional<String> bad = entry.files().stream()
                    .filter(f -> !Sha256.of(found.get(f.name())).equals(f.sha256()))
                    .map(f -> found.get(f.name()).toString()).findFirst();
            out.add(bad.map(p -> new DatasetStatus(entry, Availability.CHECKSUM_MISMATCH, "checksum mismatch: " + p))
                    .orElseGet(() -> new DatasetStatus(entry, Availability.PRESENT,
                            found.get(entry.files().getFirst().name()).getParent().toString())));
        }
        return out;
    }

    private Map<String, Path> locate(DatasetEntry entry) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (DataFile f : entry.files()) {
            for (Path root : roots) {
                Path candidate = root.resolve(entry.name()).resolve(f.name());
                if (Files.isRegularFile(candidate)) {
                    found.put(f.name(), candidate);
                    break;
                }
            }
        }
        return found;
    }

    private List<Path> folders(DatasetEntry entry) {
        return roots.stream().map(r -> r.resolve(entry.name()).toAbsolutePath()).toList();
    }

    private String notFoundMessage(DatasetEntry entry, List<String> missing) {
        return "dataset '" + entry.name() + "' not found: missing " + missing + ". Looked in "
                + (roots.isEmpty() ? "no folder (no search roots configured)" : folders(entry)) + ". "
                + "Get it from " + entry.url() + " (licence: " + entry.licence() + "; cite: " + entry.citation() + "), then "
                + "either set " + ENV + " to a folder containing " + entry.name() + "/ with the files, "
                + "or place the files in ~/.cache/fedmed/" + entry.name() + "/. Expected files: "
                + entry.files().stream().map(DataFile::name).toList() + ".";
    }
}
