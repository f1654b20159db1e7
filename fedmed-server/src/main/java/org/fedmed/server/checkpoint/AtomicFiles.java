package org.fedmed.server.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a part: the
 * bytes go to a temporary file in the same folder, which is flushed to disk and then renamed over the target.
 */
public final class AtomicFiles {

    /** Writes the content of a file through an open channel. */
    public interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    private static final boolean POSIX_DIRECTORY_SYNC =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private AtomicFiles() {
    }

    /** Writes {@code target} atomically; on any failure the target is untouched and the temporary file removed. */
    public static void write(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            // createDirectories on an existing folder throws and catches an exception: once per state-file write
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.writeTo(ch);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, ch -> {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        });
    }

    /** Flushes the directory entry of a rename to disk, where the platform allows opening a directory. */
    private static void syncDirectory(Path dir) throws IOException {
        if (!POSIX_DIRECTORY_SYNC) {
            return; // Windows cannot open a directory as a channel; NTFS journals the rename itself.
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
