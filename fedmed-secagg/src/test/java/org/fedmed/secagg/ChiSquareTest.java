package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ChiSquareTest {

    @Test
    void pValueMatchesClosedFormsAndTables() {
        for (double x : new double[] {0.1, 1, 2.5, 7, 30}) {
            // With 2 degrees of freedom the tail is exactly exp(-x/2).
            assertEquals(Math.exp(-x / 2), ChiSquare.pValue(x, 2), 1e-12, "x=" + x);
        }
        assertEquals(0.05, ChiSquare.pValue(3.841459, 1), 1e-6);
        assertEquals(0.05, ChiSquare.pValue(293.2478, 255), 1e-4);
        assertEquals(0.01, ChiSquare.pValue(310.4574, 255), 1e-4);
        assertEquals(Math.log(24), ChiSquare.logGammaHalfInteger(5), 1e-12);
        assertEquals(Math.log(0.75 * Math.sqrt(Math.PI)), ChiSquare.logGammaHalfInteger(2.5), 1e-12);
    }
}
