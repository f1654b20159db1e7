package org.fedmed.imaging;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files read as published; Fashion-MNIST's files are checked against their SHA-256 before use. */
class IdxFilesTest {

    @TempDir
    Path dir;

    @Test
    void fashionMnistTestSetHasItsPublishedCountsLabelsAndPixels() {
        ImageData test = FashionMnist.test(FashionMnist.directory(), Integer.MAX_VALUE);
        assertEquals(10_000, test.count());
        assertEquals(new ImageShape(1, 28, 28), test.shape());
        assertArrayEquals(new int[]{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, test.classCounts());
        // read independently from the raw file: labels 9, 2, 1, 1, 6; image 0's bytes sum to 33456, pixel (14, 14) is 110
        assertArrayEquals(new int[]{9, 2, 1, 1, 6}, java.util.Arrays.copyOf(test.labels(), 5));
        double sum = 0;
        for (int i = 0; i < 784; i++) {
            sum += test.pixels()[i] * 255.0;
        }
        assertEquals(33_456, sum, 1e-2);
        assertEquals(110 / 255f, test.pixels()[14 * 28 + 14]);
    }

    @Test
    void fashionMnistTrainingImagesReadUpToTheLimit() {
        ImageData train = FashionMnist.train(FashionMnist.directory(), 10);
        assertEquals(10, train.count());
        assertArrayEquals(new int[]{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, train.labels());
    }

    @Test
    void aFileWhoseDigestIsNotThePublishedOneIsRefused() throws IOException {
        Path fake = dir.resolve("t10k-labels-idx1-ubyte.gz");
        writeLabels(fake, true, new int[]{1, 2});
        var e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.verify(fake));
        assertTrue(e.getMessage().contains("SHA-256 is " + FashionMnist.sha256(fake) + " but Fashion-MNIST's"
                + " t10k-labels-idx1-ubyte.gz has 8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"),
                e.getMessage());
    }

    @Test
    void rgbImagesAreReadChannelMajorFromPlainOrGzippedFiles() throws IOException {
        for (boolean gzip : new boolean[]{false, true}) {
            Path images = dir.resolve("rgb-images" + gzip);
            Path labels = dir.resolve("rgb-labels" + gzip);
            // one 1x2 image, HWC bytes: pixel 0 = (0, 51, 102), pixel 1 = (153, 204, 255)
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(body);
            out.writeInt(0x00000804);
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(2);
            out.writeInt(3);
            out.write(new byte[]{0, 51, 102, (byte) 153, (byte) 204, (byte) 255});
            write(images, gzip, body.toByteArray());
            writeLabels(labels, gzip, new int[]{1});
            ImageData d = IdxFiles.read(images, labels, 2, 5);
            assertEquals(new ImageShape(3, 1, 2), d.shape());
            // CHW: red plane, green plane, blue plane
            assertArrayEquals(new float[]{0f, 153 / 255f, 51 / 255f, 204 / 255f, 102 / 255f, 1f}, d.pixels());
            assertArrayEquals(new int[]{1}, d.labels());
        }
    }

    @Test
    void malformedFilesAreRefusedNamingTheFile() throws IOException {
        Path labels = dir.resolve("labels");
        writeLabels(labels, false, new int[]{0, 7});
        var range = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(labels, labels, 5, 9));
        assertEquals(labels + ": label 1 is 7, outside [0, 5)", range.getMessage());
        Path notIdx = dir.resolve("not-idx");
        Files.writeString(notIdx, "hello, world");
        var magic = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(notIdx, labels, 10, 9));
        assertTrue(magic.getMessage().startsWith(notIdx + ": not an IDX file of unsigned bytes (magic number 0x68656c6c"),
                magic.getMessage());
        var dims = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(labels, labels, 10, 9));
        assertEquals(labels + ": an IDX images file needs 3 or 4 dimensions, this one has 1", dims.getMessage());
    }

    private static void writeLabels(Path file, boolean gzip, int[] labels) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeInt(0x00000801);
        out.writeInt(labels.length);
        for (int l : labels) {
            out.writeByte(l);
        }
        write(file, gzip, body.toByteArray());
    }

    private static void write(Path file, boolean gzip, byte[] bytes) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }
}
