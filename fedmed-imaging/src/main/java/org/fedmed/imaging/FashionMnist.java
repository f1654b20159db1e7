package org.fedmed.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017) as shipped in {@code $FEDMED_DATA/fashion-mnist}: 60,000 training and
 * 10,000 test images, 1x28x28, 10 classes, in gzipped IDX files read by {@link IdxFiles}. It stands in for medical
 * images; nothing else in this module assumes it. Every load first checks the files' SHA-256 against the values the
 * dataset's README publishes, so a changed or truncated file is refused before it is read.
 */
public final class FashionMnist {

    /** The folder under {@code FEDMED_DATA}. */
    public static final String FOLDER = "fashion-mnist";
    /** Its image shape. */
    public static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    /** Its number of classes. */
    public static final int CLASSES = 10;

    private static final Map<String, String> SHA256 = Map.of(
            "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
            "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056");

    private FashionMnist() {
    }

    /**
     * {@code $FEDMED_DATA/fashion-mnist}.
     *
     * @throws IllegalStateException if {@code FEDMED_DATA} is not set or the folder is missing, saying what to set
     */
    public static Path directory() {
        String root = System.getenv("FEDMED_DATA");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("Fashion-MNIST: FEDMED_DATA is not set; set it to the folder holding "
                    + FOLDER + "/");
        }
        Path dir = Path.of(root, FOLDER);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("Fashion-MNIST: " + dir + " does not exist (FEDMED_DATA=" + root + ")");
        }
        return dir;
    }

    /** The first {@code limit} training images of the dataset in {@code dir}, after checking both files' SHA-256. */
    public static ImageData train(Path dir, int limit) {
        return load(dir, "train", limit);
    }

    /** The first {@code limit} test images of the dataset in {@code dir}, after checking both files' SHA-256. */
    public static ImageData test(Path dir, int limit) {
        return load(dir, "t10k", limit);
    }

    private static ImageData load(Path dir, String part, int limit) {
        Path images = dir.resolve(part + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(part + "-labels-idx1-ubyte.gz");
        verify(images);
        verify(labels);
        return IdxFiles.read(images, labels, CLASSES, limit);
    }

    /**
     * Checks {@code file}'s SHA-256 against the published value for its name.
     *
     * @throws IllegalArgumentException if the file is not one of the dataset's or its digest differs, with both
     * @throws UncheckedIOException     if it cannot be read
     */
    static void verify(Path file) {
        String name = file.getFileName().toString();
        String expected = SHA256.get(name);
        if (expected == null) {
            throw new IllegalArgumentException(file + " is not a Fashion-MNIST file (known: " + SHA256.keySet() + ")");
        }
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            throw new IllegalArgumentException(file + ": SHA-256 is " + actual + " but Fashion-MNIST's " + name
                    + " has " + expected + "; the file is damaged or not the published one");
        }
    }

    static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK lacks SHA-256, which every Java platform must provide", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
