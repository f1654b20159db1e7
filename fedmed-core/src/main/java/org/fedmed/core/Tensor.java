package org.fedmed.core;

import java.util.Arrays;

/**
 * A named float tensor: one layer's weights or biases, with the shape that gives its values meaning.
 * Values are row-major. The record validates that the values fill the shape exactly, so a tensor
 * that reaches aggregation or a checkpoint never disagrees with its own shape.
 */
public record Tensor(String name, int[] shape, float[] values) {

    public Tensor {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tensor name must not be blank");
        }
        if (shape == null || values == null) {
            throw new IllegalArgumentException("tensor '" + name + "': shape and values are required");
        }
        shape = shape.clone();
        long expected = elementCount(name, shape);
        if (expected != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " holds " + expected + " values but " + values.length + " were given");
        }
    }

    /** Number of elements a tensor of this shape holds; rejects negative dimensions. */
    public static long elementCount(String name, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                        + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
