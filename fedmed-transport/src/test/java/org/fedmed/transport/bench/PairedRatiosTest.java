package org.fedmed.transport.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PairedRatiosTest {

    @Test
    void quantilesInterpolateBetweenTheNearestOrderStatistics() {
        double[] ratios = {0.9, 0.5, 0.7, 1.1};
        assertEquals(0.8, PairedRatios.quantile(ratios, 0.5), 1e-12);
        assertEquals(0.65, PairedRatios.quantile(ratios, 0.25), 1e-12);
        assertEquals(0.95, PairedRatios.quantile(ratios, 0.75), 1e-12);
        assertEquals(0.5, PairedRatios.quantile(ratios, 0), 1e-12);
        assertEquals(1.1, PairedRatios.quantile(ratios, 1), 1e-12);
        assertArrayEquals(new double[]{0.9, 0.5, 0.7, 1.1}, ratios, "the input is not sorted in place");
    }

    @Test
    void describesTheMedianWithItsQuartilesAsPercentages() {
        assertEquals("84% [80-88]", PairedRatios.describe(new double[]{0.91, 0.77, 0.84, 0.88, 0.80}));
        assertEquals("60% [60-60]", PairedRatios.describe(new double[]{0.6}));
        assertEquals("350% [99->999]", PairedRatios.describe(new double[]{4e5, 0.99, 3.5, 0.99, 4e5}));
    }

    @Test
    void refusesNoRatiosAndAQuantileOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> PairedRatios.quantile(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> PairedRatios.quantile(new double[]{1}, 1.5));
        assertThrows(IllegalArgumentException.class, () -> PairedRatios.quantile(new double[]{1}, Double.NaN));
    }
}
