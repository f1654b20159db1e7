package org.fedmed.imaging;

/**
 * The shape of one input image: 1 (grayscale) or 3 (RGB) channels of {@code height x width} pixels, stored
 * channel-major (CHW) as PyTorch and DJL expect.
 */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image shape: 'channels' must be 1 or 3, got " + channels);
        }
        if (height < 1) {
            throw new IllegalArgumentException("image shape: 'height' must be >= 1, got " + height);
        }
        if (width < 1) {
            throw new IllegalArgumentException("image shape: 'width' must be >= 1, got " + width);
        }
        if ((long) channels * height * width > Integer.MAX_VALUE / 1024) {
            throw new IllegalArgumentException("image shape: " + channels + "x" + height + "x" + width
                    + " pixels is too large for one image");
        }
    }

    /** Values per image: channels * height * width. */
    public int size() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
