package org.fedmed.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names, shapes and flat offsets of a model's tensors, in a fixed order. Two updates can be
 * aggregated only if their layouts are equal; that check is how a wrong-shaped update is caught.
 */
public record ParameterLayout(List<Entry> entries) implements java.io.Serializable {

    /** One tensor's place in the flat vector. */
    public record Entry(String name, int[] shape, int offset, int size) implements java.io.Serializable {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && name.equals(e.name) && Arrays.equals(shape, e.shape)
                    && offset == e.offset && size == e.size;
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

    public ParameterLayout {
        entries = List.copyOf(entries);
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (seen.put(e.name(), true) != null) {
                throw new IllegalArgumentException("duplicate tensor name '" + e.name() + "' in layout");
            }
        }
    }

    /** Builds a layout from names and shapes, assigning consecutive offsets. */
    public static ParameterLayout of(List<String> names, List<int[]> shapes) {
        if (names.size() != shapes.size()) {
            throw new IllegalArgumentException("layout: " + names.size() + " names but " + shapes.size() + " shapes");
        }
        List<Entry> list = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            long size = Tensor.elementCount(names.get(i), shapes.get(i));
            if (offset + size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("layout: model exceeds 2^31 parameters at tensor '" + names.get(i) + "'");
            }
            list.add(new Entry(names.get(i), shapes.get(i), (int) offset, (int) size));
            offset += size;
        }
        return new ParameterLayout(list);
    }

    /** Total number of parameters. */
    public int totalSize() {
        return entries.isEmpty() ? 0 : entries.getLast().offset() + entries.getLast().size();
    }

    public Entry entry(String name) {
        for (Entry e : entries) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no tensor named '" + name + "' in layout " + entries);
    }
}
