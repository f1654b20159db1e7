package org.fedmed.imaging;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image dataset definitions: image folders and IDX files, resizing, normalization, splits, and strict keys. */
class ImageDefinitionTest {

    @TempDir
    Path dir;

    private Path definition(String yaml) throws IOException {
        Path file = dir.resolve("images.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aFolderDefinitionTakesClassesFromSortedSubfoldersAndConvertsResizesAndNormalizes() throws IOException {
        // one solid colour per class: grayscale is ITU-R 601 luma, so (200, 100, 50) -> 124 and (10, 20, 30) -> 18
        TinyImages.solid(dir.resolve("pics/train/zebra/1.png"), 6, 6, (200 << 16) | (100 << 8) | 50);
        TinyImages.solid(dir.resolve("pics/train/zebra/2.PNG"), 9, 3, (200 << 16) | (100 << 8) | 50);
        TinyImages.solid(dir.resolve("pics/train/ant/1.png"), 5, 5, (10 << 16) | (20 << 8) | 30);
        Files.writeString(dir.resolve("pics/train/ant/.hidden"), "skipped");
        TinyImages.solid(dir.resolve("pics/test/ant/1.png"), 4, 4, (10 << 16) | (20 << 8) | 30);
        TinyImages.solid(dir.resolve("pics/test/zebra/1.png"), 4, 4, (200 << 16) | (100 << 8) | 50);
        ImageDatasetDefinition def = ImageDefinitionReader.read(definition("""
                name: colours
                format: folder
                data_folder: pics
                train: {folder: train}
                test: {folder: test}
                size: [4, 4]
                channels: 1
                normalize: {mean: [0.5], std: [0.25]}
                """), List.of());
        assertEquals(List.of("ant", "zebra"), def.classNames());
        ImageDatasetDefinition.Loaded data = def.load(1);
        assertEquals(3, data.train().count());
        assertEquals(new ImageShape(1, 4, 4), data.train().shape());
        assertArrayEquals(new int[]{0, 1, 1}, data.train().labels());
        float ant = (18 / 255f - 0.5f) / 0.25f;
        float zebra = (124 / 255f - 0.5f) / 0.25f;
        for (int p = 0; p < 16; p++) {
            assertEquals(ant, data.train().pixels()[p], 1e-6);
            assertEquals(zebra, data.train().pixels()[16 + p], 1e-6);
            assertEquals(zebra, data.train().pixels()[32 + p], 1e-6);
        }
        assertEquals(2, data.test().count());
    }

    @Test
    void rgbImagesKeepTheirChannelsInChannelMajorOrder() throws IOException {
        TinyImages.solid(dir.resolve("train/a/1.png"), 2, 2, (255 << 16) | (0 << 8) | 51);
        TinyImages.solid(dir.resolve("train/b/1.png"), 2, 2, 0);
        ImageDatasetDefinition def = ImageDefinitionReader.read(definition("""
                name: rgb
                format: folder
                train: {folder: train}
                test_fraction: 0.5
                size: [2, 2]
                """), List.of());
        ImageDatasetDefinition.Loaded data = def.load(3);
        ImageData both = data.train().count() == 1 && data.train().labels()[0] == 0 ? data.train() : data.test();
        assertEquals(new ImageShape(3, 2, 2), both.shape());
        assertArrayEquals(new float[]{1, 1, 1, 1, 0, 0, 0, 0, 0.2f, 0.2f, 0.2f, 0.2f}, both.pixels(), 1e-6f);
    }

    @Test
    void bilinearResizeUsesHalfPixelCentresAsPyTorch() {
        // torch.nn.functional.interpolate([[0, 1]], size=(1, 4), mode="bilinear", align_corners=False)
        float[] out = new float[4];
        ImageFolder.resize(new float[]{0, 1}, 1, 1, 2, 1, 4, out, 0);
        assertArrayEquals(new float[]{0, 0.25f, 0.75f, 1}, out, 1e-6f);
        // downscaling 4 -> 2 averages the two middle pixels of each half: positions 0.5 and 2.5
        float[] down = new float[2];
        ImageFolder.resize(new float[]{0, 2, 4, 6}, 1, 1, 4, 1, 2, down, 0);
        assertArrayEquals(new float[]{1, 5}, down, 1e-6f);
    }

    @Test
    void anIdxDefinitionReadsItsFilesChecksTheirDigestsAndSplitsOffTheTestShare() throws IOException {
        Path fm = FashionMnist.directory();
        ImageDatasetDefinition def = ImageDefinitionReader.read(definition("""
                name: fm-small
                format: idx
                data_folder: fashion-mnist
                classes: 10
                train: {images: t10k-images-idx3-ubyte.gz, labels: t10k-labels-idx1-ubyte.gz, limit: 200,
                        labels_sha256: 8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05}
                test_fraction: 0.25
                partition: {kind: classes, sites: 5, classes_per_site: 2}
                """), List.of(fm.getParent()));
        assertEquals(new ImagePartition(ImagePartition.Kind.CLASSES, 5, 0.5, 2), def.partition().orElseThrow());
        ImageDatasetDefinition.Loaded data = def.load(7);
        assertEquals(150, data.train().count());
        assertEquals(50, data.test().count());
        assertEquals(FashionMnist.SHAPE, data.train().shape());
        // the two parts are the 200 images, each once
        int[] all = FashionMnist.test(fm, 200).classCounts();
        int[] train = data.train().classCounts();
        int[] test = data.test().classCounts();
        for (int c = 0; c < 10; c++) {
            assertEquals(all[c], train[c] + test[c]);
        }
        assertEquals(data, def.load(7));

        Path bad = definition("""
                name: fm-small
                format: idx
                data_folder: fashion-mnist
                classes: 10
                train: {images: t10k-images-idx3-ubyte.gz, labels: t10k-labels-idx1-ubyte.gz, labels_sha256: abc}
                test_fraction: 0.25
                """);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ImageDefinitionReader.read(bad, List.of(fm.getParent())).load(1));
        assertTrue(e.getMessage().contains("but the definition says abc"), e.getMessage());
    }

    @Test
    void keysThatDoNotFitAreRefusedNamingTheKey() throws IOException {
        Files.createDirectories(dir.resolve("train/a"));
        Files.createDirectories(dir.resolve("train/b"));
        var unknown = assertThrows(ConfigException.class, () -> ImageDefinitionReader.read(definition("""
                name: x
                format: folder
                train: {folder: train}
                sizes: [4, 4]
                """), List.of()));
        assertTrue(unknown.getMessage().contains("unknown key 'sizes'"), unknown.getMessage());
        var labels = assertThrows(IllegalArgumentException.class, () -> ImageDefinitionReader.read(definition("""
                name: x
                format: folder
                train: {folder: train, labels: l.idx}
                size: [4, 4]
                test_fraction: 0.2
                """), List.of()));
        assertTrue(labels.getMessage().endsWith("key 'train' format folder takes 'folder' (and 'limit'), not"
                + " 'images', 'labels' or their sha256"), labels.getMessage());
        var neither = assertThrows(IllegalArgumentException.class, () -> ImageDefinitionReader.read(definition("""
                name: x
                format: folder
                train: {folder: train}
                size: [4, 4]
                """), List.of()));
        assertTrue(neither.getMessage().endsWith("key 'test_fraction' must be in (0, 1) when there is no 'test'"
                + " part, got null"), neither.getMessage());
        var folder = assertThrows(IllegalArgumentException.class, () -> ImageDefinitionReader.read(definition("""
                name: x
                format: folder
                data_folder: nowhere
                train: {folder: train}
                size: [4, 4]
                test_fraction: 0.2
                """), List.of(dir.resolve("roots"))));
        assertTrue(folder.getMessage().contains("key 'data_folder': 'nowhere' is neither a folder beside the"
                + " definition"), folder.getMessage());
        var alpha = assertThrows(IllegalArgumentException.class, () -> ImageDefinitionReader.read(definition("""
                name: x
                format: folder
                train: {folder: train}
                size: [4, 4]
                test_fraction: 0.2
                partition: {kind: iid, sites: 2, alpha: 0.1}
                """), List.of()));
        assertTrue(alpha.getMessage().endsWith("key 'partition.alpha' applies only to kinds dirichlet and quantity"),
                alpha.getMessage());
        var k = assertThrows(IllegalArgumentException.class, () -> ImageDefinitionReader.read(definition("""
                name: x
                format: folder
                train: {folder: train}
                size: [4, 4]
                test_fraction: 0.2
                partition: {kind: classes, sites: 2}
                """), List.of()));
        assertTrue(k.getMessage().endsWith("key 'partition.classes_per_site' is required (>= 1) with kind classes,"
                + " got 0"), k.getMessage());
    }

    @Test
    void aFileInAClassFolderThatIsNoImageIsRefusedNamingIt() throws IOException {
        TinyImages.solid(dir.resolve("train/a/1.png"), 2, 2, 0);
        TinyImages.solid(dir.resolve("train/b/1.png"), 2, 2, 0);
        Files.writeString(dir.resolve("train/b/notes.txt"), "x");
        ImageDatasetDefinition def = ImageDefinitionReader.read(definition("""
                name: x
                format: folder
                train: {folder: train}
                size: [2, 2]
                test_fraction: 0.5
                """), List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> def.load(1));
        assertEquals(dir.resolve("train/b/notes.txt") + " is not a PNG or JPEG file (.png, .jpg, .jpeg); a class"
                + " folder holds only images", e.getMessage());
    }
}
