package org.fedmed.imaging;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.fedmed.data.split.Shuffle;

/**
 * An image dataset definition: where a dataset's images and labels are, in which format, how they are resized and
 * normalized, and optionally how a simulation deals them to sites. It is the image counterpart of fedmed-data's
 * tabular {@code DatasetDefinition}, read from YAML by {@link ImageDefinitionReader} (every key in
 * docs/datasets.md, "Image datasets"); nothing in it assumes a particular dataset. Every instance is valid.
 *
 * @param name          the dataset's name in reports
 * @param description   free text, may be empty
 * @param classNames    the class names, class index i the i-th (an image folder's sorted subfolders)
 * @param train         where the training images are
 * @param test          where the test images are; empty to split {@code testFraction} of the training images off
 * @param testFraction  the share of the images that is held out for testing when there is no test part (0 otherwise)
 * @param resize        the shape every image is converted to (an image folder's {@code size} and {@code channels});
 *                      empty for IDX files, whose shape is the files'
 * @param normalization per-channel mean and standard deviation applied after scaling to [0, 1]
 * @param partition     how a simulation deals the training (and test) images to sites; empty: the plan says
 */
public record ImageDatasetDefinition(String name, String description, List<String> classNames, ImageSource train,
                                     Optional<ImageSource> test, double testFraction, Optional<ImageShape> resize,
                                     Normalization normalization, Optional<ImagePartition> partition) {

    /** The number of classes. */
    public int classes() {
        return classNames.size();
    }

    public ImageDatasetDefinition {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("image dataset: 'name' is required");
        }
        description = description == null ? "" : description;
        classNames = List.copyOf(classNames);
        if (classNames.size() < 2) {
            throw new IllegalArgumentException("image dataset '" + name + "': needs at least 2 classes, got "
                    + classNames.size());
        }
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test (empty for a split)");
        Objects.requireNonNull(resize, "resize (empty for IDX files)");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(partition, "partition (empty: the plan's simulation section)");
        if (test.isEmpty() != (testFraction > 0)) {
            throw new IllegalArgumentException("image dataset '" + name + "': give either a 'test' part or"
                    + " 'test_fraction' in (0, 1), not " + (test.isEmpty() ? "neither" : "both"));
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("image dataset '" + name + "': 'test_fraction' must be in (0, 1), got "
                    + testFraction);
        }
        if ((train instanceof ImageSource.Folder) != resize.isPresent()) {
            throw new IllegalArgumentException("image dataset '" + name + "': 'size' and 'channels' go with an image"
                    + " folder and only with one");
        }
    }

    /** A training and a test set of images, both normalized. */
    public record Loaded(ImageData train, ImageData test) {
    }

    /**
     * Reads the images, splits off the test share when the definition has no test part (seeded by
     * {@code splitSeed}, take it from {@code Seeds.Stream.VALIDATION_SPLIT}'s run stream), and normalizes them.
     *
     * @throws IllegalArgumentException if a file is missing or malformed, naming it
     */
    public Loaded load(long splitSeed) {
        ImageData trainSet = read(train);
        ImageData testSet;
        if (test.isPresent()) {
            testSet = read(test.get());
            if (!testSet.shape().equals(trainSet.shape())) {
                throw new IllegalArgumentException("image dataset '" + name + "': test images are " + testSet.shape()
                        + " but training images are " + trainSet.shape());
            }
        } else {
            int[] order = new int[trainSet.count()];
            Arrays.setAll(order, i -> i);
            Shuffle.shuffle(order, new SplittableRandom(splitSeed));
            int held = (int) Math.round(testFraction * order.length);
            if (held < 1 || held >= order.length) {
                throw new IllegalArgumentException("image dataset '" + name + "': test_fraction " + testFraction
                        + " of " + order.length + " images leaves " + held + " test images; each part needs one");
            }
            int[] testRows = Arrays.copyOfRange(order, 0, held);
            int[] trainRows = Arrays.copyOfRange(order, held, order.length);
            Arrays.sort(testRows);
            Arrays.sort(trainRows);
            testSet = trainSet.select(testRows);
            trainSet = trainSet.select(trainRows);
        }
        return new Loaded(normalization.apply(trainSet), normalization.apply(testSet));
    }

    private ImageData read(ImageSource source) {
        return switch (source) {
            case ImageSource.Idx idx -> {
                idx.verify();
                yield IdxFiles.read(idx.images(), idx.labels(), classes(), idx.limit());
            }
            case ImageSource.Folder folder -> ImageFolder.read(folder.folder(), classNames, resize.orElseThrow(),
                    folder.limit());
        };
    }

    /** Where one part's images are: IDX files or an image folder. */
    public sealed interface ImageSource {

        /** How many images to read at most. */
        int limit();

        /**
         * An IDX images file and labels file, each with an optional SHA-256 that is checked before reading.
         *
         * @param imagesSha256 lower-case hex, or empty for no check
         */
        record Idx(Path images, Path labels, String imagesSha256, String labelsSha256, int limit)
                implements ImageSource {
            public Idx {
                Objects.requireNonNull(images, "images");
                Objects.requireNonNull(labels, "labels");
                imagesSha256 = imagesSha256 == null ? "" : imagesSha256;
                labelsSha256 = labelsSha256 == null ? "" : labelsSha256;
                if (limit < 1) {
                    throw new IllegalArgumentException("image part 'limit' must be >= 1, got " + limit);
                }
            }

            void verify() {
                check(images, imagesSha256);
                check(labels, labelsSha256);
            }

            private static void check(Path file, String expected) {
                if (expected.isEmpty()) {
                    return;
                }
                if (!java.nio.file.Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("image file " + file + " does not exist");
                }
                String actual = FashionMnist.sha256(file);
                if (!actual.equals(expected)) {
                    throw new IllegalArgumentException(file + ": SHA-256 is " + actual + " but the definition says "
                            + expected + "; the file is damaged or not the one the definition names");
                }
            }
        }

        /** A folder with one subfolder per class. */
        record Folder(Path folder, int limit) implements ImageSource {
            public Folder {
                Objects.requireNonNull(folder, "folder");
                if (limit < 1) {
                    throw new IllegalArgumentException("image part 'limit' must be >= 1, got " + limit);
                }
            }
        }
    }

    /**
     * Per-channel normalization {@code (x - mean[c]) / std[c]} of pixels already scaled to [0, 1], as torchvision's
     * {@code Normalize}; one value applies to every channel. {@link #NONE} leaves pixels unchanged.
     */
    public record Normalization(List<Double> mean, List<Double> std) {

        public static final Normalization NONE = new Normalization(List.of(0.0), List.of(1.0));

        public Normalization {
            mean = List.copyOf(mean);
            std = List.copyOf(std);
            if (mean.isEmpty() || mean.size() != std.size()) {
                throw new IllegalArgumentException("normalize: 'mean' and 'std' need the same number of values (one"
                        + " per channel, or one for all), got " + mean.size() + " and " + std.size());
            }
            for (double s : std) {
                if (!(s > 0) || !Double.isFinite(s)) {
                    throw new IllegalArgumentException("normalize: every 'std' must be a positive number, got " + std);
                }
            }
            for (double m : mean) {
                if (!Double.isFinite(m)) {
                    throw new IllegalArgumentException("normalize: every 'mean' must be a finite number, got " + mean);
                }
            }
        }

        /** The images normalized (a copy), or {@code data} itself for {@link #NONE}. */
        public ImageData apply(ImageData data) {
            if (equals(NONE)) {
                return data;
            }
            int channels = data.shape().channels();
            if (mean.size() != 1 && mean.size() != channels) {
                throw new IllegalArgumentException("normalize: " + mean.size() + " values for images of " + channels
                        + " channel(s)");
            }
            int plane = data.shape().height() * data.shape().width();
            float[] out = data.pixels().clone();
            for (int i = 0; i < data.count(); i++) {
                for (int c = 0; c < channels; c++) {
                    float m = (float) (double) mean.get(mean.size() == 1 ? 0 : c);
                    float s = (float) (double) std.get(std.size() == 1 ? 0 : c);
                    int from = (i * channels + c) * plane;
                    for (int p = from; p < from + plane; p++) {
                        out[p] = (out[p] - m) / s;
                    }
                }
            }
            return new ImageData(out, data.labels(), data.count(), data.shape(), data.classes());
        }
    }
}
