package org.fedmed.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * File operations provisioning needs: files created owner-only when they hold secrets, replacement by
 * atomic rename so a reader never sees a half-written file, and recursive deletion of a scratch tree.
 * Owner-only permissions are applied where the file system supports POSIX permissions; elsewhere the
 * file inherits its directory's access rules.
 */
public final class SecureFiles {

    /** {@code rw-------}: the permissions of every private key fedmed writes. */
    public static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    /** {@code rwx------}: the permissions of the directory that holds the CA key. */
    public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /** Whether {@code dir}'s file system supports POSIX permissions. */
    public static boolean supportsPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Creates {@code file}, which must not exist, and writes {@code text}; owner-only if {@code secret}. */
    static void writeNew(Path file, String text, boolean secret) {
        try {
            if (secret && supportsPosix(file.toAbsolutePath().getParent())) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
                Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            } else {
                Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ProvisioningException(file + " already exists; refusing to overwrite it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates {@code dir} (and missing parents); the directory itself owner-only if {@code secret}. */
    static Path createDirectory(Path dir, boolean secret) {
        try {
            Files.createDirectories(dir);
            if (secret && supportsPosix(dir)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces {@code file} with {@code text} by writing a sibling temporary file and renaming it over the
     * original, so readers see the old content or the new, never a mix. The new file keeps owner-only
     * permissions if {@code secret}.
     */
    static void replaceAtomically(Path file, String text, boolean secret) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            FileAttribute<?>[] attrs = secret && supportsPosix(dir)
                    ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                    : new FileAttribute<?>[0];
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", attrs);
            if (!secret && supportsPosix(dir)) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("cannot replace " + file + ": " + e.getMessage(), e);
            deleteAfterFailure(tmp, failure);
            throw failure;
        }
    }

    /** The permissions as {@code chmod} writes them, with the symbolic form: {@code 0644 (rw-r--r--)}. */
    public static String octal(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o (%s)", mode, PosixFilePermissions.toString(perms));
    }

    /**
     * Copies every file and folder under {@code from} into {@code to} (which must exist), keeping their
     * permissions and times, except the paths relative to {@code from} in {@code skip}.
     */
    static void copyTree(Path from, Path to, Set<Path> skip) {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path relative = from.relativize(p);
                if (relative.toString().isEmpty() || skip.contains(relative)) {
                    continue;
                }
                Files.copy(p, to.resolve(relative.toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renames the complete directory {@code scratch} to {@code target}. An existing {@code target} (when
     * {@code replace}) is first renamed aside to {@code asideName} beside it, and deleted only once the new
     * directory is in place; if the second rename fails it is put back. Both renames are atomic, so a reader
     * finds the whole old directory or the whole new one (or, between the two renames, none).
     */
    static void installDirectory(Path scratch, Path target, boolean replace, String asideName) {
        Path aside = null;
        try {
            if (replace) {
                aside = target.resolveSibling(asideName);
                Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("cannot move " + scratch + " into place as "
                    + target + ": " + e.getMessage(), e);
            if (aside != null) {
                try {
                    Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException again) {
                    failure.addSuppressed(new IOException("the previous " + target + " is left at " + aside, again));
                }
            }
            throw failure;
        }
        if (aside != null) {
            try {
                deleteTree(aside);
            } catch (IOException e) {
                throw new UncheckedIOException("the new " + target + " is in place, but the one it replaced could not"
                        + " be fully deleted from " + aside + " (" + e.getMessage() + "); delete that directory by"
                        + " hand, it may hold a private key", e);
            }
        }
    }

    /**
     * Deletes {@code root} and everything under it, files before their folder; does nothing if it does not exist.
     * Provisioning uses it for folders that held private keys; the benchmarks and tests, for their scratch folders.
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes {@code tmp} if not null; a failure to do so is attached to {@code failure}, not lost. */
    static void deleteAfterFailure(Path tmp, Exception failure) {
        if (tmp == null) {
            return;
        }
        try {
            deleteTree(tmp);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
