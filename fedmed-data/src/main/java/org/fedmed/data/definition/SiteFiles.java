package org.fedmed.data.definition;

/**
 * One site of a definition that gives each site its own files: either one file of all its rows ({@code file}),
 * or a training file and a test file ({@code train} and {@code test}); the unused fields are null.
 */
public record SiteFiles(String id, FileRef file, FileRef train, FileRef test) {

    public SiteFiles {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("site field 'id' must not be blank");
        }
        boolean one = file != null && train == null && test == null;
        boolean two = file == null && train != null && test != null;
        if (!one && !two) {
            throw new IllegalArgumentException("site '" + id + "' needs either 'file', or both 'train' and 'test'");
        }
    }

    /** A site whose rows are all in one file. */
    public static SiteFiles of(String id, FileRef file) {
        return new SiteFiles(id, file, null, null);
    }

    /** True when the site comes with separate training and test files. */
    public boolean separateTest() {
        return file == null;
    }
}
