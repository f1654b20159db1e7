package org.fedmed.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedmed.core.ParameterLayout;
import org.fedmed.transport.proto.DType;
import org.fedmed.transport.proto.ModelLayout;
import org.fedmed.transport.proto.TensorSpec;
import org.junit.jupiter.api.Test;

class LayoutsTest {

    @Test
    void layoutRoundTripsThroughItsWireForm() {
        ParameterLayout layout = ParameterLayout.of(List.of("dense1.w", "dense1.b", "scalar"),
                List.of(new int[]{13, 32}, new int[]{32}, new int[]{}));
        ModelLayout wire = Layouts.toWire(layout);
        assertEquals(DType.FLOAT32_LE, wire.getDtype());
        assertEquals(layout, Layouts.fromWire(wire));
        assertEquals(4L * (13 * 32 + 32 + 1), Layouts.payloadBytes(layout));
    }

    @Test
    void wireLayoutWithAnotherDtypeOrNegativeDimensionOrDuplicateNameIsRefused() {
        ModelLayout ok = Layouts.toWire(ParameterLayout.of(List.of("w"), List.of(new int[]{2})));
        var e1 = assertThrows(IllegalArgumentException.class, () -> Layouts.fromWire(ok.toBuilder().setDtype(DType.DTYPE_UNSPECIFIED).build()));
        assertTrue(e1.getMessage().contains("only FLOAT32_LE"));
        var e2 = assertThrows(IllegalArgumentException.class, () -> Layouts.fromWire(ok.toBuilder()
                .addTensors(TensorSpec.newBuilder().setName("v").addShape(-3)).build()));
        assertTrue(e2.getMessage().contains("negative dimension"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> Layouts.fromWire(ok.toBuilder()
                .addTensors(TensorSpec.newBuilder().setName("w").addShape(1)).build()));
        assertTrue(e3.getMessage().contains("duplicate tensor name 'w'"), e3.getMessage());
    }
}
