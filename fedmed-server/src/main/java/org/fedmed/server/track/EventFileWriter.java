package org.fedmed.server.track;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One TensorBoard event file, {@code events.out.tfevents.<unix seconds>.<host>} in its folder (with a {@code .<n>}
 * suffix if a file of that name is already there, as when a resumed run starts in the same second): a first event
 * naming {@value TensorBoardEvents#FILE_VERSION}, then scalar events, each a TFRecord. It is flushed after every
 * batch so that a running TensorBoard sees each round as it is recorded.
 */
public final class EventFileWriter implements AutoCloseable {

    public static final String PREFIX = "events.out.tfevents.";

    private final Path file;
    private final OutputStream stream;
    private final TfRecordWriter records;

    public EventFileWriter(Path dir) {
        try {
            Files.createDirectories(dir);
            long now = System.currentTimeMillis();
            String base = PREFIX + (now / 1000) + "." + host();
            Path candidate = dir.resolve(base);
            OutputStream opened = null;
            for (int n = 1; opened == null; n++) {
                try {
                    opened = Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException taken) {
                    candidate = dir.resolve(base + "." + n);
                }
            }
            file = candidate;
            stream = new BufferedOutputStream(opened);
            records = new TfRecordWriter(stream);
            records.write(TensorBoardEvents.fileVersion(now / 1000.0));
            records.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a TensorBoard event file in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    public void scalar(double wallTime, long step, String tag, double value) {
        try {
            records.write(TensorBoardEvents.scalar(wallTime, step, tag, (float) value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file + ": " + e.getMessage(), e);
        }
    }

    public void flush() {
        try {
            records.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    /** This machine's name as file names allow it, or {@code localhost} when it has none. */
    static String host() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "localhost";
        }
        return safe(name);
    }

    /** {@code s} with every character outside {@code [A-Za-z0-9._-]} replaced by {@code _}. */
    static String safe(String s) {
        String r = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return r.isEmpty() || r.equals(".") || r.equals("..") ? "_" : r;
    }
}
