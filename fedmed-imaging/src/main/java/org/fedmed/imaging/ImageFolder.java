package org.fedmed.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads an image folder with one subfolder per class (the layout of torchvision's {@code ImageFolder}): the class
 * names are the subfolder names in sorted order, class index i the i-th of them, and each class's PNG and JPEG files
 * ({@code .png}, {@code .jpg}, {@code .jpeg}, any case) are read in sorted file-name order. Each image is converted to
 * the target's channels (grayscale as ITU-R 601 luma {@code (299 R + 587 G + 114 B) / 1000}, as PIL's
 * {@code convert("L")}; RGB as is), resized to the target height and width by bilinear interpolation with
 * half-pixel centres (PyTorch's {@code align_corners=False}, without antialiasing), scaled to [0, 1] and stored
 * channel-major. Hidden files (names starting with a dot) are skipped; any other file is an error naming it, as is a
 * file the JDK cannot decode. The result does not depend on the platform: the arithmetic is in Java.
 */
public final class ImageFolder {

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private ImageFolder() {
    }

    /** The class names of {@code folder}: its subfolders, sorted, hidden ones left out. */
    public static List<String> classes(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("image folder " + folder + " does not exist or is not a folder");
        }
        try (Stream<Path> entries = Files.list(folder)) {
            List<String> names = entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
            if (names.size() < 2) {
                throw new IllegalArgumentException("image folder " + folder + " has " + names.size() + " class"
                        + " subfolder(s) " + names + "; it needs one subfolder per class, at least 2");
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list image folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * The first {@code limit} images of {@code folder} (classes in order, files in order within a class), as
     * {@code shape}, labelled by their index in {@code classNames}.
     *
     * @throws IllegalArgumentException if the folder's class subfolders are not {@code classNames}, a file is not a
     *                                  PNG or JPEG, or it cannot be decoded, naming the folder or file
     */
    public static ImageData read(Path folder, List<String> classNames, ImageShape shape, int limit) {
        List<String> found = classes(folder);
        if (!found.equals(classNames)) {
            throw new IllegalArgumentException("image folder " + folder + " has class subfolders " + found
                    + " but the dataset's classes are " + classNames);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            Path dir = folder.resolve(classNames.get(c));
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path f : entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                    String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                    if (Files.isDirectory(f) || EXTENSIONS.stream().noneMatch(name::endsWith)) {
                        throw new IllegalArgumentException(f + " is not a PNG or JPEG file (" + String.join(", ",
                                EXTENSIONS) + "); a class folder holds only images");
                    }
                    files.add(f);
                    labels.add(c);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        int n = Math.min(limit, files.size());
        float[] pixels = new float[n * shape.size()];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            decode(files.get(i), shape, pixels, i * shape.size());
            y[i] = labels.get(i);
        }
        return new ImageData(pixels, y, n, shape, classNames.size());
    }

    /** Decodes {@code file} into {@code out} at {@code offset} as {@code shape}, values in [0, 1]. */
    static void decode(Path file, ImageShape shape, float[] out, int offset) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot decode the image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException(file + ": not an image the JDK can decode (PNG or JPEG)");
        }
        int h = image.getHeight();
        int w = image.getWidth();
        int channels = shape.channels();
        float[] source = new float[channels * h * w];
        for (int r = 0; r < h; r++) {
            for (int col = 0; col < w; col++) {
                int rgb = image.getRGB(col, r);
                int red = (rgb >> 16) & 0xFF;
                int green = (rgb >> 8) & 0xFF;
                int blue = rgb & 0xFF;
                int at = r * w + col;
                if (channels == 1) {
                    source[at] = (red * 299 + green * 587 + blue * 114) / 1000 / 255f;
                } else {
                    source[at] = red / 255f;
                    source[h * w + at] = green / 255f;
                    source[2 * h * w + at] = blue / 255f;
                }
            }
        }
        resize(source, channels, h, w, shape.height(), shape.width(), out, offset);
    }

    /**
     * Bilinear resize of a CHW image with half-pixel centres (PyTorch {@code interpolate(mode="bilinear",
     * align_corners=False)}); the same size copies the pixels unchanged.
     */
    static void resize(float[] src, int channels, int h, int w, int outH, int outW, float[] out, int offset) {
        if (h == outH && w == outW) {
            System.arraycopy(src, 0, out, offset, channels * h * w);
            return;
        }
        double scaleY = (double) h / outH;
        double scaleX = (double) w / outW;
        for (int c = 0; c < channels; c++) {
            int plane = c * h * w;
            for (int oy = 0; oy < outH; oy++) {
                double sy = Math.max((oy + 0.5) * scaleY - 0.5, 0);
                int y0 = Math.min((int) sy, h - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                double fy = sy - y0;
                for (int ox = 0; ox < outW; ox++) {
                    double sx = Math.max((ox + 0.5) * scaleX - 0.5, 0);
                    int x0 = Math.min((int) sx, w - 1);
                    int x1 = Math.min(x0 + 1, w - 1);
                    double fx = sx - x0;
                    double top = src[plane + y0 * w + x0] * (1 - fx) + src[plane + y0 * w + x1] * fx;
                    double bottom = src[plane + y1 * w + x0] * (1 - fx) + src[plane + y1 * w + x1] * fx;
                    out[offset + c * outH * outW + oy * outW + ox] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
    }
}
