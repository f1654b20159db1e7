package org.fedmed.data;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.data.registry.ChecksumMismatchException;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.FileRef;
import org.fedmed.data.registry.DatasetNotFoundException;
import org.fedmed.data.registry.DatasetRegistry;

/** Test helpers: writing small CSV fixtures and requiring the shared real datasets. */
public final class TestData {

    private TestData() {
    }

    /** Writes the lines, newline-terminated, to {@code dir/name}. */
    public static Path write(Path dir, String name, String... lines) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A registry searching only {@code $FEDMED_DATA}, in which built-in dataset {@code dataset} is present with
     * every file and checksum it registers. When it is not (the variable unset, a file missing or corrupt), the
     * test fails, never skips, saying which dataset it needs and where to put it: CI stays red while the data are
     * gone.
     */
    public static DatasetRegistry requireDataset(String dataset) {
        DatasetDefinition entry = new DatasetRegistry(List.of()).entry(dataset);
        String need = "needs dataset " + entry.name() + " in FEDMED_DATA (set FEDMED_DATA to the folder holding "
                + entry.name() + "/" + String.join(", " + entry.name() + "/",
                entry.files().stream().map(FileRef::path).toList()) + ")";
        String env = System.getenv(DatasetRegistry.ENV);
        if (env == null || env.isBlank()) {
            return fail(need + ": FEDMED_DATA is not set");
        }
        DatasetRegistry registry = new DatasetRegistry(List.of(Path.of(env)));
        try {
            registry.resolve(dataset);
        } catch (DatasetNotFoundException | ChecksumMismatchException e) {
            return fail(need + ": " + e.getMessage());
        }
        return registry;
    }
}
