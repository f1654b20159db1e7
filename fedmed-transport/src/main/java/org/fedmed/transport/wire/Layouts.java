package org.fedmed.transport.wire;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.ParameterLayout;
import org.fedmed.transport.proto.DType;
import org.fedmed.transport.proto.ModelLayout;
import org.fedmed.transport.proto.TensorSpec;

/** Converts between a model's {@link ParameterLayout} and its wire form; the only dtype is float32 little-endian. */
public final class Layouts {

    private Layouts() {
    }

    public static ModelLayout toWire(ParameterLayout layout) {
        ModelLayout.Builder b = ModelLayout.newBuilder().setDtype(DType.FLOAT32_LE);
        for (ParameterLayout.Entry e : layout.entries()) {
            TensorSpec.Builder t = TensorSpec.newBuilder().setName(e.name());
            for (int d : e.shape()) {
                t.addShape(d);
            }
            b.addTensors(t);
        }
        return b.build();
    }

    /**
     * The layout a wire message declares.
     *
     * @throws IllegalArgumentException naming the problem: a dtype other than float32, a blank or duplicate
     *                                  tensor name, a negative dimension, or more than 2^31 parameters
     */
    public static ParameterLayout fromWire(ModelLayout wire) {
        if (wire.getDtype() != DType.FLOAT32_LE) {
            throw new IllegalArgumentException("dtype " + wire.getDtype() + " is not supported (only FLOAT32_LE)");
        }
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (TensorSpec t : wire.getTensorsList()) {
            if (t.getName().isBlank()) {
                throw new IllegalArgumentException("a tensor has a blank name");
            }
            names.add(t.getName());
            int[] shape = new int[t.getShapeCount()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.getShape(i);
            }
            shapes.add(shape);
        }
        return ParameterLayout.of(names, shapes);
    }

    /** Bytes of a float32 payload for this layout. */
    public static long payloadBytes(ParameterLayout layout) {
        return 4L * layout.totalSize();
    }
}
