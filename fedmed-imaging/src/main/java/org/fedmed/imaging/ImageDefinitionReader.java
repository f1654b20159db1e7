package org.fedmed.imaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;
import org.fedmed.config.YamlBinder;
import org.fedmed.imaging.ImageDatasetDefinition.ImageSource;
import org.fedmed.imaging.ImageDatasetDefinition.Normalization;

/**
 * Reads an {@link ImageDatasetDefinition} from a YAML file with the one strict binder (unknown keys, wrong types and
 * fractional whole numbers are errors naming the file, key, line and column), then checks what goes together, naming
 * the file and the key. Relative paths resolve against {@code data_folder}, which is itself relative to the file's
 * folder or, when no such folder exists there, the first data search root that has it (so a definition can name
 * {@code fashion-mnist} under {@code FEDMED_DATA}). Every key is described in docs/datasets.md, "Image datasets".
 */
public final class ImageDefinitionReader {

    /** The definition file as written: every key optional, so every field boxed. */
    private record Document(String name, String description, String format, String dataFolder, Integer classes,
                            List<String> classNames, Part train, Part test, Double testFraction, List<Integer> size,
                            Integer channels, Norm normalize, PartitionDocument partition) {
    }

    /** One part (train or test) as written. */
    private record Part(String images, String labels, String imagesSha256, String labelsSha256, String folder,
                        Integer limit) {
    }

    /** The {@code normalize} section as written. */
    private record Norm(List<Double> mean, List<Double> std) {
    }

    /** The {@code partition} section as written. */
    private record PartitionDocument(String kind, Integer sites, Double alpha, Integer classesPerSite) {
    }

    private ImageDefinitionReader() {
    }

    /** True when the YAML file at {@code file} is an image dataset definition: it has a top-level {@code format}. */
    public static boolean isImageDefinition(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            var tree = YamlBinder.mapper().readTree(Files.readString(file));
            return tree != null && tree.isObject() && tree.has("format") && !tree.has("columns");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Reads the definition in {@code file}.
     *
     * @param dataRoots where {@code data_folder} is looked for when it is not beside the file
     * @throws org.fedmed.config.ConfigException for a key the binder refuses
     * @throws IllegalArgumentException         for values that do not go together, naming the file and the key
     */
    public static ImageDatasetDefinition read(Path file, List<Path> dataRoots) {
        Document d = YamlBinder.load(file, Document.class);
        try {
            return definition(d, file, dataRoots);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static ImageDatasetDefinition definition(Document d, Path file, List<Path> roots) {
        require(d.name() != null && !d.name().isBlank(), "name", "is required");
        require(d.format() != null, "format", "is required (idx, folder)");
        require(d.train() != null, "train", "is required");
        Path base = folder(d.dataFolder(), file, roots);
        String format = d.format().toLowerCase(Locale.ROOT);
        Optional<ImageShape> resize;
        List<String> classNames;
        ImageSource train;
        Optional<ImageSource> test;
        switch (format) {
            case "idx" -> {
                require(d.size() == null, "size", "applies only to format folder (IDX files have their own shape)");
                require(d.channels() == null, "channels", "applies only to format folder");
                require(d.classes() != null, "classes", "is required for format idx (the number of label values)");
                require(d.classes() >= 2, "classes", "must be >= 2, got " + d.classes());
                classNames = d.classNames() != null ? d.classNames()
                        : IntStream.range(0, d.classes()).mapToObj(Integer::toString).toList();
                require(classNames.size() == d.classes(), "class_names", "has " + classNames.size()
                        + " names but classes is " + d.classes());
                resize = Optional.empty();
                train = idx(d.train(), "train", base);
                test = d.test() == null ? Optional.empty() : Optional.of(idx(d.test(), "test", base));
            }
            case "folder" -> {
                require(d.size() != null && d.size().size() == 2, "size", "is required for format folder as"
                        + " [height, width], got " + d.size());
                int channels = d.channels() == null ? 3 : d.channels();
                require(channels == 1 || channels == 3, "channels", "must be 1 (grayscale) or 3 (RGB), got " + channels);
                resize = Optional.of(new ImageShape(channels, d.size().get(0), d.size().get(1)));
                train = folderPart(d.train(), "train", base);
                test = d.test() == null ? Optional.empty() : Optional.of(folderPart(d.test(), "test", base));
                classNames = ImageFolder.classes(((ImageSource.Folder) train).folder());
                require(d.classNames() == null, "class_names", "applies only to format idx (an image folder's"
                        + " classes are its subfolders " + classNames + ")");
                require(d.classes() == null || d.classes() == classNames.size(), "classes", "is " + d.classes()
                        + " but the training folder has " + classNames.size() + " class subfolders " + classNames);
            }
            default -> throw new IllegalArgumentException("key 'format' must be one of idx, folder, got '"
                    + d.format() + "'");
        }
        double testFraction = d.testFraction() == null ? 0 : d.testFraction();
        require(d.test() == null || d.testFraction() == null, "test_fraction", "cannot be used with a 'test' part");
        require(d.test() != null || (testFraction > 0 && testFraction < 1), "test_fraction", "must be in (0, 1)"
                + " when there is no 'test' part, got " + d.testFraction());
        Normalization normalization = Normalization.NONE;
        if (d.normalize() != null) {
            require(d.normalize().mean() != null && d.normalize().std() != null, "normalize",
                    "needs both 'mean' and 'std'");
            normalization = new Normalization(d.normalize().mean(), d.normalize().std());
            int channels = resize.map(ImageShape::channels).orElse(0);
            require(channels == 0 || normalization.mean().size() == 1 || normalization.mean().size() == channels,
                    "normalize.mean", "needs 1 or " + channels + " values, got " + normalization.mean().size());
        }
        return new ImageDatasetDefinition(d.name(), d.description(), classNames, train, test, testFraction, resize,
                normalization, Optional.ofNullable(d.partition()).map(ImageDefinitionReader::partition));
    }

    private static ImagePartition partition(PartitionDocument p) {
        require(p.kind() != null, "partition.kind", "is required (iid, dirichlet, quantity, classes)");
        ImagePartition.Kind kind = null;
        List<String> known = new ArrayList<>();
        for (ImagePartition.Kind k : ImagePartition.Kind.values()) {
            known.add(k.key());
            if (k.key().equals(p.kind().toLowerCase(Locale.ROOT))) {
                kind = k;
            }
        }
        require(kind != null, "partition.kind", "must be one of " + String.join(", ", known) + ", got '" + p.kind()
                + "'");
        require(p.sites() != null, "partition.sites", "is required");
        require(p.alpha() == null || kind == ImagePartition.Kind.DIRICHLET || kind == ImagePartition.Kind.QUANTITY,
                "partition.alpha", "applies only to kinds dirichlet and quantity");
        try {
            return new ImagePartition(kind, p.sites(), p.alpha() == null ? 0.5 : p.alpha(),
                    p.classesPerSite() == null ? 0 : p.classesPerSite());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("partition '", "key 'partition."), e);
        }
    }

    private static ImageSource idx(Part p, String key, Path base) {
        require(p.folder() == null, key + ".folder", "applies only to format folder; format idx takes 'images' and"
                + " 'labels'");
        require(p.images() != null, key + ".images", "is required for format idx");
        require(p.labels() != null, key + ".labels", "is required for format idx");
        Path images = base.resolve(p.images());
        Path labels = base.resolve(p.labels());
        require(Files.isRegularFile(images), key + ".images", "file " + images + " does not exist");
        require(Files.isRegularFile(labels), key + ".labels", "file " + labels + " does not exist");
        return new ImageSource.Idx(images, labels, p.imagesSha256(), p.labelsSha256(), limit(p, key));
    }

    private static ImageSource folderPart(Part p, String key, Path base) {
        require(p.images() == null && p.labels() == null && p.imagesSha256() == null && p.labelsSha256() == null,
                key, "format folder takes 'folder' (and 'limit'), not 'images', 'labels' or their sha256");
        require(p.folder() != null, key + ".folder", "is required for format folder");
        Path folder = base.resolve(p.folder());
        require(Files.isDirectory(folder), key + ".folder", "folder " + folder + " does not exist");
        return new ImageSource.Folder(folder, limit(p, key));
    }

    private static int limit(Part p, String key) {
        require(p.limit() == null || p.limit() >= 1, key + ".limit", "must be >= 1, got " + p.limit());
        return p.limit() == null ? Integer.MAX_VALUE : p.limit();
    }

    private static Path folder(String dataFolder, Path file, List<Path> roots) {
        Path beside = file.toAbsolutePath().getParent();
        if (dataFolder == null) {
            return beside;
        }
        Path local = beside.resolve(dataFolder);
        if (Files.isDirectory(local)) {
            return local;
        }
        for (Path root : roots) {
            if (Files.isDirectory(root.resolve(dataFolder))) {
                return root.resolve(dataFolder);
            }
        }
        throw new IllegalArgumentException("key 'data_folder': '" + dataFolder + "' is neither a folder beside the"
                + " definition (" + local + ") nor under a data search root " + roots + " (set FEDMED_DATA)");
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException("key '" + key + "' " + message);
        }
    }
}
