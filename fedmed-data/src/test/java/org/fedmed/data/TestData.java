package org.fedmed.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Test helpers: writing small CSV fixtures and finding the shared real-data folder. */
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
     * The folder with the real datasets: {@code $FEDMED_DATA} when set, else the first {@code shared/data}
     * found beside the working directory or one of its ancestors.
     */
    public static Optional<Path> sharedData() {
        String env = System.getenv("FEDMED_DATA");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
