package org.fedmed.imaging;

import java.util.Locale;

/** The spatial pooling after a convolution: none, the maximum, or the mean of each window. */
public enum PoolType {
    /** No pooling. */
    NONE,
    /** The maximum of each window ({@code torch.nn.MaxPool2d}). */
    MAX,
    /** The mean of each window ({@code torch.nn.AvgPool2d}). */
    AVG;

    /** The spelling used in spec files. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
