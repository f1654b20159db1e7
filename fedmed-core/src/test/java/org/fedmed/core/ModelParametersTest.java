package org.fedmed.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelParametersTest {

    @Test
    void tensorsAreLaidOutConsecutivelyInTheFlatView() {
        ModelParameters p = ModelParameters.of(List.of(
                new Tensor("w", new int[]{2, 2}, new float[]{1, 2, 3, 4}),
                new Tensor("b", new int[]{2}, new float[]{5, 6})));
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, p.flat());
        assertEquals(4, p.layout().entry("b").offset());
        assertArrayEquals(new float[]{5, 6}, p.tensor("b").values());
        assertEquals(p.tensors(), ModelParameters.ofFlat(p.layout(), p.copyFlat()).tensors());
    }

    @Test
    void tensorWhoseValuesDoNotFillItsShapeIsRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Tensor("dense0.weight", new int[]{2, 3}, new float[5]));
        assertTrue(e.getMessage().contains("dense0.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("6"), e.getMessage());
    }

    @Test
    void flatVectorOfWrongLengthIsRejected() {
        ParameterLayout layout = ParameterLayout.of(List.of("w"), List.of(new int[]{3}));
        assertThrows(IllegalArgumentException.class, () -> ModelParameters.ofFlat(layout, new float[4]));
    }

    @Test
    void firstNonFiniteNamesTheTensorHoldingIt() {
        ModelParameters p = ModelParameters.of(List.of(
                new Tensor("w", new int[]{2}, new float[]{1, 2}),
                new Tensor("b", new int[]{1}, new float[]{Float.NaN})));
        assertEquals(2, p.firstNonFinite());
        assertEquals("b", p.tensorAt(2));
    }

    @Test
    void duplicateTensorNamesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> ParameterLayout.of(List.of("w", "w"), List.of(new int[]{1}, new int[]{1})));
    }
}
