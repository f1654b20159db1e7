package org.fedmed.imaging;

/**
 * One convolution of a {@link CnnSpec}: {@code channels} output channels, a square {@code kernel}, {@code stride}
 * and zero {@code padding} on every side, with a bias, then the spec's activation, then optional pooling over square
 * windows of {@code poolSize} moved by {@code poolStride}. In a spec file:
 * <pre>
 * {channels: 6, kernel: 5, stride: 1, padding: 0, pool: max, pool_size: 2, pool_stride: 2}
 * </pre>
 * where {@code stride} defaults to 1, {@code padding} to 0, {@code pool} to none, {@code pool_size} to 2 when there
 * is a pool and {@code pool_stride} to {@code pool_size}.
 */
public record ConvLayer(int channels, int kernel, int stride, int padding, PoolType pool, int poolSize,
                        int poolStride) {

    public ConvLayer {
        if (channels < 1) {
            throw new IllegalArgumentException("conv layer: 'channels' must be >= 1, got " + channels);
        }
        if (kernel < 1) {
            throw new IllegalArgumentException("conv layer: 'kernel' must be >= 1, got " + kernel);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("conv layer: 'stride' must be >= 1, got " + stride);
        }
        if (padding < 0) {
            throw new IllegalArgumentException("conv layer: 'padding' must be >= 0, got " + padding);
        }
        if (pool == null) {
            throw new IllegalArgumentException("conv layer: 'pool' must be one of none, max, avg");
        }
        if (pool == PoolType.NONE && (poolSize != 1 || poolStride != 1)) {
            throw new IllegalArgumentException("conv layer: 'pool_size' and 'pool_stride' apply only with a pool,"
                    + " got pool_size " + poolSize + " and pool_stride " + poolStride + " with pool none");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("conv layer: 'pool_size' must be >= 1, got " + poolSize);
        }
        if (poolStride < 1) {
            throw new IllegalArgumentException("conv layer: 'pool_stride' must be >= 1, got " + poolStride);
        }
    }

    /** A convolution with stride 1, no padding and no pooling. */
    public static ConvLayer of(int channels, int kernel) {
        return new ConvLayer(channels, kernel, 1, 0, PoolType.NONE, 1, 1);
    }

    /** The same convolution followed by max pooling over {@code size x size} windows moved by {@code size}. */
    public ConvLayer maxPool(int size) {
        return new ConvLayer(channels, kernel, stride, padding, PoolType.MAX, size, size);
    }

    /** The output height (or width) of this layer, convolution then pooling, for an input of {@code in} pixels. */
    int outputSize(int in) {
        int conv = (in + 2 * padding - kernel) / stride + 1;
        if (in + 2 * padding < kernel) {
            return 0;
        }
        if (pool == PoolType.NONE) {
            return conv;
        }
        return conv < poolSize ? 0 : (conv - poolSize) / poolStride + 1;
    }
}
