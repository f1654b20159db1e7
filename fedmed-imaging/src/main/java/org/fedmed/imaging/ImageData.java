package org.fedmed.imaging;

import java.util.Arrays;

/**
 * A site's images, ready for training: {@code count} images of one {@link ImageShape}, stored one after another
 * channel-major (CHW) in {@code pixels}, with one class index in [0, classes) per image. The image counterpart of
 * {@link org.fedmed.core.LabeledData}; it never leaves the site. The constructor checks that the arrays fit the
 * shape and the labels fit the classes, and does not copy the arrays: treat them as immutable.
 */
public record ImageData(float[] pixels, int[] labels, int count, ImageShape shape, int classes) {

    public ImageData {
        if (shape == null) {
            throw new IllegalArgumentException("image data: 'shape' is required");
        }
        if (count < 0) {
            throw new IllegalArgumentException("image data: 'count' must be >= 0, got " + count);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("image data: 'classes' must be >= 2, got " + classes);
        }
        if (pixels.length != (long) count * shape.size()) {
            throw new IllegalArgumentException("image data: " + pixels.length + " pixel values for " + count
                    + " images of " + shape + " (expected " + (long) count * shape.size() + ")");
        }
        if (labels.length != count) {
            throw new IllegalArgumentException("image data: " + labels.length + " labels for " + count + " images");
        }
        for (int i = 0; i < count; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("image data: label of image " + i + " is " + labels[i]
                        + ", outside [0, " + classes + ")");
            }
        }
    }

    /** The images at the given indices, in that order (copied). */
    public ImageData select(int[] indices) {
        int size = shape.size();
        float[] p = new float[indices.length * size];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= count) {
                throw new IndexOutOfBoundsException("image " + indices[i] + " of " + count);
            }
            System.arraycopy(pixels, indices[i] * size, p, i * size, size);
            l[i] = labels[indices[i]];
        }
        return new ImageData(p, l, indices.length, shape, classes);
    }

    /**
     * All images of {@code parts}, one part after another (copied); the parts must share shape and classes.
     *
     * @throws IllegalArgumentException if there are no parts or two parts differ in shape or classes
     */
    public static ImageData concat(java.util.List<ImageData> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("image data: nothing to concatenate");
        }
        ImageData first = parts.getFirst();
        int count = 0;
        for (ImageData d : parts) {
            if (!d.shape.equals(first.shape) || d.classes != first.classes) {
                throw new IllegalArgumentException("image data: cannot concatenate " + d + " to " + first
                        + ": shape and classes must match");
            }
            count += d.count;
        }
        float[] p = new float[count * first.shape.size()];
        int[] l = new int[count];
        int at = 0;
        for (ImageData d : parts) {
            System.arraycopy(d.pixels, 0, p, at * first.shape.size(), d.count * first.shape.size());
            System.arraycopy(d.labels, 0, l, at, d.count);
            at += d.count;
        }
        return new ImageData(p, l, count, first.shape, first.classes);
    }

    /** The first {@code n} images (copied); all of them when there are fewer. */
    public ImageData head(int n) {
        int[] idx = new int[Math.min(n, count)];
        Arrays.setAll(idx, i -> i);
        return select(idx);
    }

    /** Number of images per class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /** The labels as floats, the form {@link org.fedmed.core.metrics.ClassificationMetrics} takes. */
    public float[] labelsAsFloats() {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = labels[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageData d && count == d.count && classes == d.classes && shape.equals(d.shape)
                && Arrays.equals(labels, d.labels) && Arrays.equals(pixels, d.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * shape.hashCode() + Arrays.hashCode(labels)) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "ImageData[" + count + " images of " + shape + ", " + classes + " classes]";
    }
}
