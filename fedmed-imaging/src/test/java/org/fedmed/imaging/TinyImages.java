package org.fedmed.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Small generated image datasets for tests: an image folder with two classes whose 8x8 RGB PNGs are bright in the
 * top half ({@code a-top}) or in the bottom half ({@code b-bottom}), with seeded noise, so a small CNN separates them.
 */
final class TinyImages {

    static final int SIDE = 8;

    private TinyImages() {
    }

    /** Writes {@code perClass} images of each class under {@code folder}/a-top and {@code folder}/b-bottom. */
    static Path folder(Path folder, int perClass, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] classes = {"a-top", "b-bottom"};
        for (int c = 0; c < classes.length; c++) {
            Path dir = Files.createDirectories(folder.resolve(classes[c]));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        boolean bright = c == 0 ? y < SIDE / 2 : y >= SIDE / 2;
                        int v = Math.clamp((bright ? 200 : 40) + rng.nextInt(-30, 31), 0, 255);
                        image.setRGB(x, y, (v << 16) | (v << 8) | v);
                    }
                }
                ImageIO.write(image, "png", dir.resolve(String.format("img-%03d.png", i)).toFile());
            }
        }
        return folder;
    }

    /** Writes one image of a single colour. */
    static void solid(Path file, int width, int height, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
