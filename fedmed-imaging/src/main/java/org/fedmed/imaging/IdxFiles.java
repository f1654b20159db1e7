package org.fedmed.imaging;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads images and labels in IDX format (the MNIST format, LeCun et al.), plain or gzipped (told apart by the
 * gzip magic bytes, not the file name): an images file of unsigned bytes with 3 dimensions (count, rows, columns)
 * for grayscale or 4 (count, rows, columns, 3) for RGB, and a labels file of unsigned bytes with 1 dimension. Pixels
 * are scaled to [0, 1] (value / 255) and stored channel-major. Nothing here assumes a particular dataset; errors name
 * the file and what was expected.
 */
public final class IdxFiles {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFiles() {
    }

    /**
     * The first {@code limit} images of {@code images} with their labels from {@code labels}.
     *
     * @param classes the number of classes; every label must lie in [0, classes)
     * @param limit   how many images to read at most (the files may hold more)
     * @throws IllegalArgumentException if a file is not IDX of unsigned bytes, the two files disagree in count, or a
     *                                  label is out of range, naming the file
     * @throws UncheckedIOException     if a file cannot be read or ends early
     */
    public static ImageData read(Path images, Path labels, int classes, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        int[] y;
        int labelCount;
        try (DataInputStream in = open(labels)) {
            int[] dims = header(in, labels, 1);
            labelCount = dims[0];
            int n = Math.min(labelCount, limit);
            y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = in.readUnsignedByte();
                if (y[i] >= classes) {
                    throw new IllegalArgumentException(labels + ": label " + i + " is " + y[i] + ", outside [0, "
                            + classes + ")");
                }
            }
        } catch (EOFException e) {
            throw new UncheckedIOException(labels + ": the file ends before its last label", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + labels + ": " + e.getMessage(), e);
        }
        try (DataInputStream in = open(images)) {
            int[] dims = header(in, images, 0);
            if (dims[0] != labelCount) {
                throw new IllegalArgumentException(images + " holds " + dims[0] + " images but " + labels + " holds "
                        + labelCount + " labels");
            }
            int channels = dims.length == 4 ? dims[3] : 1;
            ImageShape shape;
            try {
                shape = new ImageShape(channels, dims[1], dims[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(images + ": " + e.getMessage(), e);
            }
            int n = y.length;
            int size = shape.size();
            int plane = shape.height() * shape.width();
            float[] pixels = new float[n * size];
            byte[] raw = new byte[size];
            for (int i = 0; i < n; i++) {
                in.readFully(raw);
                // IDX stores pixels row by row, channels innermost (HWC); models take CHW
                for (int p = 0; p < plane; p++) {
                    for (int c = 0; c < channels; c++) {
                        pixels[i * size + c * plane + p] = (raw[p * channels + c] & 0xFF) / 255f;
                    }
                }
            }
            return new ImageData(pixels, y, n, shape, classes);
        } catch (EOFException e) {
            throw new UncheckedIOException(images + ": the file ends before its last image", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + images + ": " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16)
                : raw;
        return new DataInputStream(in);
    }

    /**
     * Reads the magic number and dimensions. {@code wantDims} 1 for labels; 0 for images, which take 3 (grayscale)
     * or 4 dimensions with 3 channels last.
     */
    private static int[] header(DataInputStream in, Path file, int wantDims) throws IOException {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xFF;
        int dims = magic & 0xFF;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE) {
            throw new IllegalArgumentException(file + ": not an IDX file of unsigned bytes (magic number 0x"
                    + String.format("%08x", magic) + ", expected 0x00000801 for labels or 0x00000803 for images)");
        }
        boolean ok = wantDims == 1 ? dims == 1 : dims == 3 || dims == 4;
        if (!ok) {
            throw new IllegalArgumentException(file + ": an IDX " + (wantDims == 1 ? "labels" : "images")
                    + " file needs " + (wantDims == 1 ? "1 dimension" : "3 or 4 dimensions") + ", this one has " + dims);
        }
        int[] sizes = new int[dims];
        for (int i = 0; i < dims; i++) {
            sizes[i] = in.readInt();
            if (sizes[i] < 0) {
                throw new IllegalArgumentException(file + ": dimension " + i + " is " + sizes[i]);
            }
        }
        if (dims == 4 && sizes[3] != 3) {
            throw new IllegalArgumentException(file + ": a 4-dimensional IDX images file needs 3 channels last, got "
                    + sizes[3]);
        }
        return sizes;
    }
}
