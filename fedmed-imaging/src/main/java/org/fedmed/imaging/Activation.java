package org.fedmed.imaging;

import java.util.Locale;

/** The non-linearity an image model applies after each hidden convolution and dense layer. */
public enum Activation {
    /** max(0, x). */
    RELU,
    /** tanh(x). */
    TANH;

    /** The spelling used in spec files. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
