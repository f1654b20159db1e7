package org.fedmed.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** File helpers shared by the command tests and the deployment benchmarks. */
public final class TestFiles {

    private TestFiles() {
    }

    /** Deletes {@code root} and everything under it, deepest first. */
    public static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
