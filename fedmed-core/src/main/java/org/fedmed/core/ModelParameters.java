package org.fedmed.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model's parameters: an ordered list of named tensors backed by one flat float vector.
 * The flat view is what aggregation, clipping and transport work on; the tensor view is what a model
 * and a checkpoint work on. Instances are treated as immutable: {@link #flat()} returns the backing
 * array for speed, and callers must not write to it (use {@link #copyFlat()} to get a private copy).
 */
public final class ModelParameters implements java.io.Serializable {

    private final ParameterLayout layout;
    private final float[] flat;

    private ModelParameters(ParameterLayout layout, float[] flat) {
        this.layout = layout;
        this.flat = flat;
    }

    /** Wraps a flat vector in a layout. The array is taken, not copied. */
    public static ModelParameters ofFlat(ParameterLayout layout, float[] flat) {
        if (flat.length != layout.totalSize()) {
            throw new IllegalArgumentException("flat vector has " + flat.length + " values but layout "
                    + layout.entries() + " needs " + layout.totalSize());
        }
        return new ModelParameters(layout, flat);
    }

    /** Concatenates tensors, in order, into one flat vector. */
    public static ModelParameters of(List<Tensor> tensors) {
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (Tensor t : tensors) {
            names.add(t.name());
            shapes.add(t.shape());
        }
        ParameterLayout layout = ParameterLayout.of(names, shapes);
        float[] flat = new float[layout.totalSize()];
        for (int i = 0; i < tensors.size(); i++) {
            System.arraycopy(tensors.get(i).values(), 0, flat, layout.entries().get(i).offset(), tensors.get(i).size());
        }
        return new ModelParameters(layout, flat);
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** The backing flat vector. Do not modify. */
    public float[] flat() {
        return flat;
    }

    public float[] copyFlat() {
        return flat.clone();
    }

    public int size() {
        return flat.length;
    }

    /** The tensors, each with a copy of its values. */
    public List<Tensor> tensors() {
        List<Tensor> out = new ArrayList<>();
        for (ParameterLayout.Entry e : layout.entries()) {
            out.add(new Tensor(e.name(), e.shape(), Arrays.copyOfRange(flat, e.offset(), e.offset() + e.size())));
        }
        return out;
    }

    public Tensor tensor(String name) {
        ParameterLayout.Entry e = layout.entry(name);
        return new Tensor(e.name(), e.shape(), Arrays.copyOfRange(flat, e.offset(), e.offset() + e.size()));
    }

    /** Index of the first NaN or infinite value, or -1 if all values are finite. */
    public int firstNonFinite() {
        for (int i = 0; i < flat.length; i++) {
            if (!Float.isFinite(flat[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The name of the tensor holding flat index {@code i}, for error messages. */
    public String tensorAt(int i) {
        for (ParameterLayout.Entry e : layout.entries()) {
            if (i >= e.offset() && i < e.offset() + e.size()) {
                return e.name();
            }
        }
        throw new IndexOutOfBoundsException(i);
    }

    /** L2 norm of the flat vector. */
    public double l2Norm() {
        double s = 0;
        for (float v : flat) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelParameters m && layout.equals(m.layout) && Arrays.equals(flat, m.flat);
    }

    @Override
    public int hashCode() {
        return layout.hashCode() * 31 + Arrays.hashCode(flat);
    }

    @Override
    public String toString() {
        return "ModelParameters" + layout.entries() + " (" + flat.length + " values)";
    }
}
