package org.fedmed.imaging;

import java.util.Arrays;

/**
 * One tensor of an image model as both sides know it: our name (PyTorch {@code state_dict} spelling) and shape, the
 * name DJL gives the parameter inside its block ({@code weight}, {@code bias}, {@code gamma}, {@code beta},
 * {@code runningMean}, {@code runningVar}), whether training updates it by gradient, and how it is initialized.
 *
 * @param fanIn the inputs feeding one output unit, for {@link Init#FAN_IN_UNIFORM}
 */
record Slot(String name, String djlName, int[] shape, boolean trainable, Init init, int fanIn) {

    /** How a tensor starts. */
    enum Init {
        /** U(-1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's default for Conv2d and Linear weights and biases. */
        FAN_IN_UNIFORM,
        /** All ones (batch-norm scale, running variance). */
        ONES,
        /** All zeros (batch-norm shift, running mean). */
        ZEROS
    }

    Slot {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Slot s && name.equals(s.name) && djlName.equals(s.djlName) && Arrays.equals(shape, s.shape)
                && trainable == s.trainable && init == s.init && fanIn == s.fanIn;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
