package org.fedmed.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The folder a command writes its report to, settled before the command does any work: a run of minutes is never
 * thrown away at the end because {@code --out} names a file or a place that cannot be written. Without
 * {@code --out} the folder is {@code results/<name>-<yyyyMMdd-HHmmss>}, and never one that already exists (a second
 * run in the same second gets {@code -2}, {@code -3}, ...), so a default run never overwrites an earlier one; a
 * folder the user names may hold an earlier report, which is then replaced file by file.
 */
final class ReportFolder {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private ReportFolder() {
    }

    /** {@code given}, checked, or a new default folder for {@code name} under {@code results/}. */
    static Path settle(Path given, String name) {
        return settle(given, name, Path.of("results"), LocalDateTime.now());
    }

    /** As {@link #settle(Path, String)}, a default folder going under {@code results} and stamped {@code now}. */
    static Path settle(Path given, String name, Path results, LocalDateTime now) {
        if (given != null) {
            return checked(given);
        }
        Path base = results.resolve(name + "-" + now.format(STAMP));
        Path dir = base;
        for (int n = 2; Files.exists(dir); n++) {
            dir = base.resolveSibling(base.getFileName() + "-" + n);
        }
        return checked(dir);
    }

    /**
     * {@code dir} when it is a folder that can be written, or one that can be created: the nearest part of its path
     * that exists must be a writable folder.
     */
    static Path checked(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + ": is a file, not a folder; name a folder for the report");
        }
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException("--out " + dir + ": no part of this path exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException("--out " + dir + ": " + existing + " is a file, so no folder can be made"
                    + " under it");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException("--out " + dir + ": " + existing + " cannot be written"
                    + (existing.equals(dir.toAbsolutePath().normalize()) ? "" : ", so the folder cannot be made"));
        }
        return dir;
    }
}
