package org.fedmed.sim.report;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says what went wrong with a file in words: the JDK's file-system exceptions carry only the path as their message
 * ({@code FileAlreadyExistsException: results/x}), which a report writer's error would otherwise repeat bare.
 */
final class IoProblems {

    private IoProblems() {
    }

    /** {@code path: what happened}, e.g. {@code results/x: already exists}; the message of any other exception. */
    static String describe(IOException e) {
        if (!(e instanceof FileSystemException fs) || fs.getFile() == null) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        String what = switch (fs) {
            case FileAlreadyExistsException x -> "already exists";
            case NoSuchFileException x -> "does not exist";
            case AccessDeniedException x -> "permission denied";
            case NotDirectoryException x -> "is not a folder";
            case DirectoryNotEmptyException x -> "is a folder that is not empty";
            default -> fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
        };
        return fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile()) + ": " + what;
    }
}
